"""Renderables of the Model and Training tabs, checked with a recording Console (no Textual)."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from cnn_tui import i18n
from cnn_tui.render.bars import BarRow, Bars, bar_text
from cnn_tui.render.confusion import ConfusionHeatmap, ShareLegend, row_shares
from cnn_tui.render.layer_chain import chain_text, shape_text
from cnn_tui.render.thumbnails import Thumb, ThumbnailGrid

CLASSES = ("airplane", "automobile", "bird")


def render(renderable, width: int = 100) -> tuple[str, list]:
    console = Console(width=width, record=True, color_system="truecolor", file=io.StringIO())
    console.print(renderable)
    segments = list(console.render(renderable))
    return console.export_text(), segments


def test_confusion_heatmap_rows_columns_and_colours():
    matrix = [[8, 2, 0], [1, 9, 0], [0, 0, 0]]
    heatmap = ConfusionHeatmap(CLASSES, matrix, corner="true \\ pred")
    text, segments = render(heatmap)
    lines = text.splitlines()
    assert lines[0].split() == ["true", "\\", "pred", "airplane", "automobile", "bird"]  # whole names where they fit
    assert lines[1].split() == ["airplane", "8", "2", "0"] and lines[3].split() == ["bird", "0", "0", "0"]
    assert heatmap.width == len(lines[1])
    assert np.allclose(row_shares(np.array(matrix)), [[0.8, 0.2, 0], [0.1, 0.9, 0], [0, 0, 0]])
    background, _ = heatmap.colours()
    assert background[1, 1] != background[1, 0] and background[0, 2] == background[2, 2]  # 0 % looks like 0 %
    underlined = [s.text.strip() for s in segments if s.style is not None and s.style.underline]
    assert underlined == ["8", "9", "0"]  # the diagonal


CIFAR = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [80, 120, 200])
def test_confusion_heads_are_never_cut(lang, width):
    """Every column is headed by a whole name (飞机, automobile) or, where the names do not fit, by a number that
    starts its row's label; a short cut such as "autom" never appears (issue 28)."""
    matrix = np.arange(100).reshape(10, 10) * 11
    rows = [i18n.class_label(name, lang) for name in CIFAR]
    heads = [i18n.class_head(name, lang) for name in CIFAR]
    i18n.set_language(lang)  # conftest sets English back after each test
    text, _ = render(ConfusionHeatmap(rows, matrix, corner="true \\ pred", heads=heads), width=width)
    lines = text.splitlines()
    if lines[0].split()[3:] == heads:
        assert all(line.startswith(row) for line, row in zip(lines[1:], rows))
    else:
        assert lines[0].split()[3:] == [str(k) for k in range(1, 11)]
        assert [line.split()[0] for line in lines[1:11]] == [str(k) for k in range(1, 11)]
        assert all(row in line for line, row in zip(lines[1:], rows))  # the row labels are whole and numbered
        assert lines[11] == i18n.tr("confusion.numbered", lang=lang)
    assert "autom " not in text and all(cell_len(line) <= width for line in lines)
    if lang == "zh":
        assert lines[0].split()[3:] == heads == ["飞机", "汽车", "鸟", "猫", "鹿", "狗", "青蛙", "马", "船", "卡车"]


def test_confusion_heatmap_needs_a_square_matrix():
    with pytest.raises(ValueError, match="square"):
        ConfusionHeatmap(CLASSES, [[1, 2], [3, 4]])
    text, _ = render(ShareLegend(width=10))
    assert text.startswith("0% ") and text.rstrip().endswith("100%")


@pytest.mark.parametrize(("value", "width", "expected"), [(0.0, 4, "    "), (1.0, 4, "████"), (0.5, 3, "█▌ "), (1 / 32, 4, "▏   "), (2.0, 2, "██")])
def test_bar_text_to_the_eighth(value, width, expected):
    assert bar_text(value, width) == expected


def test_bars_align_labels_and_values():
    text, _ = render(Bars([BarRow("cat", 0.5, "0.50"), BarRow("airplane", 1.0, "1.00")], bar_width=8))
    assert text.splitlines() == ["cat      ████     0.50", "airplane ████████ 1.00"]


@dataclass
class Step:
    name: str
    kind: str
    shape: tuple[int, ...]


def test_chain_text_reads_like_the_lecture():
    steps = [Step("input", "input", (3, 32, 32)), Step("conv1", "Conv2d", (6, 30, 30)), Step("flatten", "flatten", (5400,))]
    assert chain_text(steps).plain == "3×32×32 → conv1 → 6×30×30 → flatten → 5400"
    assert shape_text((16, 6, 6)) == "16×6×6"


def test_thumbnail_grid_lays_out_rows_and_marks_the_selection():
    pixels = np.zeros((4, 4, 3), dtype=np.uint8)
    thumbs = [Thumb(pixels, (Text(f"img{i}"),)) for i in range(3)]
    text, _ = render(ThumbnailGrid(thumbs, columns=2, selected=1))
    lines = text.splitlines()
    assert len(lines) == 2 * (2 + 1)  # two rows of (2 half-block lines + 1 caption)
    assert lines[0] == " ▀▀▀▀ ▌▀▀▀▀▐" and lines[2] == " img0 ▌img1▐" and lines[5].startswith(" img2")
    with pytest.raises(ValueError):
        ThumbnailGrid([Thumb(pixels, ()), Thumb(np.zeros((2, 2, 3), dtype=np.uint8), ())], columns=2)


@pytest.mark.parametrize(("lang", "width", "numbered"), [("en", 78, True), ("en", 140, False), ("zh", 78, False)])
def test_eval_command_prints_whole_class_names(lang, width, numbered):
    from cnn_tui.commands.eval import format_confusion

    i18n.set_language(lang)
    lines = format_confusion(CIFAR, (np.eye(10, dtype=int) * 100).tolist(), width=width)
    assert all(cell_len(line) <= width for line in lines)
    assert all(i18n.class_label(name) in line for name, line in zip(CIFAR, lines[1:]))
    heads = lines[0].split()[3:]
    assert heads == ([str(k) for k in range(1, 11)] if numbered else [i18n.class_head(name) for name in CIFAR])
