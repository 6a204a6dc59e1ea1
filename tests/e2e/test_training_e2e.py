"""The Training tab in a real terminal: a synthetic run set up and started from the keyboard, its accuracy read off the screen."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.e2e


def test_a_synthetic_run_from_the_keyboard(tmux_app, tmp_path):
    term = tmux_app("--lang en", cwd=tmp_path)  # no data/ here: CIFAR-10 is missing
    term.wait_for("Training")
    term.send("6")
    term.wait_for("missing: ", timeout=60)  # the first show imports torch
    term.send("e")
    term.wait_for("Training settings")
    # The data field has focus with its text selected: typing replaces it, enter applies the form.
    # (Only one field: keys sent faster than focus moves can land in the previous field.)
    term.send("synthetic")
    term.wait_for("synthetic  ")
    term.send("Enter")
    term.wait_for("built in: synthetic", timeout=30)
    term.send("s")
    screen = term.wait_for("Acc: ", timeout=180)
    headline = re.search(r"Acc: (\d\.\d\d)", screen)
    detail = re.search(r"([\d,]+) test images · accuracy (\d\.\d{4})", screen)
    assert headline and detail, screen
    accuracy = float(detail.group(2))
    assert 0.0 <= accuracy <= 1.0 and headline.group(1) == f"{accuracy:.2f}"
    assert re.search(r"Finished \d+ epochs\.", screen) and "Confusion matrix" in screen
    assert (tmp_path / "models" / "image_classification.pth").exists()
    term.send("q")
    assert term.pane_dead(), "cnn-tui did not exit on q"
