"""Issue 28: beside the lecture panel at 120×36 the Feature maps tab keeps room for its legend and maps, the Model
tab's code is shown under its summary instead of in a column squeezed to nothing, and the chain's Chinese lines
break as Chinese is set ("感受野与 /步距…" stays together)."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from cnn_tui.config import AppConfig
from cnn_tui.ui.app import CnnTuiApp
from tests.shown import text_of
from tests.waiting import until, wait_for_workers

pytestmark = pytest.mark.slow


async def test_feature_maps_legend_keeps_its_width_beside_the_lecture():
    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for_workers(pilot)
        await pilot.press("t", "4")
        await wait_for_workers(pilot, rounds=3)
        await pilot.pause()
        legend, side = app.query_one("#fm-legend"), app.query_one("#fm-side")
        assert legend.region.width >= 28 and side.region.width >= 30, (legend.region, side.region)
        lines = text_of(app, "#fm-legend", width=legend.content_region.width).splitlines()
        assert any("共用色标" in line and "数据最小" in line for line in lines), lines  # the caption reads in phrases


async def test_model_code_goes_under_the_summary_beside_the_lecture():
    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("t", "5")
        await until(pilot, lambda: "MaxPool2d" in text_of(app, "#model-source"))
        await pilot.pause()
        code, summary = app.query_one("#model-code"), app.query_one("#model-summary")
        assert code.region.width >= 60 and code.region.x == summary.region.x  # under it, as wide as the tab
        width = app.query_one("#model-chain").content_region.width
        chain = text_of(app, "#model-chain", width=width)
        assert "感受野与 /步距" in chain and all(cell_len(line.rstrip()) <= width for line in chain.splitlines())
        await pilot.press("t")  # the lecture closed: side by side again
        await pilot.pause()
        assert code.region.x > summary.region.right - 1


async def test_training_notes_keep_a_number_with_its_words():
    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("6")
        await until(pilot, lambda: bool(app.query("#training-settings")) and "另外设定" in text_of(app, "#training-settings"))
        await pilot.pause()
        width = app.query_one("#training-settings").content_region.width
        lines = text_of(app, "#training-settings", width=width).splitlines()
        assert any("标签平滑 0.1" in line for line in lines), lines  # Rich put "0.1" alone on the next line
        assert all(cell_len(line.rstrip()) <= width for line in lines)
