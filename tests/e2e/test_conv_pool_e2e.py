"""The installed app in a real terminal: step through the lecture's max-pooling example and read its table."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.e2e

LECTURE_TABLE = [["0", "1", "2", "2"], ["3", "4", "5", "5"], ["6", "7", "8", "8"], ["6", "7", "8", "8"]]


def _output_rows(screen: str) -> list[list[str]]:
    """The rows printed under the 'output · channel 1' label, in its columns."""
    lines = screen.splitlines()
    for number, line in enumerate(lines):
        column = line.find("output · channel 1")
        if column >= 0:
            rows = []
            for below in lines[number + 1 :]:
                cells = below[column:].split()
                if not cells or not all(re.fullmatch(r"-?\d+(\.\d+)?|·", cell) for cell in cells):
                    break
                rows.append(cells)
            return rows
    raise AssertionError(f"no output matrix on screen:\n{screen}")


def test_step_through_the_lecture_max_pooling_and_read_the_table(tmux_app):
    term = tmux_app("--lang en")
    term.wait_for("Training")
    term.send("3")
    screen = term.wait_for("max pooling · input 1×3×3")
    assert "step 1/16" in screen
    assert _output_rows(screen)[0][0] == "0" and _output_rows(screen)[3] == ["·"] * 4
    for number in range(2, 17):
        term.send("n")
        screen = term.wait_for(f"step {number}/16")
    screen = term.wait_for("max(8, -∞, -∞, -∞) = 8")
    assert _output_rows(screen) == LECTURE_TABLE
    assert "nn.MaxPool2d(kernel_size=2, stride=1, padding=1)" in screen
    term.send("q")
    assert term.pane_dead()


def test_convolution_tab_steps_and_rejects_a_bad_setting(tmux_app):
    term = tmux_app("--lang en")
    term.wait_for("Training")
    term.send("2")
    term.wait_for("(5 − 3 + 2) / 1 + 1 = 5")
    term.send("Right")
    term.wait_for("step 2/25")
    term.send("A")  # padding 1 → 0
    term.wait_for("(5 − 3 + 0) / 1 + 1 = 3")
    term.send("A")  # → -1: refused
    term.wait_for("padding must be 0 or more (got -1)")
    term.send("q")
    assert term.pane_dead()
