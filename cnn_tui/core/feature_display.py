"""Shrink float feature maps to the cells a view has, averaging values before they get colours.

Averaging colours of a diverging scale mixes blue and red into grey-purple; averaging the
values first keeps the colour honest (a block that sums to about 0 is drawn white).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import ceil

import numpy as np
from PIL import Image

from cnn_tui.core.colormap import ColourScale, colourize


def fit_factor(height: int, width: int, max_height: int, max_width: int) -> int:
    """The smallest integer factor that shrinks height × width to fit max_height × max_width."""
    if max_height < 1 or max_width < 1:
        raise ValueError(f"the space to fit into must be at least 1×1, got {max_height}×{max_width}")
    return max(1, ceil(height / max_height), ceil(width / max_width))


def block_mean(values: np.ndarray, factor: int) -> np.ndarray:
    """Each factor×factor block of an H×W float map becomes its mean; partial blocks at the right
    and bottom edges average the values they have. Output is ⌈H/f⌉ × ⌈W/f⌉ (float64)."""
    if factor < 1:
        raise ValueError(f"the factor must be at least 1, got {factor}")
    values = np.asarray(values, dtype=np.float64)
    if factor == 1:
        return values
    height, width = values.shape
    out_h, out_w = ceil(height / factor), ceil(width / factor)
    padded = np.zeros((out_h * factor, out_w * factor))
    padded[:height, :width] = values
    counts = np.zeros_like(padded)
    counts[:height, :width] = 1.0
    sums = padded.reshape(out_h, factor, out_w, factor).sum(axis=(1, 3))
    totals = counts.reshape(out_h, factor, out_w, factor).sum(axis=(1, 3))
    return sums / totals


def block_peak(values: np.ndarray, factor: int) -> np.ndarray:
    """Each factor×factor block becomes its value of largest magnitude, sign kept (ties: the first).

    Thin features (a one-pixel edge) survive shrinking this way, where a block mean would
    dilute them; output is ⌈H/f⌉ × ⌈W/f⌉ (float64)."""
    if factor < 1:
        raise ValueError(f"the factor must be at least 1, got {factor}")
    values = np.asarray(values, dtype=np.float64)
    if factor == 1:
        return values
    height, width = values.shape
    out_h, out_w = ceil(height / factor), ceil(width / factor)
    padded = np.zeros((out_h * factor, out_w * factor))  # a 0 never beats a real value in magnitude
    padded[:height, :width] = values
    blocks = padded.reshape(out_h, factor, out_w, factor).transpose(0, 2, 1, 3).reshape(out_h, out_w, -1)
    winner = np.abs(blocks).argmax(axis=2)
    return np.take_along_axis(blocks, winner[..., None], axis=2)[..., 0]


SHRINKS = {"peak": block_peak, "mean": block_mean}
"""How a block of values becomes one displayed pixel."""


def shrink_image(pixels: np.ndarray, factor: int) -> np.ndarray:
    """An H×W×3 uint8 image with each factor×factor block averaged (Pillow's reduce), for a thumbnail."""
    if factor < 1:
        raise ValueError(f"the factor must be at least 1, got {factor}")
    if factor == 1:
        return pixels
    return np.asarray(Image.fromarray(np.ascontiguousarray(pixels)).reduce(factor))


def working_factor(height: int, width: int, max_pixels: int) -> int:
    """The smallest whole factor that brings height × width to at most `max_pixels` (1: as it is)."""
    factor = 1
    while ceil(height / factor) * ceil(width / factor) > max_pixels:
        factor += 1
    return factor


def display_maps(
    maps: Sequence[np.ndarray], scales: Sequence[ColourScale], factor: int, shrink: str = "mean"
) -> list[np.ndarray]:
    """Each map shrunk by `factor` (`shrink`: "mean" or "peak" of each block's values) and coloured on
    its scale: H'×W'×3 uint8 images."""
    if len(maps) != len(scales):
        raise ValueError(f"{len(maps)} maps but {len(scales)} scales")
    if shrink not in SHRINKS:
        raise ValueError(f"unknown shrink {shrink!r}; choose one of {', '.join(SHRINKS)}")
    reduce = SHRINKS[shrink]
    return [colourize(reduce(values, factor), scale) for values, scale in zip(maps, scales)]


@dataclass(frozen=True)
class GridLayout:
    """Pictures in `columns` columns, each in a box of `box_width` cells × `box_height` pixels (2 per cell row)."""

    columns: int
    rows: int
    box_width: int
    box_height: int


def grid_layout(
    count: int, width: int, height: int, picture_height: int, picture_width: int, gap: int = 1, label_rows: int = 1
) -> GridLayout:
    """The column count that draws `count` pictures largest in `width` × `height` cells.

    Each picture gets a title line (`label_rows`) and is drawn with half blocks (a cell row is
    two pixels); pictures are `gap` cells apart. Boxes are at least 1 × 2 pixels."""
    if count < 1:
        raise ValueError("nothing to lay out")
    best: GridLayout | None = None
    best_scale = -1.0
    for columns in range(1, count + 1):
        rows = ceil(count / columns)
        box_width = max(1, (width - gap * (columns - 1)) // columns)
        box_height = 2 * max(1, (height - rows * label_rows - gap * (rows - 1)) // rows)
        scale = min(box_width / picture_width, box_height / picture_height)
        if scale > best_scale + 1e-9:
            best, best_scale = GridLayout(columns, rows, box_width, box_height), scale
    assert best is not None
    return best
