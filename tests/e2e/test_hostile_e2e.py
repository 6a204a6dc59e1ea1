"""A real terminal on hostile text: escape sequences in class names or run labels never retitle or clear it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile import MARKUP_LABEL, write_hostile_checkpoint, write_hostile_runs

pytestmark = pytest.mark.e2e


def _everything(term) -> str:  # noqa: ANN001
    """The pane's text with its scrollback ("Pane is dead" can scroll the first line away)."""
    return term.screen(scrollback=100)


def test_predict_never_lets_a_class_name_retitle_the_terminal(tmux_app, tmp_path: Path):
    from PIL import Image

    checkpoint, image = tmp_path / "evil.pth", tmp_path / "img.png"
    write_hostile_checkpoint(checkpoint)  # every class name holds OSC 2 (set the window title)
    Image.new("RGB", (32, 32), (200, 30, 30)).save(image)
    term = tmux_app(f"predict {image} --checkpoint {checkpoint} --threads 1")
    assert term.pane_dead(timeout=120), "cnn-tui predict did not finish"
    assert "PWNED" not in term.title(), f"a class name retitled the terminal: {term.title()!r}"
    screen = _everything(term)
    assert "img.png" in screen and "PWNED-TITLE\\x1b\\[b]" in screen  # shown as text


def test_runs_listing_never_lets_a_label_clear_the_screen(tmux_app, tmp_path: Path):
    runs_dir = tmp_path / "runs"
    runs_dir.mkdir()
    write_hostile_runs(runs_dir)  # one label sets the title and clears the screen (ESC [2J)
    term = tmux_app(f"runs --runs-dir {runs_dir}")
    assert term.pane_dead(timeout=60), "cnn-tui runs did not finish"
    screen = _everything(term)
    assert MARKUP_LABEL in screen
    assert "skipped" in screen and "named pipe" in screen, "the lines before the table were cleared away"
    assert "evil\\x1b" in screen and "PWNED" not in term.title()
