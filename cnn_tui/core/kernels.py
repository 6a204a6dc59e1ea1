"""A catalogue of named hand-made convolution kernels, as numpy arrays of any size."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from math import comb

import numpy as np

DTYPE = np.float32


def binomial_row(length: int) -> np.ndarray:
    """Row `length − 1` of Pascal's triangle: [1], [1, 1], [1, 2, 1], [1, 3, 3, 1] ..."""
    if length < 1:
        raise ValueError(f"length must be at least 1, got {length}")
    return np.array([comb(length - 1, i) for i in range(length)], dtype=np.float64)


def _derivative_row(length: int) -> np.ndarray:
    """A smoothed central difference of `length` taps: [-1, 0, 1], [-1, -2, 0, 2, 1] ..."""
    if length < 3:
        _too_small()
    return np.convolve(binomial_row(length - 2), [-1.0, 0.0, 1.0])


def _too_small() -> np.ndarray:
    raise ValueError("needs a kernel of at least 3×3")


def _delta(size: int) -> np.ndarray:
    kernel = np.zeros((size, size))
    kernel[size // 2, size // 2] = 1.0
    return kernel


def _cross(size: int) -> np.ndarray:
    """Ones on the centre row and column, except the centre itself."""
    kernel = np.zeros((size, size))
    kernel[size // 2, :] = 1.0
    kernel[:, size // 2] = 1.0
    kernel[size // 2, size // 2] = 0.0
    return kernel


def _identity(size: int) -> np.ndarray:
    return _delta(size)


def _box_blur(size: int) -> np.ndarray:
    return np.full((size, size), 1.0 / (size * size))


def _gaussian(size: int) -> np.ndarray:
    row = binomial_row(size)
    kernel = np.outer(row, row)
    return kernel / kernel.sum()


def _sharpen(size: int) -> np.ndarray:
    cross = _cross(size)
    return _delta(size) * (1.0 + cross.sum()) - cross


def _edge_horizontal(size: int) -> np.ndarray:
    """Prewitt: rows above the centre −1, rows below +1 (a horizontal edge, brighter below)."""
    if size < 2:
        _too_small()
    rows = np.arange(size) - (size - 1) / 2.0
    return np.repeat(np.sign(rows)[:, None], size, axis=1)


def _edge_vertical(size: int) -> np.ndarray:
    return _edge_horizontal(size).T.copy()


def _sobel_x(size: int) -> np.ndarray:
    return np.outer(binomial_row(size), _derivative_row(size))


def _sobel_y(size: int) -> np.ndarray:
    return _sobel_x(size).T.copy()


def _laplacian(size: int) -> np.ndarray:
    if size < 3:
        _too_small()
    cross = _cross(size)
    return cross - _delta(size) * cross.sum()


def _emboss(size: int) -> np.ndarray:
    """Dark towards the top-left, light towards the bottom-right, plus the pixel itself."""
    if size < 2:
        _too_small()
    offsets = np.arange(size) - (size - 1) / 2.0
    return offsets[:, None] + offsets[None, :] + _delta(size)


@dataclass(frozen=True)
class KernelPreset:
    """One named kernel: a spatial pattern and, for colour kernels, a weight per input channel."""

    name: str
    label: str
    pattern: Callable[[int], np.ndarray]
    channels: tuple[float, ...] | None = None  # None: a spatial kernel, applied to the channel mean
    min_size: int = 1

    @property
    def is_colour(self) -> bool:
        return self.channels is not None


_SPATIAL = (
    KernelPreset("identity", "identity", _identity),
    KernelPreset("box_blur", "box blur", _box_blur),
    KernelPreset("gaussian", "Gaussian blur", _gaussian),
    KernelPreset("sharpen", "sharpen", _sharpen),
    KernelPreset("edge_horizontal", "edge horizontal (Prewitt)", _edge_horizontal, min_size=2),
    KernelPreset("edge_vertical", "edge vertical (Prewitt)", _edge_vertical, min_size=2),
    KernelPreset("sobel_x", "Sobel x", _sobel_x, min_size=3),
    KernelPreset("sobel_y", "Sobel y", _sobel_y, min_size=3),
    KernelPreset("laplacian", "Laplacian", _laplacian, min_size=3),
    KernelPreset("emboss", "emboss", _emboss, min_size=2),
)
_COLOUR = (
    KernelPreset("red_only", "red only", _identity, (1.0, 0.0, 0.0)),
    KernelPreset("green_only", "green only", _identity, (0.0, 1.0, 0.0)),
    KernelPreset("blue_only", "blue only", _identity, (0.0, 0.0, 1.0)),
    KernelPreset("redness", "redness: R − (G + B) / 2", _identity, (1.0, -0.5, -0.5)),
    KernelPreset("greenness", "greenness: G − (R + B) / 2", _identity, (-0.5, 1.0, -0.5)),
    KernelPreset("blueness", "blueness: B − (R + G) / 2", _identity, (-0.5, -0.5, 1.0)),
    KernelPreset("grey", "grey (luma 0.299 R + 0.587 G + 0.114 B)", _identity, (0.299, 0.587, 0.114)),
)

PRESETS: dict[str, KernelPreset] = {preset.name: preset for preset in (*_SPATIAL, *_COLOUR)}
"""Every preset by name, spatial kernels first, in a stable order for menus."""
SPATIAL_NAMES: tuple[str, ...] = tuple(preset.name for preset in _SPATIAL)
COLOUR_NAMES: tuple[str, ...] = tuple(preset.name for preset in _COLOUR)


class KernelError(ValueError):
    """An unknown preset, or a size or channel count the preset cannot take."""


def preset(name: str) -> KernelPreset:
    """The preset called `name`; KernelError lists the choices otherwise."""
    try:
        return PRESETS[name]
    except KeyError:
        raise KernelError(f"unknown kernel {name!r}; choose one of {', '.join(PRESETS)}") from None


def fits(name: str, size: int) -> bool:
    """Whether preset `name` can be made at `size`×`size`."""
    return size >= max(1, preset(name).min_size)


def spatial_kernel(name: str, size: int = 3) -> np.ndarray:
    """The preset's k×k pattern (float32); for a colour preset, its spatial part (the identity)."""
    chosen = preset(name)
    if size < max(1, chosen.min_size):
        raise KernelError(f"the {chosen.label} kernel needs a size of at least {chosen.min_size}, got {size}")
    return (chosen.pattern(size) + 0.0).astype(DTYPE)


def preset_weights(name: str, size: int = 3, in_channels: int = 3) -> np.ndarray:
    """One output channel's weights (in_channels × k × k, float32) for preset `name`.

    A spatial kernel acts on the mean of the channels, so each slice is kernel / in_channels;
    a colour kernel needs exactly as many channel weights as `in_channels`."""
    chosen = preset(name)
    pattern = spatial_kernel(name, size)
    if in_channels < 1:
        raise KernelError(f"in_channels must be at least 1, got {in_channels}")
    if chosen.channels is None:
        return np.repeat(pattern[None] / in_channels, in_channels, axis=0).astype(DTYPE)
    if len(chosen.channels) != in_channels:
        raise KernelError(
            f"the {chosen.label} kernel weighs {len(chosen.channels)} channels, not {in_channels}"
        )
    weights = np.asarray(chosen.channels, dtype=np.float64)[:, None, None] * pattern
    return (weights + 0.0).astype(DTYPE)  # + 0.0 turns −0 into 0, so printed weights read cleanly


def stack_presets(names: list[str] | tuple[str, ...], size: int = 3, in_channels: int = 3) -> np.ndarray:
    """Weights for several output channels (C_out × in_channels × k × k), one preset each."""
    if not names:
        raise KernelError("give at least one kernel")
    return np.stack([preset_weights(name, size, in_channels) for name in names])
