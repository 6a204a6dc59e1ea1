"""What differs in a browser session (`cnn-tui serve`): keys the browser keeps for itself, files as downloads."""

from __future__ import annotations

from pathlib import Path

import pytest

from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.messages import CheckpointSaved
from tests.conftest import SNAPSHOT_SIZE
from tests.ui.training_helpers import make_app, open_training, until
from tests.shown import notified


# Chromium and Firefox act on these themselves; a page never sees them (ctrl+p, the palette, does reach the page).
BROWSER_RESERVED = {
    "ctrl+n", "ctrl+t", "ctrl+w", "ctrl+tab", "ctrl+shift+n", "ctrl+shift+t", "ctrl+shift+w", "ctrl+shift+tab",
    "ctrl+shift+q", "f11", "f12",
}


async def test_every_key_of_the_app_and_its_palette_reaches_a_browser_page():
    """The palette runs the bindings below (and 1 … 6, ?, L, q), so each of its actions has a key a page receives."""
    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await pilot.pause()
        keys = set(app.active_bindings)  # the app's own keys and those of the focused widget's chain
        for _, _, slot in app.tab_titles():
            keys |= {binding.key for _, binding in app.tab_bindings(slot)}
    assert keys and not keys & BROWSER_RESERVED


@pytest.mark.parametrize("web", [True, False])
async def test_a_checkpoint_saved_with_w_is_downloaded_in_a_browser_only(web, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    checkpoint = tmp_path / "models" / "image_classification-epoch1-batch3.pth"
    checkpoint.parent.mkdir()
    checkpoint.write_bytes(b"weights")
    app = make_app()
    delivered: list[Path] = []
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_training(pilot)
        monkeypatch.setattr(CnnTuiApp, "is_web", property(lambda self: web))
        monkeypatch.setattr(app, "deliver_binary", lambda path, **kwargs: delivered.append(Path(path)))
        tab.post_message(CheckpointSaved(str(checkpoint), 1, 3))
        await until(pilot, lambda: notified(app, "saved"))
    assert delivered == ([checkpoint] if web else [])


def test_a_training_that_runs_out_of_memory_says_what_to_do():
    """In a served session (--session-memory) a run past its memory ends in a sentence, not an allocator's text."""
    import torch

    from cnn_tui.i18n import LocalizedError, describe
    from cnn_tui.ui.tabs.training.job import unexpected

    failures = []
    for allocate in (lambda: torch.empty(2**60, dtype=torch.uint8), lambda: bytearray(2**60)):
        try:
            allocate()
        except Exception as error:  # noqa: BLE001 - torch's RuntimeError and Python's MemoryError
            failures.append(error)
    assert [type(error).__name__ for error in failures] == ["RuntimeError", "MemoryError"]
    for error in failures:
        said = unexpected(error)
        assert isinstance(said, LocalizedError)
        assert describe(said).startswith("Training needed more memory than this program may use")
        assert "Lower the batch size" in describe(said)
    assert unexpected(ValueError("odd")) == "ValueError: odd"
