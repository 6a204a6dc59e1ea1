"""The installed app in a real terminal: tabs, help, language switch, quit."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e


def _alive(pid: int, wait: float = 5.0) -> bool:
    """True if `pid` still runs after `wait` seconds (an exited process may take a moment to be reaped)."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return False
        if state in ("Z", "X"):  # exited; only its parent's wait() is left
            return False
        time.sleep(0.05)
    return True


def test_tabs_help_language_and_quit(tmux_app):
    term = tmux_app("--lang en")
    screen = term.wait_for("Training")
    for title in ("Pixels", "Convolution", "Pooling", "Feature maps", "Model"):
        assert title in screen
    pid = term.pane_pid()

    term.send("2")
    term.wait_for("1 kernel(s) 3×3")  # the Convolution tab on the lecture's 5×5 example
    term.send("?")
    term.wait_for("This tab: Convolution")  # the tab's keys come first; the global ones follow (scroll)
    term.send("Escape")
    term.wait_gone("This tab: Convolution")

    term.send("L")
    screen = term.wait_for("卷积层")
    assert "池化层" in screen and "特征图" in screen

    term.send("q")
    assert term.pane_dead(), "cnn-tui did not exit on q"
    assert not _alive(pid), "the cnn-tui process is still running after quit"
