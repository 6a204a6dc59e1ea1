"""The Feature maps tab in a real terminal: the lecture's torch.Size([1, 3, 319, 319]) read off the screen."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_lecture_shape_on_screen_then_a_key_changes_it(tmux_app):
    term = tmux_app("--lang en")
    term.wait_for("▀▀▀▀")  # the Pixels tab has drawn its image
    for _ in range(3):  # hiding the Pixels tab can bounce back to it (a shell race): press 4 again
        term.send("4")
        try:
            term.wait_for("Shape chain", timeout=5)
            break
        except AssertionError:
            continue
    screen = term.wait_for("printed by PyTorch", timeout=60)  # the first show imports torch
    assert "Conv2d(3, 3, kernel_size=3, stride=2," in screen
    assert "torch.Size([1, 3, 319, 319])" in screen
    assert "torch.Size([1, 3, 640, 640])" in screen

    term.send("o", "m")  # a fourth kernel, then 2×2 max pooling
    screen = term.wait_for("torch.Size([1, 4, 159, 159])")
    assert "MaxPool2d(kernel_size=2, stride=2)" in screen
    term.send("q")
    assert term.pane_dead(), "cnn-tui did not exit on q"
