"""Pilot tests of the shell: every global key does what the help screen says."""

from __future__ import annotations

import pytest
from textual.widgets import TabbedContent

from cnn_tui.config import AppConfig
from cnn_tui.i18n import tr
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.screens.help_screen import HelpScreen
from cnn_tui.ui.tabs import TABS
from tests.conftest import SNAPSHOT_SIZE


def _labels(app: CnnTuiApp) -> list[str]:
    tabs = app.query_one(TabbedContent)
    return [str(tabs.get_tab(spec.id).label) for spec in TABS]


@pytest.mark.slow
async def test_number_keys_jump_to_each_tab():
    app = CnnTuiApp()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        for number, spec in reversed(list(enumerate(TABS, start=1))):
            await pilot.press(str(number))
            assert app.query_one(TabbedContent).active == spec.id


async def test_tabs_are_in_lecture_order():
    app = CnnTuiApp()
    async with app.run_test(size=SNAPSHOT_SIZE):
        assert _labels(app) == ["Pixels", "Convolution", "Pooling", "Feature maps", "Model", "Training", "Predict"]


async def test_help_lists_global_keys_and_closes():
    app = CnnTuiApp()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        rows = {key: text for _, section in app.help_sections() for key, text in section}
        assert rows["?"] == "Help" and rows["q"] == "Quit" and rows["L"] == "中文"
        assert "1 … 7" in rows and "^p" in rows
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("question_mark", "question_mark")
        assert not isinstance(app.screen, HelpScreen)


async def test_help_does_not_quit_on_q():
    app = CnnTuiApp()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await pilot.press("question_mark", "q")
        assert app.is_running and not isinstance(app.screen, HelpScreen)


async def test_language_key_switches_everything_and_back():
    app = CnnTuiApp()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await pilot.press("L")
        assert app.lang == "zh"
        assert _labels(app) == ["图像基础", "卷积层", "池化层", "特征图", "模型", "训练", "预测"]
        assert app.sub_title == tr("app.subtitle", lang="zh")
        descriptions = {active.binding.description for active in app.active_bindings.values()}  # the footer's
        assert "退出" in descriptions and "帮助" in descriptions
        await pilot.press("L")
        assert app.lang == "en" and _labels(app)[0] == "Pixels"


async def test_language_switch_while_help_is_open_redraws_it():
    app = CnnTuiApp()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await pilot.press("question_mark", "L")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        title = app.screen.query_one("#help-title").render()
        assert "快捷键" in str(title)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_start_language_from_config(lang):
    app = CnnTuiApp(AppConfig(lang=lang))
    async with app.run_test(size=SNAPSHOT_SIZE):
        assert _labels(app)[1] == tr("tab.convolution.title", lang=lang)


async def test_q_quits():
    app = CnnTuiApp()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


async def test_command_palette_offers_every_tab_and_action():
    from cnn_tui.ui.palette import LabCommands

    app = CnnTuiApp()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        provider = LabCommands(app.screen)
        commands = {hit.text: hit.command async for hit in provider.discover()}  # what the empty palette lists
        for spec in TABS:
            assert f"Go to tab: {tr(spec.title_key)}" in commands
        assert "Quit cnn-tui" in commands and "Show keys (help)" in commands
        commands["Go to tab: Pooling"]()
        await pilot.pause()
        assert app.query_one(TabbedContent).active == "pooling"


async def test_ctrl_p_opens_the_palette():
    from textual.command import CommandPalette

    app = CnnTuiApp()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)


async def test_switching_tabs_moves_focus_into_the_new_tab_and_stays_there():
    app = CnnTuiApp()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tabs = app.query_one(TabbedContent)
        for key, spec in [("2", TABS[1]), ("1", TABS[0]), ("4", TABS[3]), ("2", TABS[1])]:
            await pilot.press(key)
            for _ in range(3):
                await pilot.pause(0.05)
            assert tabs.active == spec.id
            assert tabs.get_pane(spec.id) in app.focused.ancestors_with_self


async def test_a_tab_clicked_with_the_mouse_takes_its_keys_at_once():
    from textual.widgets import Tabs

    from cnn_tui.ui.tabs.pixels.view import PixelView
    from tests.waiting import until

    app = CnnTuiApp()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tabs = app.query_one(TabbedContent)
        await until(pilot, lambda: isinstance(app.focused, PixelView))
        for spec in (TABS[1], TABS[0]):  # a tab built on its click, one built already
            await pilot.click(f"#--content-tab-{spec.id}")
            await until(pilot, lambda: app.focused is not None and tabs.get_pane(spec.id) in app.focused.ancestors)
            assert tabs.active == spec.id
        app.screen.set_focus(tabs.query_one(Tabs))  # the focus on the tab bar, as after tab / shift+tab
        await pilot.click("#--content-tab-pixels")  # the tab shown already: Textual keeps the focus on the bar
        await until(pilot, lambda: isinstance(app.focused, PixelView))
        await pilot.press("c")  # a key of the Pixels tab: the channel
        await until(pilot, lambda: app.query_one(PixelView).mode == "r")
