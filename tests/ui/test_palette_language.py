"""The command palette's own commands (Textual's Theme, Quit, Keys …) and its key in the footer follow the app's
language."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import Footer

from cnn_tui.config import AppConfig
from cnn_tui.ui.app import CnnTuiApp


async def test_textuals_system_commands_are_in_chinese():
    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        commands = {command.title: command.help for command in app.get_system_commands(app.screen)}
        assert {"主题", "退出", "按键", "截图"} <= set(commands), commands
        assert commands["退出"] == "立即退出程序"
        assert not {"Theme", "Quit", "Keys", "Screenshot"} & set(commands)


@pytest.mark.slow
async def test_the_footers_palette_key_follows_the_language():
    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        footer = app.query_one(Footer)
        shown = " ".join(str(key.render()) for key in footer.children)
        assert "命令" in shown and "palette" not in shown, shown
        await pilot.press("L")
        await pilot.pause()
        shown = " ".join(str(key.render()) for key in footer.children)
        assert "palette" in shown and "命令" not in shown, shown
        await pilot.press("ctrl+p")  # the key still opens it
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
