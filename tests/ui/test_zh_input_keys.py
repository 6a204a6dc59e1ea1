"""Issue 28: Textual's Input keys ("Delete character left", "Move cursor right…") in the keys panel follow the
app's language, in the Open image box, the settings forms and the command palette."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import Input

from cnn_tui.config import AppConfig
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.screens.open_image import OpenImageScreen
from tests.waiting import until, wait_for_workers

pytestmark = pytest.mark.slow


def _described(app) -> dict[str, str]:
    return {key: binding.description for key, (_, binding, *_) in app.screen.active_bindings.items()}


async def test_the_open_box_and_the_palette_describe_inputs_keys_in_chinese():
    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for_workers(pilot)
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, OpenImageScreen) and isinstance(app.focused, Input))
        await until(pilot, lambda: _described(app).get("backspace") == "删除左边的字符")
        described = _described(app)
        assert described["right"] == "光标右移（或接受补全建议）" and described["ctrl+v"] == "从剪贴板粘贴"
        assert not {"Delete character left", "Move cursor left", "Submit"} & set(described.values())
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette) and isinstance(app.focused, Input))
        await until(pilot, lambda: _described(app).get("backspace") == "删除左边的字符")


async def test_a_settings_form_describes_inputs_keys_in_english_after_switching_back():
    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for_workers(pilot)
        await pilot.press("L")  # English
        await pilot.press("2", "f")  # the Convolution tab's settings form
        await until(pilot, lambda: isinstance(app.focused, Input))
        await until(pilot, lambda: _described(app).get("backspace") == "Delete character left")
