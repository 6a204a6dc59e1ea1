"""Heat maps over images: a map of values ≥ 0 (Grad-CAM, saliency) coloured and blended onto the picture."""

from __future__ import annotations

import numpy as np
from PIL import Image

from cnn_tui.core.colormap import ColourScale, colourize

ALPHA = 0.6  # the heat map's share of each blended pixel
GAP = 8  # pixels between the panels of a saved picture


def heat_scale(values: np.ndarray) -> ColourScale:
    """Viridis from 0 to the map's maximum (a map of zeros: 0 to 0, drawn in the middle colour)."""
    values = np.asarray(values, dtype=np.float64)
    low = float(values.min()) if values.size else 0.0
    high = float(values.max()) if values.size else 0.0
    return ColourScale(kind="sequential", low=0.0, high=max(high, 0.0), data_min=low, data_max=high, shared=False)


def resize_map(values: np.ndarray, height: int, width: int) -> np.ndarray:
    """An h×w float map resized to height×width (bilinear, pixel centres aligned, as Pillow does)."""
    values = np.asarray(values, dtype=np.float32)
    if values.shape == (height, width):
        return values
    image = Image.fromarray(values, mode="F").resize((width, height), Image.Resampling.BILINEAR)
    return np.asarray(image, dtype=np.float32)


def blend(pixels: np.ndarray, values: np.ndarray, scale: ColourScale | None = None, alpha: float = ALPHA) -> np.ndarray:
    """`pixels` (H×W×3 uint8) with `values` (any h×w, resized to H×W) coloured on `scale` and mixed in."""
    height, width = pixels.shape[:2]
    scale = scale or heat_scale(values)
    colours = colourize(resize_map(values, height, width), scale).astype(np.float32)
    mixed = (1.0 - alpha) * pixels.astype(np.float32) + alpha * colours
    return np.clip(np.rint(mixed), 0, 255).astype(np.uint8)


def fit(pixels: np.ndarray, longest: int) -> np.ndarray:
    """`pixels` shrunk (Lanczos) so that its longer side is at most `longest`."""
    height, width = pixels.shape[:2]
    factor = longest / max(height, width)
    if factor >= 1:
        return pixels
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    return np.asarray(Image.fromarray(pixels).resize(size, Image.Resampling.LANCZOS))


def side_by_side(panels: list[np.ndarray], gap: int = GAP) -> np.ndarray:
    """Images of the same height in one row, white between them."""
    height = panels[0].shape[0]
    pieces: list[np.ndarray] = []
    for index, panel in enumerate(panels):
        if index:
            pieces.append(np.full((height, gap, 3), 255, dtype=np.uint8))
        pieces.append(panel)
    return np.concatenate(pieces, axis=1)
