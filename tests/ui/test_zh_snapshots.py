"""Chinese snapshots of every tab with the lecture panel open, at 120×36 and 160×48 (issue 28): the tab's content
reflows beside the panel, the panel's lines are broken as Chinese is set, the footer shows whole keys only.
No tab here has trained anything: the Training tab is idle, Predict has no network."""

from __future__ import annotations

import pytest

from cnn_tui.config import AppConfig
from cnn_tui.i18n import tr
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.tabs import TABS
from cnn_tui.ui.tabs.feature_maps import tab as feature_maps
from tests.waiting import wait_for_workers


@pytest.fixture(autouse=True)
def _fixed_timing(monkeypatch):
    """The Feature maps tab says how long its maps took: a fixed time in snapshots."""
    monkeypatch.setattr(feature_maps, "timing_text", lambda seconds: tr("feature_maps.done", ms="12"))


@pytest.mark.parametrize("size", [(120, 36), (160, 48)], ids=["120x36", "160x48"])
@pytest.mark.parametrize("number", range(1, len(TABS) + 1), ids=[spec.id for spec in TABS])
def test_chinese_tab_with_the_lecture_open(snap_compare, number, size):
    async def show(pilot):
        await wait_for_workers(pilot)
        await pilot.press("t", str(number))
        await wait_for_workers(pilot, rounds=3)
        await pilot.pause()

    assert snap_compare(CnnTuiApp(AppConfig(lang="zh")), run_before=show, terminal_size=size)
