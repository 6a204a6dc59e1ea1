"""A confusion matrix as a coloured heatmap: one row per true class, one column per predicted class."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rich.console import Console, ConsoleOptions, RenderResult
from rich.cells import cell_len, set_cell_size
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from cnn_tui.core.colormap import ColourScale, colourize
from cnn_tui.i18n import tr
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
    """`matrix[i][j]`: test images of class i predicted as class j; `corner` labels the header's first cell;
    `heads` names the columns (the row labels `classes` unless given: a shorter name of the same class)."""

    def __init__(
        self,
        classes: Sequence[str],
        matrix: Sequence[Sequence[int]],
        corner: str = "",
        styles: StyleCache = SHARED_STYLES,
        heads: Sequence[str] | None = None,
    ) -> None:
        self.classes = tuple(safe_text(name) for name in classes)
        self.heads = tuple(safe_text(name) for name in heads) if heads is not None else self.classes
        self.matrix = np.asarray(matrix, dtype=np.int64)
        if self.matrix.shape != (len(self.classes), len(self.classes)):
            raise ValueError(f"a {len(self.classes)}-class confusion matrix must be square, got {self.matrix.shape}")
        self.corner = corner
        self.styles = styles
        if len(self.heads) != len(self.classes):
            raise ValueError(f"{len(self.heads)} column heads for {len(self.classes)} classes")
        self.cell = max(4, len(str(int(self.matrix.max(initial=0)))) + 1, len(str(len(self.classes))) + 1)
        self.whole_cell = max([self.cell] + [cell_len(name) for name in self.heads])
        digits = len(str(len(self.classes)))
        self.numbered = tuple(f"{k:>{digits}} {name}" for k, name in enumerate(self.classes, 1))
        self.label = max([cell_len(name) for name in self.classes] + [cell_len(corner)]) + 1
        self.numbered_label = max([cell_len(name) for name in self.numbered] + [cell_len(corner)]) + 1

    @property
    def width(self) -> int:
        """Cells wide with every column headed by its whole name."""
        return self.label + len(self.classes) * (self.whole_cell + 1)

    @property
    def numbered_width(self) -> int:
        """Cells wide with the columns numbered."""
        return self.numbered_label + len(self.classes) * (self.cell + 1)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(min(self.width, self.numbered_width), self.width)

    def colours(self) -> tuple[np.ndarray, np.ndarray]:
        """(background, text) packed colours of every cell."""
        background = pack_rgb(colourize(row_shares(self.matrix), SHARE_SCALE))
        return background, contrast_text_packed(background)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        whole = self.width <= options.max_width or self.width <= self.numbered_width
        if whole:
            cell, label, rows, heads = self.whole_cell, self.label, self.classes, self.heads
        else:
            cell, label, rows = self.cell, self.numbered_label, self.numbered
            heads = tuple(str(k) for k in range(1, len(self.classes) + 1))
        new_line = Segment.line()
        yield Segment(set_cell_size(self.corner, label), HEADER)
        for name in heads:
            yield Segment(" " * (cell + 1 - cell_len(name)) + name, HEADER)
        yield new_line
        background, text = self.colours()
        for i, name in enumerate(rows):
            yield Segment(set_cell_size(name, label), HEADER)
            for j in range(len(self.classes)):
                style = self.styles.style(int(text[i, j]), int(background[i, j]))
                if i == j:
                    style = style + DIAGONAL
                yield Segment(" ")
                yield Segment(f"{int(self.matrix[i, j]):>{cell}}", style)
            yield new_line
        if not whole:
            yield Text(tr("confusion.numbered"), "dim")


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
