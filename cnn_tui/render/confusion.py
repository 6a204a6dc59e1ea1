"""A confusion matrix as a coloured heatmap: one row per true class, one column per predicted class."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rich.console import Console, ConsoleOptions, RenderResult
from rich.cells import cell_len, set_cell_size
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style

from cnn_tui.core.colormap import ColourScale, colourize
from cnn_tui.render.cell_styles import SHARED_STYLES, StyleCache, contrast_text_packed, pack_rgb
from cnn_tui.render.safe_text import safe_text

SHARE_SCALE = ColourScale("sequential", 0.0, 1.0, 0.0, 1.0, True)
HEADER = Style(bold=True)
DIAGONAL = Style(bold=True, underline=True)


def row_shares(matrix: np.ndarray) -> np.ndarray:
    """Each count divided by its row's total (0 for an empty row)."""
    totals = matrix.sum(axis=1, keepdims=True)
    return np.divide(matrix, totals, out=np.zeros(matrix.shape, dtype=np.float64), where=totals > 0)


class ConfusionHeatmap:
    """`matrix[i][j]`: test images of class i predicted as class j; `corner` labels the header's first cell."""

    def __init__(
        self,
        classes: Sequence[str],
        matrix: Sequence[Sequence[int]],
        corner: str = "",
        styles: StyleCache = SHARED_STYLES,
    ) -> None:
        self.classes = tuple(safe_text(name) for name in classes)
        self.matrix = np.asarray(matrix, dtype=np.int64)
        if self.matrix.shape != (len(self.classes), len(self.classes)):
            raise ValueError(f"a {len(self.classes)}-class confusion matrix must be square, got {self.matrix.shape}")
        self.corner = corner
        self.styles = styles
        self.cell = max(5, len(str(int(self.matrix.max(initial=0)))) + 1)
        self.label = max([cell_len(name) for name in self.classes] + [cell_len(corner)]) + 1

    @property
    def width(self) -> int:
        return self.label + len(self.classes) * (self.cell + 1)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.width, self.width)

    def colours(self) -> tuple[np.ndarray, np.ndarray]:
        """(background, text) packed colours of every cell."""
        background = pack_rgb(colourize(row_shares(self.matrix), SHARE_SCALE))
        return background, contrast_text_packed(background)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        cell, new_line = self.cell, Segment.line()
        yield Segment(set_cell_size(self.corner, self.label), HEADER)
        for name in self.classes:
            short = set_cell_size(name, cell) if cell_len(name) > cell else name
            yield Segment(" " * (cell + 1 - cell_len(short)) + short, HEADER)
        yield new_line
        background, text = self.colours()
        for i, name in enumerate(self.classes):
            yield Segment(set_cell_size(name, self.label), HEADER)
            for j in range(len(self.classes)):
                style = self.styles.style(int(text[i, j]), int(background[i, j]))
                if i == j:
                    style = style + DIAGONAL
                yield Segment(" ")
                yield Segment(f"{int(self.matrix[i, j]):>{cell}}", style)
            yield new_line


class ShareLegend:
    """The heatmap's colour scale: 0 % … 100 % of the row, `width` cells wide."""

    def __init__(self, width: int = 30, styles: StyleCache = SHARED_STYLES) -> None:
        self.width = width
        self.styles = styles

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.width + 10, self.width + 10)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        shares = np.linspace(0.0, 1.0, self.width).reshape(1, -1)
        packed = pack_rgb(colourize(shares, SHARE_SCALE))[0]
        yield Segment("0% ")
        for colour in packed.tolist():
            yield Segment(" ", self.styles.style(-1, colour))
        yield Segment(" 100%")
        yield Segment.line()
