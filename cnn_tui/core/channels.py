"""Channels of an H×W×3 uint8 image: views of one channel, grey levels, statistics and histograms."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

# What the Pixels tab can show: all of RGB, one channel, grey levels, or the three channels side by side.
CHANNEL_MODES: tuple[str, ...] = ("rgb", "r", "g", "b", "gray", "split")
CHANNEL_INDEX: dict[str, int] = {"r": 0, "g": 1, "b": 2}
CHANNEL_NAMES: tuple[str, str, str] = ("R", "G", "B")
# ITU-R BT.601 luma, the weights Pillow's convert("L") uses: L = (299 R + 587 G + 114 B) / 1000.
GRAY_WEIGHTS: tuple[int, int, int] = (299, 587, 114)


def grayscale(pixels: np.ndarray) -> np.ndarray:
    """H×W uint8 grey levels, (299 R + 587 G + 114 B) / 1000 rounded."""
    weights = np.asarray(GRAY_WEIGHTS, dtype=np.uint32)
    return ((pixels.astype(np.uint32) @ weights + 500) // 1000).astype(np.uint8)


def channel_values(pixels: np.ndarray, mode: str) -> np.ndarray:
    """The H×W values a mode shows: one channel for r/g/b, grey levels for gray (and rgb/split: grey)."""
    if mode in CHANNEL_INDEX:
        return pixels[:, :, CHANNEL_INDEX[mode]]
    if mode in CHANNEL_MODES:
        return grayscale(pixels)
    raise ValueError(f"unknown channel mode {mode!r}: choose one of {', '.join(CHANNEL_MODES)}")


def channel_colour(values: np.ndarray, channel: int) -> np.ndarray:
    """H×W×3: `values` in its own channel's colour, the others 0 (how the lecture draws R, G and B)."""
    out = np.zeros((*values.shape, 3), dtype=np.uint8)
    out[..., channel] = values
    return out


def channel_view(pixels: np.ndarray, mode: str) -> np.ndarray:
    """H×W×3 uint8 as drawn in `mode`: the image (rgb), one channel in its colour, or grey."""
    if mode == "rgb":
        return pixels
    if mode in CHANNEL_INDEX:
        return channel_colour(pixels[:, :, CHANNEL_INDEX[mode]], CHANNEL_INDEX[mode])
    if mode == "gray":
        return np.repeat(grayscale(pixels)[:, :, None], 3, axis=2)
    raise ValueError(f"mode {mode!r} has no single view: choose one of rgb, r, g, b, gray")


@dataclass(frozen=True)
class ChannelStats:
    """Per-channel minimum, mean and maximum, and a 256-bin histogram per channel (R, G, B)."""

    minimum: tuple[int, int, int]
    mean: tuple[float, float, float]
    maximum: tuple[int, int, int]
    histograms: np.ndarray  # (3, 256) int64 counts: histograms[c][v] = pixels with value v in channel c

    @property
    def pixel_count(self) -> int:
        return int(self.histograms[0].sum())


def channel_stats(pixels: np.ndarray, image: Image.Image | None = None) -> ChannelStats:
    """Statistics of every channel of an H×W×3 uint8 image, from one histogram pass in Pillow's C
    code (`image`: the same pixels as a Pillow image, if one is at hand)."""
    if image is None:
        image = Image.fromarray(np.ascontiguousarray(pixels))
    return stats_from_histograms(np.asarray(image.histogram(), dtype=np.int64).reshape(3, 256))


def stats_from_histograms(histograms: np.ndarray) -> ChannelStats:
    """Minimum, mean and maximum of each channel, read off its 256-bin histogram."""
    values = np.arange(256)
    count = max(int(histograms[0].sum()), 1)
    minimum = tuple(int(np.flatnonzero(h)[0]) if h.any() else 0 for h in histograms)
    maximum = tuple(int(np.flatnonzero(h)[-1]) if h.any() else 0 for h in histograms)
    mean = tuple(float(h @ values) / count for h in histograms)
    return ChannelStats(minimum, mean, maximum, histograms)  # type: ignore[arg-type]


def to_tensor(rgb: tuple[int, int, int] | np.ndarray) -> tuple[float, float, float]:
    """What torchvision's ToTensor makes of one pixel: each value ÷ 255, a float in [0, 1]."""
    r, g, b = (int(v) for v in rgb)
    return (r / 255.0, g / 255.0, b / 255.0)


@dataclass(frozen=True)
class TensorForm:
    """What torchvision's ToTensor returns for an image: its dtype, and whether the values were divided by 255."""

    dtype: str
    scaled: bool

    def values(self, rgb: tuple[int, int, int] | np.ndarray) -> tuple[float, ...] | tuple[int, ...]:
        """One pixel as ToTensor returns it (an image whose values are whole numbers in 0…255, as the lecture's)."""
        if self.scaled:
            return to_tensor(rgb)
        if self.dtype.startswith(("float", "complex")):
            return tuple(float(v) for v in rgb)
        return tuple(int(v) for v in rgb)


def to_tensor_form(array_dtype: str) -> TensorForm:
    """ToTensor on an H×W×C numpy array of `array_dtype` (a PIL RGB image counts as uint8): uint8 becomes
    float32 ÷ 255; any other dtype keeps its dtype and its values, only the axes move (the lecture's
    np.full([200, 200, 3], 255) stays int64 255, np.zeros([200, 200, 3]) stays float64 0.0)."""
    if array_dtype == "uint8":
        return TensorForm("float32", True)
    return TensorForm(array_dtype, False)


def chw_shape(shape: tuple[int, ...]) -> tuple[int, int, int]:
    """The (C, H, W) shape PyTorch uses for an (H, W, C) image."""
    height, width, channels = shape
    return (channels, height, width)


def neighbourhood(values: np.ndarray, row: int, col: int, size: int) -> np.ndarray:
    """The size×size window of H×W `values` centred on (row, col); cells outside the image are -1."""
    if size < 1 or size % 2 == 0:
        raise ValueError(f"the neighbourhood size must be odd and positive, got {size}")
    half = size // 2
    height, width = values.shape[:2]
    window = np.full((size, size), -1, dtype=np.int32)
    top, left = row - half, col - half
    r0, r1 = max(top, 0), min(top + size, height)
    c0, c1 = max(left, 0), min(left + size, width)
    if r0 < r1 and c0 < c1:
        window[r0 - top : r1 - top, c0 - left : c1 - left] = values[r0:r1, c0:c1]
    return window
