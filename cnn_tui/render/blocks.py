"""A fast layout of fixed-size blocks: lines of Segments stacked into columns, columns side by side.

Rich's Table measures every cell on every render; the step views redraw many small matrices
per step, so they lay them out here instead, where each piece already knows its width.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style

from cnn_tui.render.matrix import MatrixGrid

Line = list[Segment]


class Block:
    """Lines of Segments with a width; built from labels and matrices, stacked top to bottom."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.widths: list[int] = []  # the cell length of each line
        self.width = 0

    def text(self, text: str, style: Style | None = None) -> Block:
        """Add one line of text."""
        width = cell_len(text)
        self.lines.append([Segment(text, style)])
        self.widths.append(width)
        self.width = max(self.width, width)
        return self

    def matrix(self, grid: MatrixGrid) -> Block:
        """Add a matrix, one line per row."""
        lines = list(grid.lines())
        self.lines.extend(lines)
        self.widths.extend([grid.width] * len(lines))
        self.width = max(self.width, grid.width)
        return self

    def block(self, other: Block) -> Block:
        """Add another block's lines below."""
        self.lines.extend(other.lines)
        self.widths.extend(other.widths)
        self.width = max(self.width, other.width)
        return self

    @property
    def height(self) -> int:
        return len(self.lines)


class Row:
    """Blocks side by side, `gap` cells apart, each padded to its width; a Rich renderable."""

    def __init__(self, blocks: Iterable[Block], gap: int = 2) -> None:
        self.blocks = [b for b in blocks if b.lines]
        self.gap = gap

    @property
    def width(self) -> int:
        return sum(b.width for b in self.blocks) + self.gap * max(0, len(self.blocks) - 1)

    def as_block(self) -> Block:
        """The row as one block (to stack rows or nest them in columns)."""
        block = Block()
        block.lines = list(self._lines(pad_last=True))
        block.widths = [self.width] * len(block.lines)
        block.width = self.width
        return block

    def _lines(self, pad_last: bool = False) -> Iterable[Line]:
        height = max((b.height for b in self.blocks), default=0)
        gap = Segment(" " * self.gap)
        last = len(self.blocks) - 1
        for index in range(height):
            line: Line = []
            for number, block in enumerate(self.blocks):
                if number:
                    line.append(gap)
                if index < block.height:
                    line.extend(block.lines[index])
                    used = block.widths[index]
                else:
                    used = 0
                if used < block.width and (pad_last or number < last):
                    line.append(Segment(" " * (block.width - used)))
            yield line

    def padded_lines(self) -> list[Line]:
        """Every line exactly `width` cells wide (for Strips of a known length)."""
        return list(self._lines(pad_last=True))

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.width, self.width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        newline = Segment.line()
        for line in self._lines():
            yield from line
            yield newline
