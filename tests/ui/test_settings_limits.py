"""Pilot tests: a settings value never ends the app. Sizes past the tabs' limits (config.Limits) are refused
with a sentence that states the limit, the last valid settings stay, and letters typed into a cell are
refused with a hint instead of reaching the tab's shortcuts."""

from __future__ import annotations

import pytest
from cnn_tui.config import LIMITS, AppConfig
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.screens.settings_form import SettingsForm
from cnn_tui.ui.tabs.stepper.convolution import ConvolutionTab
from cnn_tui.ui.tabs.stepper.pooling import PoolingTab
from tests.conftest import SNAPSHOT_SIZE
from tests.ui.test_conv_pool_tabs import _open


async def _submit_form(pilot, **values: str) -> str:
    """Open the tab's form, set the fields, press enter; the form's message ('' when it closed)."""
    app = pilot.app
    await pilot.press("f")
    assert isinstance(app.screen, SettingsForm)
    for name, value in values.items():
        app.screen.query_one(f"#field-{name}").value = value
    await pilot.press("enter")
    if not isinstance(app.screen, SettingsForm):
        return ""
    message = str(app.screen.query_one("#convpool-form-message").render())
    await pilot.press("escape")
    return message


@pytest.mark.slow
async def test_huge_sizes_in_the_forms_are_refused_with_the_limit_and_the_app_keeps_running():
    app = CnnTuiApp(AppConfig())
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await _open(pilot, "2")
        assert isinstance(tab, ConvolutionTab)
        before = (tab.lab.padding, tab.trace.output.shape)
        message = await _submit_form(pilot, padding="100000")
        assert f"padding can be at most {LIMITS.tab_padding} here, so the matrices fit on the screen" in message
        for name in ("stride", "dilation"):
            message = await _submit_form(pilot, **{name: "100000"})
            assert f"can be at most {getattr(LIMITS, 'tab_' + name)} here" in message
        message = await _submit_form(pilot, size="100000x3")
        assert f"input size can be 1 to {LIMITS.tab_side} here" in message
        assert app.is_running and (tab.lab.padding, tab.trace.output.shape) == before
        assert await _submit_form(pilot, padding=str(LIMITS.tab_padding)) == ""  # the limit itself is allowed
        assert tab.lab.padding == (LIMITS.tab_padding,) * 2

        tab.apply_preset("example:conv-padding")
        for _ in range(LIMITS.tab_padding + 2):
            await pilot.press("a")
        assert tab.lab.padding == (LIMITS.tab_padding,) * 2
        assert f"can be at most {LIMITS.tab_padding} here" in str(tab.query_one("#conv-message").render())

        pool = await _open(pilot, "3")
        assert isinstance(pool, PoolingTab)
        message = await _submit_form(pilot, kernel_size="20000", padding="10000")
        assert f"kernel size can be 1 to {LIMITS.tab_kernel_size} here" in message
        await pilot.press("L")
        message = await _submit_form(pilot, padding="100000")
        assert f"填充 在这里最多为 {LIMITS.tab_padding}" in message
        assert app.is_running and pool.lab.example == "max-pool-padding"


async def test_letters_typed_into_a_cell_are_refused_not_taken_as_shortcuts():
    app = CnnTuiApp(AppConfig())
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await _open(pilot, "2")
        lab = tab.lab
        await pilot.press("e", "a", "b", "c")  # padding, bias and channels, were they shortcuts
        assert tab.lab is lab and tab.cursor is not None and tab.cursor.target == "input"
        message = str(tab.query_one("#conv-message").render())
        assert "typing into a cell takes digits, '.' and '-' ('c' is not one)" in message
        await pilot.press("4", "enter")  # the cell editor still works
        assert tab.lab.input[0, 0, 0] == 4
        await pilot.press("e", "b")  # on the kernel too
        assert tab.lab.bias.tolist() == lab.bias.tolist()
        await pilot.press("e", "a")  # on the output nothing is typed: keys are shortcuts again
        assert tab.cursor.target == "output" and tab.lab.padding == (2, 2)
        await pilot.press("escape", "a")
        assert tab.cursor is None and tab.lab.padding == (3, 3)


async def test_feature_maps_l_says_why_a_checkpoint_declaring_a_huge_network_is_refused(tmp_path):
    import json
    import shutil

    from cnn_tui.config import Paths
    from tests.tiny_network import tiny_models_dir
    from tests.shown import text_of
    from tests.ui.test_feature_maps import open_tab, settle

    for file in tiny_models_dir().glob("image_classification.*"):
        shutil.copy(file, tmp_path / file.name)
    meta = tmp_path / "image_classification.json"
    data = json.loads(meta.read_text())
    data["model"]["conv_channels"] = [100000, 100000]  # Feature maps l waited forever on this before
    meta.write_text(json.dumps(data))
    app = CnnTuiApp(AppConfig(lang="en", paths=Paths(models_dir=tmp_path)))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await open_tab(pilot)
        await pilot.press("l")
        await settle(pilot)
        info = text_of(app, "#fl-info")
        assert "not valid cnn-tui checkpoint metadata" in info and "over the limit" in info
