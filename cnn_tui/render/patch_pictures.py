"""A channel's top patches as pictures: each receptive-field crop enlarged, in a row under its rank and activation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from cnn_tui.render.image_grid import ImageGrid, Panel

CROP_SIDE = 11  # the longer side of an enlarged crop, in pixels (half a cell each: 11 cells × 6 lines)


def enlarged(pixels: np.ndarray, side: int = CROP_SIDE) -> np.ndarray:
    """`pixels` resized (nearest pixel, aspect kept) so that its longer side is `side`."""
    height, width = pixels.shape[:2]
    scale = side / max(height, width)
    rows = (np.arange(max(1, round(height * scale))) / scale).astype(int).clip(0, height - 1)
    cols = (np.arange(max(1, round(width * scale))) / scale).astype(int).clip(0, width - 1)
    return pixels[rows][:, cols]


def crop(pixels: np.ndarray, box: Sequence[int]) -> np.ndarray:
    """The box (top, left, bottom, right; inclusive) of an H×W×3 picture."""
    top, left, bottom, right = box
    return pixels[top : bottom + 1, left : right + 1]


def patch_row(patches: Sequence[Any], pictures: Sequence[np.ndarray], selected: int | None = None) -> ImageGrid:
    """The crops side by side, each titled `#rank activation` (duck-typed `Patch`es and their images)."""
    panels = [
        Panel(f"#{rank} {patch.activation:.3g}", enlarged(crop(picture, patch.box)))
        for rank, (patch, picture) in enumerate(zip(patches, pictures), 1)
    ]
    return ImageGrid(panels, max(1, len(panels)), CROP_SIDE, selected)
