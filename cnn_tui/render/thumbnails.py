"""A grid of small images drawn with half blocks, each with caption lines under it; one may be selected.

The selected image gets a bar in the accent colour on both sides and reverse-video captions, so
the selection is visible without colour. Thumbnails of one grid share one size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from cnn_tui.render.halfblock import halfblock_lines

SELECTED = Style(color="bright_yellow", bold=True)
RIGHT = Style(color="green")  # a caption or bar for a right prediction
WRONG = Style(color="red", bold=True)  # and for a wrong one


@dataclass(frozen=True)
class Thumb:
    """One image (H×W×3 uint8) and the Text lines under it."""

    pixels: np.ndarray
    captions: tuple[Text, ...]


class ThumbnailGrid:
    """Thumbnails in rows of `columns`; `selected` is an index into `thumbs` or None."""

    def __init__(self, thumbs: Sequence[Thumb], columns: int, selected: int | None = None) -> None:
        if columns < 1:
            raise ValueError("a grid needs at least one column")
        self.thumbs = tuple(thumbs)
        self.columns = columns
        self.selected = selected
        shapes = {t.pixels.shape for t in self.thumbs}
        if len(shapes) > 1:
            raise ValueError(f"thumbnails of one grid must share a size, got {sorted(shapes)}")
        self.image_width = int(self.thumbs[0].pixels.shape[1]) if self.thumbs else 0
        self.cell_width = self.image_width + 2

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        width = self.cell_width * min(self.columns, max(1, len(self.thumbs)))
        return Measurement(width, width)

    def _cell_lines(self, index: int, console: Console) -> list[list[Segment]]:
        thumb = self.thumbs[index]
        chosen = index == self.selected
        side = Segment("▌" if chosen else " ", SELECTED if chosen else None)
        right = Segment("▐" if chosen else " ", SELECTED if chosen else None)
        lines = [[side, *line, right] for line in halfblock_lines(thumb.pixels)]
        for caption in thumb.captions:
            text = caption.copy()
            text.truncate(self.image_width, pad=True)
            if chosen:
                text.stylize("reverse")
            lines.append([side, *text.render(console), right])
        return lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        blank = Segment(" " * self.cell_width)
        for start in range(0, len(self.thumbs), self.columns):
            cells = [self._cell_lines(i, console) for i in range(start, min(start + self.columns, len(self.thumbs)))]
            height = max(len(c) for c in cells)
            for row in range(height):
                for cell in cells:
                    yield from (cell[row] if row < len(cell) else [blank])
                yield Segment.line()
