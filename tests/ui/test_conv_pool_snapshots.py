"""SVG snapshots of the Convolution and Pooling tabs on the lecture's examples, in both languages."""

from __future__ import annotations

from cnn_tui.config import AppConfig
from cnn_tui.ui.app import CnnTuiApp
from tests.conftest import SNAPSHOT_SIZE
from tests.ui.test_conv_pool_tabs import _open


def _at(key: str, preset: str | None = None, steps: int = 0, keys: tuple[str, ...] = ()):
    """A run_before that shows the tab, picks a preset, steps forward, then presses `keys`."""

    async def run_before(pilot) -> None:
        tab = await _open(pilot, key)
        if preset is not None:
            tab.apply_preset(f"example:{preset}")
        for _ in range(steps):
            await pilot.press("n")
        if keys:
            await pilot.press(*keys)
        await pilot.pause()

    return run_before


def test_conv_lecture_padding_first_step(snap_compare):
    app = CnnTuiApp(AppConfig(lang="en"))
    assert snap_compare(app, run_before=_at("2"), terminal_size=SNAPSHOT_SIZE)


def test_conv_lecture_padding_seventh_step_chinese(snap_compare):
    app = CnnTuiApp(AppConfig(lang="zh"))
    assert snap_compare(app, run_before=_at("2", steps=6), terminal_size=SNAPSHOT_SIZE)


def test_conv_stride_2(snap_compare):
    app = CnnTuiApp(AppConfig(lang="en"))
    assert snap_compare(app, run_before=_at("2", "conv-stride", steps=4), terminal_size=SNAPSHOT_SIZE)


def test_conv_three_channels_two_kernels(snap_compare):
    app = CnnTuiApp(AppConfig(lang="en"))
    assert snap_compare(app, run_before=_at("2", "conv-multi-kernel", steps=11), terminal_size=SNAPSHOT_SIZE)


def test_max_pool_padding_lecture_table(snap_compare):
    app = CnnTuiApp(AppConfig(lang="en"))
    assert snap_compare(app, run_before=_at("3", "max-pool-padding", keys=("end",)), terminal_size=SNAPSHOT_SIZE)


def test_avg_pool_stride_2(snap_compare):
    app = CnnTuiApp(AppConfig(lang="en"))
    assert snap_compare(app, run_before=_at("3", "avg-pool-stride", steps=1), terminal_size=SNAPSHOT_SIZE)


def test_invalid_setting_message(snap_compare):
    app = CnnTuiApp(AppConfig(lang="en"))
    assert snap_compare(app, run_before=_at("3", keys=("a",)), terminal_size=SNAPSHOT_SIZE)
