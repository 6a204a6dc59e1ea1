"""A unit's receptive field drawn on the image: a frame around the box, the effective field as heat inside it."""

from __future__ import annotations

import numpy as np

from cnn_tui.core.heatmap import blend, heat_scale

FRAME = np.array([255, 64, 255], dtype=np.uint8)  # magenta: apart from viridis and most photos
Box = tuple[int, int, int, int]


def move_unit(unit: tuple[int, int], delta: tuple[int, int], shape: tuple[int, int]) -> tuple[int, int]:
    """The cursor moved by (rows, cols), kept inside maps of `shape` (h, w)."""
    return (min(max(unit[0] + delta[0], 0), shape[0] - 1), min(max(unit[1] + delta[1], 0), shape[1] - 1))


def field_picture(pixels: np.ndarray, box: Box, effective: np.ndarray | None = None) -> np.ndarray:
    """A copy of `pixels` (H×W×3 uint8) with the box (top, left, bottom, right; inclusive) framed one pixel
    outside it (on its edge where it touches the image's), and `effective` (H×W, ≥ 0) blended in as heat
    inside the box, scaled to its largest value there."""
    out = pixels.copy()
    top, left, bottom, right = box
    if effective is not None:
        inside = np.asarray(effective, dtype=np.float32)[top : bottom + 1, left : right + 1]
        out[top : bottom + 1, left : right + 1] = blend(pixels[top : bottom + 1, left : right + 1], inside, heat_scale(inside))
    height, width = pixels.shape[:2]
    rows = (max(top - 1, 0), min(bottom + 1, height - 1))
    cols = (max(left - 1, 0), min(right + 1, width - 1))
    out[rows[0], cols[0] : cols[1] + 1] = FRAME
    out[rows[1], cols[0] : cols[1] + 1] = FRAME
    out[rows[0] : rows[1] + 1, cols[0]] = FRAME
    out[rows[0] : rows[1] + 1, cols[1]] = FRAME
    return out
