"""Colour for feature maps: float values to RGB uint8 on a stated scale, with a legend."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cnn_tui.core.viridis import VIRIDIS

Colour = tuple[int, int, int]

# ColorBrewer RdBu, reversed (blue for negative), 5 stops from −m to +m.
DIVERGING_STOPS: tuple[Colour, ...] = (
    (33, 102, 172),
    (146, 197, 222),
    (247, 247, 247),
    (244, 165, 130),
    (178, 24, 43),
)
KINDS: tuple[str, ...] = ("auto", "diverging", "sequential")
LUT_SIZE = 257  # diverging: odd, so the middle value (0) has its own entry


def _lut(stops: Sequence[Colour], size: int = LUT_SIZE) -> np.ndarray:
    """`size` colours interpolated linearly through evenly spaced `stops` (size × 3 uint8)."""
    positions = np.linspace(0.0, 1.0, len(stops))
    samples = np.linspace(0.0, 1.0, size)
    table = np.stack([np.interp(samples, positions, [c[i] for c in stops]) for i in range(3)], axis=1)
    return np.round(table).astype(np.uint8)


def _viridis_lut() -> np.ndarray:
    """The published viridis table as 256 × 3 uint8 (each float × 255, rounded)."""
    return np.rint(np.asarray(VIRIDIS, dtype=np.float64) * 255.0).astype(np.uint8)


# Sequential uses viridis's own 256 entries (no interpolation); values pick the nearest entry.
_LUTS: dict[str, np.ndarray] = {"diverging": _lut(DIVERGING_STOPS), "sequential": _viridis_lut()}


@dataclass(frozen=True)
class ColourScale:
    """How one map's values become colours: `low` → first colour, `high` → last colour."""

    kind: str  # "diverging" or "sequential" (never "auto": that is resolved when the scale is made)
    low: float
    high: float
    data_min: float
    data_max: float
    shared: bool

    @property
    def middle(self) -> float:
        """The value drawn in the middle colour (0 for a diverging scale)."""
        return (self.low + self.high) / 2.0

    def colour_of(self, value: float) -> Colour:
        """The colour a single value gets."""
        rgb = colourize(np.array([[value]], dtype=np.float64), self)[0, 0]
        return (int(rgb[0]), int(rgb[1]), int(rgb[2]))

    def stops(self, count: int = 5) -> list[tuple[float, Colour]]:
        """`count` evenly spaced (value, colour) pairs from low to high, for a legend."""
        if count < 2:
            raise ValueError("a legend needs at least 2 stops")
        return [(float(v), self.colour_of(float(v))) for v in np.linspace(self.low, self.high, count)]


def resolve_kind(kind: str, data_min: float) -> str:
    """`auto` becomes diverging when there are negative values, sequential otherwise."""
    if kind not in KINDS:
        raise ValueError(f"unknown colour scale {kind!r}; choose one of {', '.join(KINDS)}")
    if kind == "auto":
        return "diverging" if data_min < 0 else "sequential"
    return kind


def _scale(kind: str, data_min: float, data_max: float, shared: bool) -> ColourScale:
    if kind == "diverging":
        bound = max(abs(data_min), abs(data_max))
        low, high = -bound, bound
    else:
        low, high = data_min, data_max
    return ColourScale(kind=kind, low=low, high=high, data_min=data_min, data_max=data_max, shared=shared)


def make_scales(maps: Sequence[np.ndarray], kind: str = "auto", shared: bool = True) -> list[ColourScale]:
    """One scale per map: the same one for all (shared) or each map's own (per-map).

    With `auto` and a shared scale, one kind is chosen for all maps; per-map, each map
    chooses by its own minimum."""
    if not maps:
        return []
    lows = [float(np.min(m)) for m in maps]
    highs = [float(np.max(m)) for m in maps]
    if shared:
        low, high = min(lows), max(highs)
        scale = _scale(resolve_kind(kind, low), low, high, shared=True)
        return [scale] * len(maps)
    return [_scale(resolve_kind(kind, lo), lo, hi, shared=False) for lo, hi in zip(lows, highs)]


def colourize(values: np.ndarray, scale: ColourScale) -> np.ndarray:
    """An H×W float map as H×W×3 uint8 on `scale`; values outside [low, high] take the end colours.

    A scale with low == high (a constant map) draws everything in the middle colour."""
    table = _LUTS[scale.kind]
    size = len(table)
    values = np.asarray(values, dtype=np.float64)
    span = scale.high - scale.low
    if span <= 0 or not np.isfinite(span):
        index = np.full(values.shape, size // 2, dtype=np.intp)
    else:
        position = (values - scale.low) * ((size - 1) / span)
        index = np.clip(np.rint(np.nan_to_num(position, nan=(size - 1) / 2.0)), 0, size - 1).astype(np.intp)
    return table[index]


def weights_colours(weights: np.ndarray) -> np.ndarray:
    """A kernel's weights (… × k × k) on one diverging scale symmetric about 0, as … × k × k × 3 uint8."""
    weights = np.asarray(weights, dtype=np.float64)
    bound = float(np.max(np.abs(weights))) if weights.size else 0.0
    scale = ColourScale("diverging", -bound, bound, float(weights.min(initial=0)), float(weights.max(initial=0)), True)
    return colourize(weights, scale)


def filters_as_rgb(weights: np.ndarray) -> tuple[np.ndarray, float, float]:
    """3-channel filters (C_out × 3 × k × k) as small RGB images (C_out × k × k × 3 uint8).

    All filters share one linear scale from the smallest weight (0) to the largest (255), the
    usual way to look at a first layer's learned filters: a filter drawn red weighs the red
    channel most. Returns the images and the (min, max) weights that map to 0 and 255."""
    weights = np.asarray(weights, dtype=np.float64)
    if weights.ndim != 4 or weights.shape[1] != 3:
        raise ValueError(f"expected C_out × 3 × k × k weights, got shape {weights.shape}")
    low, high = float(weights.min()), float(weights.max())
    span = high - low
    scaled = np.full(weights.shape, 127.5) if span <= 0 else (weights - low) * (255.0 / span)
    return np.rint(scaled).astype(np.uint8).transpose(0, 2, 3, 1), low, high
