"""Textual's own texts follow the app's language: the palette, the theme picker, the keys panel, a Select's open
menu in the footer, the screenshot's note; and Screenshot saves its file."""

from __future__ import annotations

from textual.command import CommandInput, CommandList, CommandPalette
from textual.widgets import Footer, Select

from cnn_tui.config import AppConfig
from cnn_tui.ui.app import CnnTuiApp
from tests.shown import notified
from tests.waiting import until


def _footer_text(app) -> str:
    return " ".join(str(key.render()) for key in app.screen.query_one(Footer).children)


async def test_the_palette_speaks_chinese_and_says_when_nothing_matches():
    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        assert app.screen.query_one(CommandInput).placeholder == "搜索命令…"
        await pilot.press(*"qqzzxx")
        shown = app.screen.query_one(CommandList)
        await until(pilot, lambda: shown.option_count == 1 and "没有匹配" in str(shown.get_option_at_index(0).prompt))


async def test_the_theme_picker_speaks_chinese():
    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=(120, 36)) as pilot:
        app.search_themes()
        await until(pilot, lambda: isinstance(app.screen, CommandPalette) and bool(app.screen.query(CommandList)))
        assert app.screen.query_one(CommandInput).placeholder == "搜索主题…"
        await until(pilot, lambda: app.screen.query_one(CommandList).option_count > 0)  # the themes, listed


async def test_the_keys_panel_describes_textuals_keys_in_chinese():
    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        described = {binding.description for _, binding, *_ in app.screen.active_bindings.values()}
        assert {"下一个控件", "上一个控件", "复制选中的文字"} <= described, described
        assert not {"Focus Next", "Focus Previous", "Copy selected text"} & described
        await pilot.press("L")  # and back in English
        await pilot.pause()
        described = {binding.description for _, binding, *_ in app.screen.active_bindings.values()}
        assert {"Focus Next", "Focus Previous", "Copy selected text"} <= described, described


async def test_an_open_menu_says_how_to_close_it_in_chinese():
    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("5")  # the Model tab: its network chooser is a Select
        await until(pilot, lambda: bool(app.query("#model-select")))
        chooser = app.query_one("#model-select", Select)
        chooser.focus()
        chooser.expanded = True
        await until(pilot, lambda: "关闭菜单" in _footer_text(app))
        assert "Dismiss menu" not in _footer_text(app)


async def test_screenshot_saves_in_the_working_folder_and_says_so_in_chinese(scratch_folder):
    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        shot = next(c for c in app.get_system_commands(app.screen) if c.title == "截图")
        shot.callback()
        await until(pilot, lambda: notified(app, "截图已保存到"))
        saved = list(scratch_folder.glob("cnn-tui_*.svg"))
        assert len(saved) == 1 and saved[0].read_text(encoding="utf-8").startswith("<svg")


async def test_a_screenshot_that_cannot_be_saved_says_why_in_chinese(scratch_folder):
    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.action_screenshot(path=str(scratch_folder / "no-such-folder"))
        await until(pilot, lambda: notified(app, "无法把截图保存到"))
        assert not notified(app, "Failed to save screenshot")
