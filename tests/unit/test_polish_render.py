"""Polish from issue 17: the Chinese confusion-matrix header lines up; Pooling's cursor key names no kernel."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.console import Console

from cnn_tui import i18n
from cnn_tui.render.confusion import ConfusionHeatmap
from tests.waiting import until


def test_a_chinese_corner_label_keeps_the_header_over_its_columns():
    classes = ["飞机", "cat", "汽车"]
    heatmap = ConfusionHeatmap(classes, [[5, 1, 0], [2, 7, 1], [0, 0, 9]], corner=i18n.tr("training.results.corner", lang="zh"))
    console = Console(width=80, record=True, color_system=None)
    console.print(heatmap)
    lines = [line for line in console.export_text().splitlines() if line]
    assert len({cell_len(line) for line in lines}) == 1, lines  # every line exactly as wide: no shifted header
    header, first = lines[0], lines[1]
    assert cell_len(header[: header.index("飞机")]) + cell_len("飞机") == cell_len(first[: first.index("5")]) + 1


@pytest.mark.slow
async def test_pooling_cursor_key_names_no_kernel():
    from cnn_tui.config import AppConfig
    from cnn_tui.ui.app import CnnTuiApp

    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3")
        await until(pilot, lambda: "e" in app.active_bindings)  # the tab is built and has the focus
        description = app.active_bindings["e"].binding.description
        assert description == "cursor: input → output → off"
