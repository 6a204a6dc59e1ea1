"""The values around the pixel cursor as matrices side by side, each cell coloured by its value.

One matrix per channel: a value v of channel R is drawn on (v, 0, 0), of G on (0, v, 0), of B on
(0, 0, v), and a grey level on (v, v, v), the way the lecture's RGB figure colours the channels.
Cells outside the image (the cursor near an edge) show `·`. The centre cell is the cursor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style

from cnn_tui.render.cell_styles import SHARED_STYLES, StyleCache, contrast_text

OUTSIDE_STYLE = Style(dim=True)
TITLE_STYLE = Style(bold=True)


@dataclass(frozen=True)
class ChannelMatrix:
    """A square of values (-1 = outside the image) and the channel that colours it (None = grey)."""

    title: str
    values: np.ndarray
    channel: int | None


def value_colour(value: int, channel: int | None) -> tuple[int, int, int]:
    """The colour a value is drawn on: its channel's colour at that intensity, or grey."""
    if channel is None:
        return (value, value, value)
    rgb = [0, 0, 0]
    rgb[channel] = value
    return (rgb[0], rgb[1], rgb[2])


class PixelMatrices:
    """Matrices side by side with a title above each; `cell_width` columns per value."""

    def __init__(
        self,
        matrices: Sequence[ChannelMatrix],
        cell_width: int = 4,
        gap: int = 2,
        styles: StyleCache = SHARED_STYLES,
    ) -> None:
        self.matrices = list(matrices)
        self.cell_width = cell_width
        self.gap = gap
        self.styles = styles

    @property
    def width(self) -> int:
        sizes = [m.values.shape[1] * self.cell_width for m in self.matrices]
        return sum(sizes) + self.gap * max(len(sizes) - 1, 0)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.width, self.width)

    def _cell(self, value: int, channel: int | None, centre: bool) -> Segment:
        w = self.cell_width
        if value < 0:
            return Segment("·".rjust(w - 1).ljust(w), OUTSIDE_STYLE)
        bg = value_colour(value, channel)
        fg = contrast_text(bg)
        packed_bg = (bg[0] << 16) | (bg[1] << 8) | bg[2]
        packed_fg = (fg[0] << 16) | (fg[1] << 8) | fg[2]
        text = str(value).rjust(w - 1) + " "
        if centre:
            return Segment(text, self.styles.style(packed_bg, packed_fg, bold=True))  # reversed: the cursor
        return Segment(text, self.styles.style(packed_fg, packed_bg))

    def lines(self) -> list[list[Segment]]:
        """Title line, then one line per matrix row."""
        gap = Segment(" " * self.gap)
        title_line: list[Segment] = []
        for index, matrix in enumerate(self.matrices):
            width = matrix.values.shape[1] * self.cell_width
            if index:
                title_line.append(gap)
            title_line.append(Segment(matrix.title[:width].ljust(width), TITLE_STYLE))
        lines = [title_line]
        size = max((m.values.shape[0] for m in self.matrices), default=0)
        for y in range(size):
            line: list[Segment] = []
            for index, matrix in enumerate(self.matrices):
                if index:
                    line.append(gap)
                n_rows, n_cols = matrix.values.shape
                if y >= n_rows:
                    line.append(Segment(" " * (n_cols * self.cell_width)))
                    continue
                centre = (n_rows // 2, n_cols // 2)
                for x, value in enumerate(matrix.values[y].tolist()):
                    line.append(self._cell(int(value), matrix.channel, (y, x) == centre))
            lines.append(line)
        return lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        new_line = Segment.line()
        for line in self.lines():
            yield from line
            yield new_line
