"""What each neuron looks for, in a real terminal: a unit's receptive field in Predict and in the Feature maps tab's
trained network, a channel's top patches, and the Training tab's inner-numbers view (the committed tiny network)."""

from __future__ import annotations

import pytest

from tests.tiny_network import CHECKPOINT_NAME, tiny_models_dir

pytestmark = pytest.mark.e2e


def test_fields_top_patches_and_inner_numbers_from_the_keyboard(tmux_app, tmp_path):
    term = tmux_app(f"--lang en --checkpoint {tiny_models_dir() / CHECKPOINT_NAME}", cwd=tmp_path)
    term.wait_for("▀▀▀▀", timeout=60)  # the Pixels tab has drawn its image
    term.send("7")
    term.wait_for("Grad-CAM conv2 13×13", timeout=60)
    term.send("Right")
    term.wait_for("Unit (6, 6) of conv2: field 8×8, jump 2, sees rows 12–19, columns 12–19 (framed).", timeout=30)
    term.send("4")
    term.wait_for("Shape chain", timeout=60)
    term.send("l")
    term.wait_for("image_classification.pth: lecture", timeout=60)
    term.send("Down")
    term.wait_for("Unit (15, 15) of conv1: field 3×3, jump 1", timeout=30)
    term.send("T")
    screen = term.wait_for("test images that excite it most", timeout=60)
    assert "Top patches: what channel 0 of conv1 looks for" in screen
    term.send("Escape")
    term.wait_gone("Top patches: what channel 0", timeout=10)
    term.send("6")
    term.wait_for("Settings (e: edit)", timeout=60)
    term.send("v")
    term.wait_for("While a run trains, each layer's weights and gradients appear here", timeout=20)
    term.send("q")
    assert term.pane_dead(), "cnn-tui did not exit on q"
