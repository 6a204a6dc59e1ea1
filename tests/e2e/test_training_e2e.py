"""The Training tab in a real terminal: a short synthetic run set up and started from the keyboard, its accuracy read off the screen."""

from __future__ import annotations

import re
import time

import pytest

pytestmark = pytest.mark.e2e


def type_slowly(term, *keys: str, pause: float = 0.15) -> None:
    """Send keys at a typist's pace: a burst of tabs can outrun the focus moves they cause."""
    for key in keys:
        term.send(key)
        time.sleep(pause)


def test_a_short_synthetic_run_from_the_keyboard(tmux_app, tmp_path):
    term = tmux_app("--lang en", cwd=tmp_path)  # no data/ here: CIFAR-10 is missing
    term.wait_for("Training")
    term.send("6")
    term.wait_for("missing: data/cifar-10-batches-py", timeout=60)  # the first show imports torch
    term.send("e")
    term.wait_for("Training settings")
    # The data field has focus with its text selected: typing replaces it; tab moves to the next field.
    type_slowly(term, "synthetic", "Tab", "Tab", "Tab", "2", "Tab", "50", "Tab", "0.01", "Tab", "Tab", "600", "Tab", "200", "Enter")
    screen = term.wait_for("built in: synthetic", timeout=30)
    assert re.search(r"epochs\s+2\b", screen) and re.search(r"train images\s+600\b", screen)
    term.send("s")
    screen = term.wait_for("Acc: ", timeout=120)
    headline = re.search(r"Acc: (\d\.\d\d)", screen)
    detail = re.search(r"200 test images · accuracy (\d\.\d{4})", screen)
    assert headline and detail, screen
    assert 0.0 <= float(detail.group(1)) <= 1.0 and headline.group(1) == f"{float(detail.group(1)):.2f}"
    assert "Finished 2 epochs." in screen and "Confusion matrix" in screen
    assert (tmp_path / "models" / "image_classification.pth").exists()
    term.send("q")
    assert term.pane_dead(), "cnn-tui did not exit on q"
