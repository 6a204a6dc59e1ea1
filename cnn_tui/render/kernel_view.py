"""A kernel's weights, one k×k slice per input channel side by side, on a diverging colour scale.

Small kernels (up to `max_numbers`) show each weight as a number on its colour; larger ones
show colour alone, two cells per weight, so an 11×11 kernel still fits a side panel.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rich.cells import set_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style

from cnn_tui.core.colormap import weights_colours
from cnn_tui.render.cell_styles import NO_COLOUR, SHARED_STYLES, StyleCache, contrast_text_packed, pack_rgb

LABEL_STYLE = Style(bold=True)


def weight_text(value: float, width: int) -> str:
    """A weight in `width` cells: 2 decimals where they fit, fewer for large values."""
    for decimals in (2, 1, 0):
        text = f"{value:.{decimals}f}".replace("-0.00", "0.00")
        if len(text) <= width:
            return text.rjust(width)
    return f"{value:.0e}"[:width].rjust(width)


class KernelView:
    """Draw weights (C × k × k), each slice under its label, colours shared by all slices; slices
    wrap onto more rows when they do not fit side by side."""

    def __init__(
        self,
        weights: np.ndarray,
        labels: Sequence[str],
        max_numbers: int = 5,
        cell_width: int = 6,
        gap: int = 2,
        styles: StyleCache = SHARED_STYLES,
    ) -> None:
        if weights.ndim != 3 or weights.shape[0] != len(labels):
            raise ValueError(f"expected C × k × k weights with C labels, got {weights.shape} and {len(labels)}")
        self.weights = np.asarray(weights, dtype=np.float64)
        self.labels = list(labels)
        self.numbers = weights.shape[2] <= max_numbers
        self.cell_width = cell_width if self.numbers else 2
        self.gap = gap
        self.styles = styles

    @property
    def slice_width(self) -> int:
        return self.weights.shape[2] * self.cell_width

    @property
    def width(self) -> int:
        count = self.weights.shape[0]
        return count * self.slice_width + (count - 1) * self.gap

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(min(self.slice_width, self.width), self.width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        colours = pack_rgb(weights_colours(self.weights))
        inks = contrast_text_packed(colours)
        channels = self.weights.shape[0]
        per_row = max(1, min(channels, (options.max_width + self.gap) // (self.slice_width + self.gap)))
        for start in range(0, channels, per_row):
            if start:
                yield Segment.line()
            yield from self._slices(range(start, min(start + per_row, channels)), colours, inks)

    def _slices(self, indices: range, colours: np.ndarray, inks: np.ndarray) -> RenderResult:
        """The slices `indices` side by side: labels, then k lines of cells."""
        spacer = Segment(" " * self.gap)
        for position, index in enumerate(indices):
            if position:
                yield spacer
            yield Segment(set_cell_size(self.labels[index], self.slice_width), LABEL_STYLE)
        yield Segment.line()
        rows, cols = self.weights.shape[1:]
        for y in range(rows):
            for position, c in enumerate(indices):
                if position:
                    yield spacer
                for x in range(cols):
                    background = int(colours[c, y, x])
                    if self.numbers:
                        text = weight_text(float(self.weights[c, y, x]), self.cell_width - 1) + " "
                        yield Segment(text, self.styles.style(int(inks[c, y, x]), background))
                    else:
                        yield Segment(" " * self.cell_width, self.styles.style(NO_COLOUR, background))
            yield Segment.line()
