"""Chinese (and English) text keeps its shape: footer keys are shown whole or not at all, on every tab, at both
sizes; the lecture panel sits between the header and the footer, never over them (Textual drops a wide character
where another widget's edge crosses it: "n 下一  图像")."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.widgets import Header

from cnn_tui.config import AppConfig
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.tabs import TABS
from cnn_tui.ui.widgets.lab_footer import LabFooter
from cnn_tui.ui.widgets.lecture_panel import LecturePanel
from tests.shown import text_of
from tests.waiting import until, wait_for_workers


def _cut_keys(app) -> list[str]:
    """Footer keys shown but not whole: right of the palette's key, or narrower than their key and label."""
    footer = app.screen.query_one(LabFooter)
    palette = [key for key in footer.query("FooterKey") if key.has_class("-command-palette")]
    right = palette[0].region.x if palette else footer.region.right
    cut = []
    for key in footer.query("FooterKey"):
        if key in palette or not key.display or key.has_class("-grouped"):
            continue
        whole = cell_len(key.key_display) + 1 + cell_len(key.description)
        if key.region.right > right or key.content_region.width < whole:
            cut.append(f"{key.key_display} {key.description}")
    return cut


@pytest.mark.slow
@pytest.mark.parametrize("lang,size", [("zh", (120, 36)), ("zh", (160, 48)), ("en", (120, 36)), ("en", (160, 48))])
async def test_footer_keys_are_whole_on_every_tab(lang, size):
    app = CnnTuiApp(AppConfig(lang=lang))
    async with app.run_test(size=size) as pilot:
        await wait_for_workers(pilot)
        for number, spec in enumerate(TABS, start=1):
            await pilot.press(str(number))
            await wait_for_workers(pilot)
            await pilot.pause()
            shown = [key for key in app.screen.query_one(LabFooter).query("FooterKey") if key.display]
            assert len(shown) >= 3, spec.id
            assert _cut_keys(app) == [], (spec.id, _cut_keys(app))


async def test_the_lecture_panel_leaves_the_header_and_footer_whole():
    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_workers(pilot)
        await pilot.press("t")
        await pilot.pause()
        panel = app.query_one(LecturePanel).region
        assert panel.width > 0
        assert panel.y >= app.query_one(Header).region.bottom
        assert panel.bottom <= app.screen.query_one(LabFooter).region.y


async def test_the_lecture_panel_breaks_chinese_lines_as_chinese_is_set():
    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for_workers(pilot)
        await pilot.press("2", "t")
        await wait_for_workers(pilot)
        await pilot.pause()
        panel = app.query_one(LecturePanel)
        width = panel.scrollable_content_region.width
        lines = text_of(app, "#lecture-text", width=200).rstrip("\n").split("\n")
        assert all(cell_len(line.rstrip()) <= width for line in lines), (width, lines)
        assert not [line for line in lines if line.strip() == "•"]
        assert any("(5 − 3 + 2) / 1 + 1 = 5" in line for line in lines)
        assert any(line.startswith("• Padding（填充）") for line in lines)
        await pilot.resize_terminal(160, 48)  # a wider panel: the text is broken again for it
        await until(pilot, lambda: panel.scrollable_content_region.width > width)
        await pilot.pause()
        wider = text_of(app, "#lecture-text", width=200).rstrip("\n").split("\n")
        assert len(wider) < len(lines) and max(cell_len(line.rstrip()) for line in wider) > width


async def test_the_model_tabs_code_wraps_its_long_lines_instead_of_cutting_them():
    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("5")
        await until(pilot, lambda: bool(app.query("#model-source")) and "MaxPool2d" in text_of(app, "#model-source"))
        await pilot.pause()
        source, column = app.query_one("#model-source"), app.query_one("#model-code")
        assert source.region.right <= column.region.right  # the code fills its column, no wider
        width = source.content_region.width
        lines = text_of(app, "#model-source", width=width).splitlines()
        assert all(cell_len(line.rstrip()) <= width for line in lines)
        assert any("ceil_mode=False" in line for line in lines)  # it was cut at "ceil_mo"
