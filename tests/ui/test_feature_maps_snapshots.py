"""SVG snapshots of the Feature maps tab: the lecture's setting and an edge detector."""

from __future__ import annotations

import pytest

from cnn_tui.config import AppConfig
from cnn_tui.i18n import tr
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.tabs import feature_maps
from tests.conftest import SNAPSHOT_SIZE


@pytest.fixture(autouse=True)
def _fixed_timing(monkeypatch):
    """Run times vary from run to run: the status says a fixed time in snapshots."""
    monkeypatch.setattr(feature_maps, "timing_text", lambda seconds: tr("feature_maps.done", ms="12"))


def _after(*keys: str):
    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press("4")
        for key in keys:
            await pilot.press(key)
        for _ in range(3):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

    return run_before


def test_lecture_setting(snap_compare):
    """Conv2d(3, 3, kernel_size=3, stride=2, padding=0) on the 640×640 image: torch.Size([1, 3, 319, 319])."""
    assert snap_compare(CnnTuiApp(AppConfig(lang="en")), run_before=_after(), terminal_size=SNAPSHOT_SIZE)


def test_edge_detector(snap_compare):
    """Sobel x on every channel, stride 1 with ReLU and 2×2 max pooling."""
    keys = ["n"] * 7 + ["a", "S", "r", "m"]
    assert snap_compare(CnnTuiApp(AppConfig(lang="en")), run_before=_after(*keys), terminal_size=SNAPSHOT_SIZE)


def test_lecture_setting_chinese(snap_compare):
    assert snap_compare(CnnTuiApp(AppConfig(lang="zh")), run_before=_after(), terminal_size=SNAPSHOT_SIZE)
