"""The command palette's own commands (Textual's Theme, Quit, Keys …) follow the app's language."""

from __future__ import annotations

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
