"""The learner's journey in a real terminal: their photo, a convolution on it, its feature maps, a network
trained on the synthetic set, and the learned view of that very network — one app state all the way."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

pytestmark = pytest.mark.e2e


def test_my_image_and_my_network_follow_me_through_the_tabs(tmux_app, tmp_path):
    pixels = np.random.default_rng(3).integers(0, 256, (60, 80, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(tmp_path / "photo.png")
    term = tmux_app("--lang en", cwd=tmp_path)
    term.wait_for("(H, W, C) = (640, 640, 3)", timeout=60)
    term.send("o")
    term.wait_for("Open an image")
    term.send("photo.png", "Enter")
    term.wait_for("(H, W, C) = (60, 80, 3)", timeout=30)
    term.send("j", "j", "l", "l")
    term.send("g")  # step a convolution here
    screen = term.wait_for("a crop of the current image around row", timeout=60)
    assert "Convolution" in screen
    term.send("4")
    term.wait_for("torch.Size([1, 3, 29, 39])", timeout=120)  # (60 − 3) // 2 + 1, (80 − 3) // 2 + 1
    term.send("t")
    term.wait_for("The lecture · Feature maps")
    term.send("t")
    term.send("6")
    term.wait_for("missing: ", timeout=60)
    term.send("d")
    term.wait_for("built in: synthetic", timeout=60)
    term.send("s")
    term.wait_for("Acc: ", timeout=240)
    term.send("4")
    term.send("l")
    term.wait_for("image_classification.pth: lecture", timeout=120)
    term.send("q")
    assert term.pane_dead(), "cnn-tui did not exit on q"
