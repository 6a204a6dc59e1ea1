"""The Pixels renderers, through Rich alone: half blocks, value blocks, matrices and histograms."""

from __future__ import annotations

import io

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from rich.console import Console
from rich.segment import Segment

from cnn_tui.render.cell_styles import NO_COLOUR, StyleCache, contrast_text, mark_colour, pack_rgb
from cnn_tui.render.halfblock import UPPER_HALF, HalfBlockImage, halfblock_lines
from cnn_tui.render.histogram import Histogram, bar_heights, group_bins
from cnn_tui.render.pixel_matrix import ChannelMatrix, PixelMatrices
from cnn_tui.render.value_blocks import value_block_lines


def _record(renderable, width: int = 200) -> list[list[Segment]]:
    """Print with a recording truecolor console; returns the lines of Segments it drew (and checks
    that the recorded text is the same)."""
    console = Console(record=True, width=width, color_system="truecolor", force_terminal=True, file=io.StringIO())
    lines = [line for line in console.render_lines(renderable, pad=False, new_lines=False) if line]
    console.print(renderable)
    recorded = console.export_text().rstrip("\n").split("\n")
    assert recorded == ["".join(s.text for s in line).rstrip() or "" for line in lines][: len(recorded)]
    return lines


def _cells(line: list[Segment]) -> list[tuple[str, object, object]]:
    """(character, foreground triplet, background triplet) for every cell of a line."""
    cells = []
    for segment in line:
        fg = segment.style.color.triplet if segment.style and segment.style.color else None
        bg = segment.style.bgcolor.triplet if segment.style and segment.style.bgcolor else None
        cells += [(char, fg and tuple(fg), bg and tuple(bg)) for char in segment.text]
    return cells


@settings(max_examples=40, deadline=None)
@given(arrays(np.uint8, st.tuples(st.integers(1, 9), st.integers(1, 9), st.just(3))))
def test_each_cell_shows_its_two_pixels_at_one_to_one(pixels):
    lines = _record(HalfBlockImage(pixels))
    height, width = pixels.shape[:2]
    assert len(lines) == (height + 1) // 2
    for y, line in enumerate(lines):
        cells = _cells(line)
        assert len(cells) == width
        for x, (char, fg, bg) in enumerate(cells):
            assert char == UPPER_HALF
            assert fg == tuple(pixels[2 * y, x].tolist())
            if 2 * y + 1 < height:
                assert bg == tuple(pixels[2 * y + 1, x].tolist())
            else:
                assert bg is None  # odd height: the lower half of the last line is the terminal's


def test_equal_neighbours_share_one_segment():
    pixels = np.zeros((2, 6, 3), dtype=np.uint8)
    pixels[:, 3:] = (255, 0, 0)
    (line,) = halfblock_lines(pixels)
    assert [s.text for s in line] == [UPPER_HALF * 3, UPPER_HALF * 3]


def test_styles_are_built_once_per_colour_pair():
    cache = StyleCache()
    pixels = np.zeros((4, 4, 3), dtype=np.uint8)
    first = halfblock_lines(pixels, cache)
    second = halfblock_lines(pixels, cache)
    assert len(cache) == 1 and first[0][0].style is second[1][0].style


def test_half_block_measures_its_width():
    console = Console(width=80)
    assert console.measure(HalfBlockImage(np.zeros((3, 17, 3), dtype=np.uint8))).maximum == 17


def test_half_block_rejects_non_rgb():
    import pytest

    with pytest.raises(ValueError, match="H×W×3 uint8"):
        HalfBlockImage(np.zeros((3, 3), dtype=np.uint8))


def test_value_blocks_print_values_centred_in_their_colour():
    colours = np.array([[[200, 0, 0], [0, 0, 40]]], dtype=np.uint8)
    labels = [colours[:, :, 0]]
    lines = value_block_lines(colours, labels, block=(4, 2), cols=8, rows=2)
    assert len(lines) == 2
    assert "".join(s.text for s in lines[0]) == "200  0  "  # centred in 4 columns
    assert "".join(s.text for s in lines[1]) == " " * 8
    first = lines[0][0].style
    assert tuple(first.bgcolor.triplet) == (200, 0, 0) and tuple(first.color.triplet) == contrast_text((200, 0, 0))


def test_value_blocks_show_rgb_only_when_three_rows_fit():
    colours = np.array([[[1, 2, 3]]], dtype=np.uint8)
    labels = [colours[:, :, c] for c in range(3)]
    assert all(s.text.strip() == "" for line in value_block_lines(colours, labels, (4, 2), 4, 2) for s in line)
    texts = ["".join(s.text for s in line).strip() for line in value_block_lines(colours, labels, (6, 3), 6, 3)]
    assert texts == ["1", "2", "3"]


def test_value_blocks_mark_the_highlighted_pixel_and_crop():
    colours = np.zeros((2, 3, 3), dtype=np.uint8)
    lines = value_block_lines(colours, [colours[:, :, 0]], (4, 2), cols=10, rows=3, highlight=(0, 1))
    assert len(lines) == 3
    assert sum(len(s.text) for s in lines[0]) == 10  # the third block is cut to 2 columns
    marked = lines[0][1]
    assert marked.style.bold and marked.style.underline
    assert tuple(marked.style.color.triplet) == (255, 255, 255)  # mark colour farthest from black
    ruled = value_block_lines(colours, [], (4, 2), cols=12, rows=2, highlight=(0, 1))
    assert ruled[1][1].text == "━━━━"


def test_mark_colour_is_far_from_the_pixel():
    assert mark_colour(0x000000) == 0xFFFFFF
    assert mark_colour(0xFFFFFF) == 0x000000
    assert mark_colour(0x808080) != 0x808080


def test_pack_rgb_and_no_colour():
    assert pack_rgb(np.array([[[1, 2, 3]]], dtype=np.uint8)).tolist() == [[0x010203]]
    assert NO_COLOUR == -1


def test_pixel_matrices_colour_each_cell_by_its_channel():
    values = np.array([[-1, 0, 255], [10, 20, 30], [1, 2, 3]])
    matrices = PixelMatrices([ChannelMatrix("R", values, 0), ChannelMatrix("grey", values, None)], cell_width=4)
    lines = matrices.lines()
    assert "".join(s.text for s in lines[0]).startswith("R")
    assert matrices.width == 3 * 4 * 2 + 2
    row0 = _cells(lines[1])
    assert row0[2][0] == "·"  # outside the image
    red_255 = row0[8]
    assert red_255[2] == (255, 0, 0)
    grey_255 = _cells(lines[1])[4 * 3 + 2 + 8]
    assert grey_255[2] == (255, 255, 255)
    centre = next(s for s in lines[2] if s.text.strip() == "20")
    assert centre.style.bold  # the cursor
    assert "".join(s.text for s in lines[2]).split()[:3] == ["10", "20", "30"]


def test_histogram_groups_bins_and_scales_to_the_tallest():
    counts = np.zeros(256, dtype=np.int64)
    counts[0], counts[255] = 100, 1
    assert group_bins(counts, 32).sum() == 101 and len(group_bins(counts, 32)) == 32
    heights = bar_heights(group_bins(counts, 32), height=2)
    assert heights[0] == 16 and heights[-1] == 1 and heights[5] == 0  # a rare value still shows
    rows = Histogram(counts, (255, 0, 0), width=32, height=2).rows()
    assert rows[0][0] == "█" and rows[1][0] == "█" and rows[1][-1] == "▁" and rows[0][-1] == " "
    assert all(len(row) == 32 for row in rows)
    assert Histogram(np.zeros(256), (0, 0, 255), width=8).rows() == [" " * 8, " " * 8]
