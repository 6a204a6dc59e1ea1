"""A 256-bin histogram drawn as bars of eighth blocks, the bins grouped to the width available."""

from __future__ import annotations

import numpy as np
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style

from cnn_tui.render.cell_styles import SHARED_STYLES, StyleCache

EIGHTHS = " ▁▂▃▄▅▆▇█"


def group_bins(counts: np.ndarray, width: int) -> np.ndarray:
    """`counts` summed into `width` columns of (nearly) equal numbers of consecutive bins."""
    if width < 1:
        raise ValueError(f"a histogram needs at least one column, got {width}")
    width = min(width, len(counts))
    edges = np.linspace(0, len(counts), width + 1).astype(int)
    return np.add.reduceat(np.asarray(counts, dtype=np.int64), edges[:-1])


def bar_heights(columns: np.ndarray, height: int) -> np.ndarray:
    """Bar heights in eighths of a cell (0 … 8·height), the tallest column full; any non-zero
    column gets at least one eighth, so a value that occurs is never invisible."""
    top = int(columns.max(initial=0))
    if top == 0:
        return np.zeros(columns.shape, dtype=np.int64)
    eighths = np.ceil(columns * (8 * height) / top).astype(np.int64)
    return np.where(columns > 0, np.maximum(eighths, 1), 0)


class Histogram:
    """Counts of a channel's values 0…255 as `height` rows of bars in `colour`, `width` columns wide."""

    def __init__(
        self,
        counts: np.ndarray,
        colour: tuple[int, int, int],
        width: int = 32,
        height: int = 2,
        styles: StyleCache = SHARED_STYLES,
    ) -> None:
        self.counts = np.asarray(counts)
        self.colour = colour
        self.width = min(width, len(self.counts))
        self.height = height
        packed = (colour[0] << 16) | (colour[1] << 8) | colour[2]
        self.style: Style = styles.style(packed, -1)

    def rows(self) -> list[str]:
        """The bars as text, top row first."""
        heights = bar_heights(group_bins(self.counts, self.width), self.height)
        rows = []
        for level in range(self.height - 1, -1, -1):
            fill = np.clip(heights - 8 * level, 0, 8)
            rows.append("".join(EIGHTHS[v] for v in fill.tolist()))
        return rows

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.width, self.width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for row in self.rows():
            yield Segment(row, self.style)
            yield Segment.line()
