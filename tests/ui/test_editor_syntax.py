"""The network editor's colours: Python highlighted where the `syntax` extra (tree-sitter) is installed, and plain
text, still editable and saved, where it is not."""

from __future__ import annotations

import sys

from textual.widgets import TextArea

from cnn_tui.config import AppConfig
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.tabs.model.network_editor import NetworkEditor, editor_language
from cnn_tui.ui.tabs.model.tab import ModelTab
from tests.conftest import SNAPSHOT_SIZE
from tests.ui.training_helpers import until


async def _open_editor(pilot) -> TextArea:
    await pilot.press("5")
    tab = pilot.app.query_one(ModelTab)
    await until(pilot, lambda: tab.described is not None)
    await pilot.press("e")
    await until(pilot, lambda: isinstance(pilot.app.screen, NetworkEditor))
    await pilot.pause()
    return pilot.app.screen.query_one(TextArea)


def _styles(area: TextArea, *words: str) -> list[object]:
    """The style each word is drawn in on the first line of the code that has all of them (the Line API)."""
    row = next(i for i, line in enumerate(area.text.splitlines()) if all(word in line for word in words))
    segments = list(area.render_line(row))
    return [next(s.style for s in segments if word in s.text) for word in words]


async def test_python_in_colour_with_the_syntax_extra(scratch_folder):
    assert editor_language() == "python"  # the test extra installs textual[syntax]
    async with CnnTuiApp(AppConfig(lang="en")).run_test(size=SNAPSHOT_SIZE) as pilot:
        area = await _open_editor(pilot)
        assert area.language == "python" and area.is_syntax_aware
        keyword, name = _styles(area, "class", "ImageClassification")
        assert keyword != name  # the keyword and the class name in colours of their own


async def test_plain_text_without_it_and_saving_still_works(scratch_folder, monkeypatch):
    monkeypatch.setitem(sys.modules, "tree_sitter_python", None)  # as if the extra were not installed
    assert editor_language() is None
    async with CnnTuiApp(AppConfig(lang="en")).run_test(size=SNAPSHOT_SIZE) as pilot:
        area = await _open_editor(pilot)
        assert area.language is None and not area.is_syntax_aware
        keyword, name = _styles(area, "class", "ImageClassification")
        assert keyword == name  # one colour for all of it
        area.load_text(area.text.replace("Conv2d(6, 16,", "Conv2d(6, 32,"))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(pilot.app.screen, NetworkEditor))
        assert "Conv2d(6, 32," in (scratch_folder / "my_network.py").read_text(encoding="utf-8")
