"""Shrink float feature maps to the cells a view has, averaging values before they get colours.

Averaging colours of a diverging scale mixes blue and red into grey-purple; averaging the
values first keeps the colour honest (a block that sums to about 0 is drawn white).
"""

from __future__ import annotations

from collections.abc import Sequence
from math import ceil

import numpy as np

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


def display_maps(maps: Sequence[np.ndarray], scales: Sequence[ColourScale], factor: int) -> list[np.ndarray]:
    """Each map shrunk by `factor` (value average) and coloured on its scale: H'×W'×3 uint8 images."""
    if len(maps) != len(scales):
        raise ValueError(f"{len(maps)} maps but {len(scales)} scales")
    return [colourize(block_mean(values, factor), scale) for values, scale in zip(maps, scales)]
