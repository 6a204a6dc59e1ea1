"""Zoomed-in pixels: each pixel a block of whole cells in its colour, with its value(s) printed inside."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rich.segment import Segment

from cnn_tui.render.cell_styles import SHARED_STYLES, StyleCache, contrast_text_packed, mark_colour, pack_rgb


def value_block_lines(
    colours: np.ndarray,
    labels: Sequence[np.ndarray],
    block: tuple[int, int],
    cols: int,
    rows: int,
    highlight: tuple[int, int] | None = None,
    styles: StyleCache = SHARED_STYLES,
) -> list[list[Segment]]:
    """Up to `rows` lines, each at most `cols` cells, drawing `colours` (h×w×3 uint8) as blocks.

    `highlight` is the (row, col) within `colours` to draw reversed, if any."""
    block_w, block_h = block
    if block_w < 1 or block_h < 1:
        raise ValueError(f"a block must be at least 1×1 cells, got {block}")
    packed = pack_rgb(colours)
    text_colours = contrast_text_packed(packed)
    height, width = packed.shape
    shown_labels = list(labels) if len(labels) <= block_h else []
    first_label_row = (block_h - len(shown_labels)) // 2
    lines: list[list[Segment]] = []
    for y in range(min(rows, height * block_h)):
        pixel_row, inner = divmod(y, block_h)
        label_index = inner - first_label_row
        label = shown_labels[label_index][pixel_row] if 0 <= label_index < len(shown_labels) else None
        bgs = packed[pixel_row].tolist()
        fgs = text_colours[pixel_row].tolist()
        texts = [f"{int(v)}".center(block_w)[:block_w] for v in label.tolist()] if label is not None else None
        line: list[Segment] = []
        remaining = cols
        for x in range(width):
            if remaining <= 0:
                break
            text = texts[x] if texts is not None else " " * block_w
            bg, fg = bgs[x], fgs[x]
            if highlight is not None and highlight == (pixel_row, x):
                if texts is None:
                    text = "━" * block_w
                style = styles.style(mark_colour(bg), bg, bold=texts is not None)
            else:
                style = styles.style(fg, bg)
            line.append(Segment(text[:remaining], style))
            remaining -= block_w
        lines.append(line)
    return lines
