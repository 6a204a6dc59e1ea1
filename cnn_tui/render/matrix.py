"""A matrix of numbers as a Rich renderable, each cell coloured by its role in the current step.

Roles say what a cell is right now: an input value, a padding zero, under the window, the
max's winner, the output cell being computed, an output not computed yet, the edit cursor.
Styles are built once; drawing a matrix only joins pre-made Segments, so it stays fast
enough to redraw on every step.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum

import numpy as np
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style

from cnn_tui.render.numbers import format_number


class Role(IntEnum):
    """What a cell is in the current step."""

    VALUE = 0
    PADDING = 1  # a padding cell (zero for conv and avg pooling, −∞ for max pooling)
    WINDOW = 2  # an input cell under the window
    WINDOW_PADDING = 3  # a padding cell under the window
    WINNER = 4  # the cell that won the max
    CURRENT = 5  # the output cell of this step
    PENDING = 6  # an output not computed yet
    CURSOR = 7  # the edit / jump cursor
    OUTSIDE = 8  # beyond the padding (only a ceil-mode window reaches there)
    UNCOVERED = 9  # an input cell that no window ever touches
    DONE = 10  # an output already computed
    WINDOW_OUTSIDE = 11  # beyond the padding, under the window (not counted)


STYLES: dict[Role, Style] = {
    Role.VALUE: Style(color="bright_white"),
    Role.PADDING: Style(color="grey50", italic=True),
    Role.WINDOW: Style(color="black", bgcolor="yellow", bold=True),
    Role.WINDOW_PADDING: Style(color="grey23", bgcolor="dark_goldenrod", italic=True),
    Role.WINNER: Style(color="bright_white", bgcolor="red", bold=True),
    Role.CURRENT: Style(color="black", bgcolor="bright_cyan", bold=True),
    Role.PENDING: Style(color="grey35"),
    Role.CURSOR: Style(color="black", bgcolor="bright_magenta", bold=True, underline=True),
    Role.OUTSIDE: Style(color="grey30"),
    Role.UNCOVERED: Style(color="grey62", strike=True),
    Role.DONE: Style(color="bright_white"),
    Role.WINDOW_OUTSIDE: Style(color="grey35", bgcolor="grey23"),
}
_STYLE_BY_CODE: list[Style] = [STYLES[role] for role in sorted(Role)]
PENDING_MARK = "·"
OUTSIDE_MARK = "×"


def cell_texts(values: np.ndarray, decimals: int = 2) -> list[list[str]]:
    """Every value of a 2-D array formatted for display."""
    return [[format_number(float(v), decimals) for v in row] for row in values.tolist()]


def pad_cells(texts: list[list[str]], width: int) -> list[list[str]]:
    """Cell texts right-aligned to `width` with a space on each side, as MatrixGrid draws them."""
    return [[f" {text:>{width}} " for text in row] for row in texts]


class MatrixGrid:
    """Draw a 2-D array: one right-aligned cell per value, padded by a space on each side.

    Give `cells` (from `pad_cells`) to reuse formatted cells between draws; neighbouring cells
    with the same role are joined into one Segment."""

    def __init__(
        self,
        values: np.ndarray,
        roles: np.ndarray | None = None,
        cell_width: int | None = None,
        decimals: int = 2,
        texts: list[list[str]] | None = None,
        cells: list[list[str]] | None = None,
    ) -> None:
        if values.ndim != 2:
            raise ValueError(f"MatrixGrid draws 2-D arrays, got shape {values.shape}")
        self.values = values
        self.roles = np.zeros(values.shape, dtype=np.uint8) if roles is None else roles
        if cells is None:
            texts = texts if texts is not None else cell_texts(values, decimals)
            widest = max((len(t) for row in texts for t in row), default=1)
            cells = pad_cells(texts, max(cell_width or 0, widest, 1))
        self.cells = cells
        self.cell_width = len(cells[0][0]) - 2 if cells and cells[0] else 1

    @property
    def width(self) -> int:
        return self.values.shape[1] * (self.cell_width + 2)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.width, self.width)

    def lines(self) -> Iterable[list[Segment]]:
        """One list of Segments per row, a Segment per run of cells with the same role."""
        width = self.cell_width
        pending, outside = f" {PENDING_MARK:>{width}} ", f" {OUTSIDE_MARK:>{width}} "
        styles = _STYLE_BY_CODE
        for cells, roles in zip(self.cells, self.roles.tolist()):
            line: list[Segment] = []
            run: list[str] = []
            run_role = -1
            for cell, role in zip(cells, roles):
                if role == Role.PENDING:
                    cell = pending
                elif role == Role.OUTSIDE or role == Role.WINDOW_OUTSIDE:
                    cell = outside
                if role != run_role:
                    if run:
                        line.append(Segment("".join(run), styles[run_role]))
                    run, run_role = [cell], role
                else:
                    run.append(cell)
            if run:
                line.append(Segment("".join(run), styles[run_role]))
            yield line

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        newline = Segment.line()
        for line in self.lines():
            yield from line
            yield newline
