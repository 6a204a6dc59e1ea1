"""The language key (L) reaches the screens opened over a tab: the open screen switches and redraws in the other
language, and L again switches back."""

from __future__ import annotations

from textual.widgets import Input

from cnn_tui.config import AppConfig
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.screens.open_image import OpenImageScreen
from cnn_tui.ui.screens.preset_picker import PresetPicker
from cnn_tui.ui.tabs.feature_maps.top_patches_screen import TopPatchesScreen
from tests.conftest import SNAPSHOT_SIZE
from tests.shown import text_of
from tests.ui.test_conv_pool_tabs import _open
from tests.ui.test_neuron_views import make_app, open_top_patches
from tests.waiting import until, wait_for_workers


async def test_language_key_switches_the_open_top_patches_screen(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await open_top_patches(pilot)
        assert "Top patches" in text_of(screen, "#tp-title") and "ring " in text_of(screen, "#tp-table")
        await pilot.press("L")
        assert app.lang == "zh" and app.screen is screen
        assert "最强图块" in text_of(screen, "#tp-title"), text_of(screen, "#tp-title")
        table = text_of(screen, "#tp-table")
        assert "类别" in table and "圆环 ring" in table and "激活值" in table, table
        assert "选择图块" in text_of(screen, "#tp-hint")
        await pilot.press("L")
        assert app.lang == "en" and "Top patches" in text_of(screen, "#tp-title")
        await pilot.press("escape")
        assert not isinstance(app.screen, TopPatchesScreen)


async def test_language_key_switches_the_open_preset_picker_and_its_rows():
    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await _open(pilot, "2")
        await pilot.press("x")
        screen = app.screen
        assert isinstance(screen, PresetPicker)
        english = [str(option.prompt) for option in screen.query_one("#convpool-preset-list").options]
        title = text_of(screen, "#convpool-presets-title")
        await pilot.press("L")
        assert app.lang == "zh" and app.screen is screen
        assert text_of(screen, "#convpool-presets-title") != title
        chinese = [str(option.prompt) for option in screen.query_one("#convpool-preset-list").options]
        assert chinese == [label for _, label in screen.presets]
        assert len(chinese) == len(english) and any("随机" in label for label in chinese), chinese
        assert not any("random" in label.lower() for label in chinese), chinese
        await pilot.press("L")
        assert [str(option.prompt) for option in screen.query_one("#convpool-preset-list").options] == english


async def test_language_key_types_an_l_in_the_open_image_box():
    """Where the focus is in a text field the letter is typed, not the language switched (paths have capitals)."""
    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await wait_for_workers(pilot)
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, OpenImageScreen) and isinstance(app.focused, Input))
        await pilot.press("L")
        assert app.lang == "en" and app.focused.value == "L"
