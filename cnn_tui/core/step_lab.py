"""The state behind the Convolution and Pooling tabs: matrices, where they came from, and the settings.

A lab is immutable; every change returns a new lab, and `trace()` checks it with PyTorch's
rules (raising SettingsError), so a view can keep the last valid lab when a change is rejected.
Matrices remember their source (a range, a seeded random draw, a named kernel, a crop of an
image, or a person's edits) so that changing a size regenerates them sensibly.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from cnn_tui.config import LIMITS as CONFIG_LIMITS
from cnn_tui.core.conv_geometry import Pair
from cnn_tui.core.conv_trace import ConvTrace
from cnn_tui.core.kernels import SPATIAL_NAMES, fits, spatial_kernel
from cnn_tui.core.lecture_examples import ConvExample, PoolExample
from cnn_tui.core.pool_trace import PoolTrace

# Kernels a learner can pick by name (the catalogue's spatial kernels, then a random one).
KERNEL_NAMES: tuple[str, ...] = (*SPATIAL_NAMES, "random")
MAX_SIDE = CONFIG_LIMITS.tab_side
MAX_CHANNELS = CONFIG_LIMITS.tab_channels
MAX_KERNELS = CONFIG_LIMITS.tab_kernels
MAX_KERNEL_SIZE = CONFIG_LIMITS.tab_kernel_size
# The range each shape setting may take in the tabs (their matrices must fit on a screen; config.Limits).
LIMITS: dict[str, tuple[int, int]] = {
    "size": (1, MAX_SIDE),
    "channels": (1, MAX_CHANNELS),
    "kernels": (1, MAX_KERNELS),
    "kernel_size": (1, MAX_KERNEL_SIZE),
}
# Upper bounds only: below them PyTorch's own rules (stride ≥ 1, padding ≥ 0) apply, and the engine says those.
MAXIMA: dict[str, int] = {
    "stride": CONFIG_LIMITS.tab_stride,
    "padding": CONFIG_LIMITS.tab_padding,
    "dilation": CONFIG_LIMITS.tab_dilation,
}


def within_limits(name: str, value: int) -> bool:
    """Whether setting `name` may be `value` in the tabs (settings without a limit always may)."""
    if name in MAXIMA:
        return value <= MAXIMA[name]
    low, high = LIMITS.get(name, (value, value))
    return low <= value <= high


@dataclass(frozen=True)
class Source:
    """Where a matrix came from: range, random (seed), kernel (name), image, example or custom."""

    kind: str
    seed: int = 0
    name: str = ""
    at: tuple[int, int] | None = None  # image: the (row, column) the crop is centred on; None: the image's centre


RANGE = Source("range")
CUSTOM = Source("custom")


def _fit(previous: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """`previous` cropped or zero-extended to `shape` (top-left corner kept)."""
    out = np.zeros(shape)
    common = tuple(slice(0, min(a, b)) for a, b in zip(previous.shape, shape))
    out[common] = previous[common]
    return out


def crop_corner(image_size: tuple[int, int], crop_size: tuple[int, int], at: tuple[int, int] | None) -> tuple[int, int]:
    """The top-left corner of a crop of `crop_size` centred on `at` (the image's centre when None),
    moved inside the image where the point is near an edge."""
    (rows, cols), (h, w) = image_size, crop_size
    row, col = at if at is not None else (rows // 2, cols // 2)
    top = min(max(row - h // 2, 0), rows - h)
    left = min(max(col - w // 2, 0), cols - w)
    return top, left


def image_crop(
    pixels: np.ndarray, channels: int, height: int, width: int, at: tuple[int, int] | None = None
) -> np.ndarray:
    """The height×width of an H×W×3 uint8 image around `at` (default: the centre) as (3, h, w), or
    (1, h, w) in grey (luma)."""
    h, w = min(height, pixels.shape[0]), min(width, pixels.shape[1])
    top, left = crop_corner(pixels.shape[:2], (h, w), at)
    crop = pixels[top : top + h, left : left + w].astype(np.float64)
    if channels == 1:
        grey = crop @ np.array([0.299, 0.587, 0.114])
        return np.rint(grey)[None]
    return _fit(np.moveaxis(crop, 2, 0), (channels, h, w))


def make_input(source: Source, shape: tuple[int, int, int], previous: np.ndarray, image: np.ndarray | None = None) -> np.ndarray:
    """An input of `shape` (C, H, W) from `source`; custom and example inputs keep what fits."""
    if source.kind == "range":
        return np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    if source.kind == "random":
        return np.random.default_rng(source.seed).integers(0, 10, shape).astype(np.float64)
    if source.kind == "image" and image is not None:
        crop = image_crop(image, shape[0], shape[1], shape[2], source.at)
        return _fit(crop, shape)
    return _fit(previous, shape)


def make_kernels(source: Source, shape: tuple[int, int, int, int], previous: np.ndarray) -> np.ndarray:
    """Kernels of `shape` (C_out, C_in, k, k): a named kernel (then the next names, one per kernel),
    seeded random integers −1…1, or what fits of the previous ones."""
    kernels, channels, kh, kw = shape
    if source.kind == "kernel" and kh == kw:
        start = SPATIAL_NAMES.index(source.name)
        names = [n for n in SPATIAL_NAMES[start:] + SPATIAL_NAMES[:start] if fits(n, kh)]
        if names:
            patterns = [spatial_kernel(names[i % len(names)], kh).astype(np.float64) for i in range(kernels)]
            return np.stack([np.repeat(p[None], channels, axis=0) for p in patterns])
    if source.kind == "random":
        return np.random.default_rng(source.seed).integers(-1, 2, shape).astype(np.float64)
    return _fit(previous, shape)


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


@dataclass(frozen=True, eq=False)
class ConvLab:
    """A convolution the tab shows: input, kernels, bias and settings."""

    input: np.ndarray  # (C, H, W)
    weights: np.ndarray  # (C_out, C_in, kH, kW)
    bias: np.ndarray  # (C_out,)
    stride: Pair = (1, 1)
    padding: Pair = (0, 0)
    dilation: Pair = (1, 1)
    input_source: Source = RANGE
    kernel_source: Source = CUSTOM
    example: str | None = None

    @classmethod
    def from_example(cls, example: ConvExample) -> ConvLab:
        trace = example.trace()
        return cls(
            trace.input, trace.weights, trace.bias, trace.stride, trace.padding, trace.dilation,
            Source("example", name=example.name), Source("example", name=example.name), example.name,
        )

    def trace(self) -> ConvTrace:
        return ConvTrace(self.input, self.weights, self.bias, self.stride, self.padding, self.dilation)

    def with_settings(self, **changes: object) -> ConvLab:
        """Stride, padding, dilation or bias changed; the example name is kept only if nothing else is."""
        return replace(self, example=None, **changes)  # type: ignore[arg-type]

    def resized(
        self,
        size: Pair | None = None,
        channels: int | None = None,
        kernels: int | None = None,
        kernel_size: Pair | None = None,
        image: np.ndarray | None = None,
    ) -> ConvLab:
        """New shapes; matrices are regenerated from their sources, the bias extended with zeros."""
        c = _clamp(channels or self.input.shape[0], 1, MAX_CHANNELS)
        h, w = size or self.input.shape[1:]
        h, w = _clamp(h, 1, MAX_SIDE), _clamp(w, 1, MAX_SIDE)
        o = _clamp(kernels or self.weights.shape[0], 1, MAX_KERNELS)
        kh, kw = kernel_size or self.weights.shape[2:]
        kh, kw = _clamp(kh, 1, MAX_KERNEL_SIZE), _clamp(kw, 1, MAX_KERNEL_SIZE)
        x = make_input(self.input_source, (c, h, w), self.input, image)
        weights = make_kernels(self.kernel_source, (o, c, kh, kw), self.weights)
        return replace(self, input=x, weights=weights, bias=_fit(self.bias, (o,)), example=None)

    def with_input(self, values: np.ndarray, source: Source) -> ConvLab:
        """A new input (its channel count may differ: the kernels follow)."""
        o, _, kh, kw = self.weights.shape
        weights = make_kernels(self.kernel_source, (o, values.shape[0], kh, kw), self.weights)
        return replace(self, input=values, input_source=source, weights=weights, example=None)

    def with_kernel_source(self, source: Source) -> ConvLab:
        return replace(self, kernel_source=source, weights=make_kernels(source, self.weights.shape, self.weights), example=None)

    def with_cell(self, target: str, index: tuple[int, ...], value: float) -> ConvLab:
        """One input or kernel cell set to `value` (the matrix becomes custom)."""
        if target == "input":
            x = self.input.copy()
            x[index] = value
            return replace(self, input=x, input_source=CUSTOM, example=None)
        w = self.weights.copy()
        w[index] = value
        return replace(self, weights=w, kernel_source=CUSTOM, example=None)


@dataclass(frozen=True, eq=False)
class PoolLab:
    """A pooling the tab shows: input, mode and settings (stride None: the kernel size)."""

    input: np.ndarray
    mode: str = "max"
    kernel_size: Pair = (2, 2)
    stride: Pair | None = None
    padding: Pair = (0, 0)
    ceil_mode: bool = False
    count_include_pad: bool = True
    input_source: Source = RANGE
    example: str | None = None

    @classmethod
    def from_example(cls, example: PoolExample) -> PoolLab:
        trace = example.trace()
        return cls(
            trace.input, trace.mode, trace.kernel_size, trace.stride, trace.padding,
            input_source=Source("example", name=example.name), example=example.name,
        )

    @property
    def effective_stride(self) -> Pair:
        return self.kernel_size if self.stride is None else self.stride

    def trace(self) -> PoolTrace:
        return PoolTrace(
            self.input, self.mode, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad
        )

    def with_settings(self, **changes: object) -> PoolLab:
        return replace(self, example=None, **changes)  # type: ignore[arg-type]

    def resized(self, size: Pair | None = None, channels: int | None = None, image: np.ndarray | None = None) -> PoolLab:
        c = _clamp(channels or self.input.shape[0], 1, MAX_CHANNELS)
        h, w = size or self.input.shape[1:]
        shape = (c, _clamp(h, 1, MAX_SIDE), _clamp(w, 1, MAX_SIDE))
        return replace(self, input=make_input(self.input_source, shape, self.input, image), example=None)

    def with_input(self, values: np.ndarray, source: Source) -> PoolLab:
        return replace(self, input=values, input_source=source, example=None)

    def with_cell(self, target: str, index: tuple[int, ...], value: float) -> PoolLab:
        x = self.input.copy()
        x[index] = value
        return replace(self, input=x, input_source=CUSTOM, example=None)
