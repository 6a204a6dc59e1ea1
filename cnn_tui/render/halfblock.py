"""Draw an H×W×3 uint8 array with half blocks: each cell `▀`, two pixels a cell (upper colour, lower background)."""

from __future__ import annotations

import numpy as np
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment

from cnn_tui.render.cell_styles import NO_COLOUR, PAIR_MASK, SHARED_STYLES, StyleCache, pack_rgb

UPPER_HALF = "▀"


def _check(pixels: np.ndarray) -> None:
    if pixels.ndim != 3 or pixels.shape[2] != 3 or pixels.dtype != np.uint8:
        raise ValueError(f"expected an H×W×3 uint8 array, got {pixels.dtype} {pixels.shape}")


def halfblock_pairs(pixels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(upper, lower) packed colours per cell, each ⌈H/2⌉×W; a missing last lower row is NO_COLOUR."""
    _check(pixels)
    packed = pack_rgb(pixels)
    upper = packed[0::2]
    lower = packed[1::2]
    if lower.shape[0] < upper.shape[0]:
        lower = np.vstack([lower, np.full((1, packed.shape[1]), NO_COLOUR, dtype=np.int64)])
    return upper, lower


def segments_for_pairs(upper: np.ndarray, lower: np.ndarray, styles: StyleCache = SHARED_STYLES) -> list[Segment]:
    """One line of cells from two rows of packed colours (length W each), runs merged."""
    width = upper.shape[0]
    if width == 0:
        return []
    key = (upper << 25) | (lower & PAIR_MASK)
    starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
    lengths = np.diff(np.append(starts, width)).tolist()
    pair = styles.pair
    return [Segment(_run(n), pair(k)) for n, k in zip(lengths, key[starts].tolist())]


def _run(length: int) -> str:
    """`▀` × length, reused."""
    if length < len(_RUNS):
        return _RUNS[length]
    return UPPER_HALF * length


_RUNS = [UPPER_HALF * n for n in range(257)]


def halfblock_lines(pixels: np.ndarray, styles: StyleCache = SHARED_STYLES) -> list[list[Segment]]:
    """The ⌈H/2⌉ lines of Segments that draw `pixels` (H×W×3 uint8), W cells each."""
    upper, lower = halfblock_pairs(pixels)
    return [segments_for_pairs(upper[y], lower[y], styles) for y in range(upper.shape[0])]


class HalfBlockImage:
    """A Rich renderable drawing an H×W×3 uint8 array at one pixel per half cell."""

    def __init__(self, pixels: np.ndarray, styles: StyleCache = SHARED_STYLES) -> None:
        _check(pixels)
        self.pixels = pixels
        self.styles = styles

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        width = int(self.pixels.shape[1])
        return Measurement(width, width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        new_line = Segment.line()
        for line in halfblock_lines(self.pixels, self.styles):
            yield from line
            yield new_line
