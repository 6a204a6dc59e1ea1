"""The Model tab's network editor (e): the current network's code to start, a syntax error shown on its line,
a saved my_network.py checked by the own-model sentences and described at once, and kept for the next edit."""

from __future__ import annotations

import pytest
from textual.widgets import TextArea

from cnn_tui.config import AppConfig
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.tabs.model.network_editor import NetworkEditor, editor_language
from cnn_tui.ui.tabs.model.tab import ModelTab
from tests.conftest import SNAPSHOT_SIZE
from tests.shown import notified, text_of
from tests.ui.training_helpers import until


async def _model_tab(pilot) -> ModelTab:
    """The Model tab, shown, once it describes its first network."""
    await pilot.press("5")
    tab = pilot.app.query_one(ModelTab)
    await until(pilot, lambda: tab.described is not None)
    return tab


async def _editor(pilot, tab) -> TextArea:
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(pilot.app.screen, NetworkEditor)
    return pilot.app.screen.query_one(TextArea)


async def _save(pilot, area: TextArea, text: str) -> None:
    area.load_text(text)
    await pilot.press("ctrl+s")
    await pilot.pause()


@pytest.mark.slow
async def test_edit_save_check_and_describe(scratch_folder):
    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await _model_tab(pilot)
        area = await _editor(pilot, tab)
        lecture = area.text
        assert "class ImageClassification(nn.Module):" in lecture and area.language == editor_language()

        await _save(pilot, area, lecture.replace("    def forward(self, x):", "    def forward(self, x)"))
        assert isinstance(app.screen, NetworkEditor)  # not saved
        line = next(i for i, text in enumerate(lecture.splitlines()) if "def forward" in text)
        assert f"line {line + 1}:" in text_of(app.screen, "#editor-message")
        assert area.selection.start[0] == line  # the cursor on the line of the error
        assert not (scratch_folder / "my_network.py").exists()

        wider = lecture.replace("Conv2d(6, 16,", "Conv2d(6, 32,")  # the homework: more channels …
        await _save(pilot, area, wider)
        assert not isinstance(app.screen, NetworkEditor)
        assert (scratch_folder / "my_network.py").read_text(encoding="utf-8") == wider
        assert notified(app, "my_network.py:ImageClassification")
        # … but the first Linear still expects 576 inputs: the own-model check says so in the tab
        await until(pilot, lambda: tab.error is not None)
        assert "576" in text_of(tab, "#model-chain")

        area = await _editor(pilot, tab)
        assert area.text == wider  # the saved file comes back for the next edit
        await _save(pilot, area, wider.replace("in_features=576", "in_features=1152"))
        await until(pilot, lambda: tab.described is not None and tab.described.name == "my_network.py:ImageClassification")
        chain = " ".join(text_of(tab, "#model-chain").split())
        assert "32×6×6" in chain and "my_network.py:ImageClassification" in tab.models


async def test_a_file_without_a_network_is_refused(scratch_folder):
    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await _model_tab(pilot)
        area = await _editor(pilot, tab)
        await _save(pilot, area, "x = 1\n")
        assert "nn.Module" in text_of(app.screen, "#editor-message")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, NetworkEditor)
        assert not (scratch_folder / "my_network.py").exists()


@pytest.mark.slow
async def test_e_after_a_failed_check_opens_on_the_line_that_failed(scratch_folder):
    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await _model_tab(pilot)
        area = await _editor(pilot, tab)
        wider = area.text.replace("Conv2d(6, 16,", "Conv2d(6, 32,")  # the first Linear still expects 576 inputs
        await _save(pilot, area, wider)
        await until(pilot, lambda: tab.error is not None)
        failing = next(i for i, line in enumerate(wider.splitlines()) if "self.linear1(x)" in line)
        assert f"my_network.py:{failing + 1}" in text_of(tab, "#model-chain")

        area = await _editor(pilot, tab)
        assert area.selection.start[0] == failing  # the cursor on the line that failed
        shown = " ".join(text_of(app.screen, "#editor-message").split())
        assert f"my_network.py:{failing + 1}" in shown and "前向传播" in shown  # the check's sentence, in Chinese
        await pilot.press("escape")
        await pilot.pause()
        await _save(pilot, await _editor(pilot, tab), wider.replace("in_features=576", "in_features=1152"))
        await until(pilot, lambda: tab.described is not None and tab.error is None)
        area = await _editor(pilot, tab)
        assert area.selection.start[0] == 0 and "前向传播" not in text_of(app.screen, "#editor-message")
        described = {binding.description for _, binding, *_ in app.screen.active_bindings.values()}
        assert {"撤销", "保存并检查", "关闭", "上一个控件"} <= described, described
        assert not [d for d in described if d.isascii()], described


def test_the_editor_after_a_failed_check_in_chinese_snapshot(snap_compare, scratch_folder):
    async def failed_check(pilot):
        tab = await _model_tab(pilot)
        area = await _editor(pilot, tab)
        await _save(pilot, area, area.text.replace("Conv2d(6, 16,", "Conv2d(6, 32,"))
        await until(pilot, lambda: tab.error is not None)
        pilot.app.clear_notifications()  # the note names the test's own folder
        await _editor(pilot, tab)
        await pilot.pause()

    assert snap_compare(CnnTuiApp(AppConfig(lang="zh")), run_before=failed_check, terminal_size=SNAPSHOT_SIZE)
