"""SVG snapshots of the Feature maps tab: the lecture's setting, an edge detector, a trained network."""

from __future__ import annotations

import pytest

from cnn_tui.config import AppConfig, Paths
from cnn_tui.i18n import tr
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.tabs.feature_maps import tab as feature_maps
from tests.conftest import SNAPSHOT_SIZE
from tests.tiny_network import tiny_models_dir
from tests.waiting import wait_for_workers


@pytest.fixture(autouse=True)
def _fixed_timing(monkeypatch):
    """Run times vary from run to run: the status says a fixed time in snapshots."""
    monkeypatch.setattr(feature_maps, "timing_text", lambda seconds: tr("feature_maps.done", ms="12"))


async def _settle(pilot) -> None:
    await wait_for_workers(pilot, rounds=3)


def _after(*keys: str):
    async def run_before(pilot) -> None:
        await _settle(pilot)  # the Pixels tab's image first
        await pilot.press("4")
        await _settle(pilot)
        for key in keys:
            await pilot.press(key)
        await _settle(pilot)

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


def test_trained_network_filters_and_activations(snap_compare):
    """conv1's learned filters and the conv1 maps of a synthetic test image, from a small checkpoint."""
    app = CnnTuiApp(AppConfig(lang="en", paths=Paths(models_dir=tiny_models_dir())))
    assert snap_compare(app, run_before=_after("l"), terminal_size=SNAPSHOT_SIZE)
