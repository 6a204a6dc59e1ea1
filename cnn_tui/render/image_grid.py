"""Several small images in a grid, each under its title, drawn with half blocks.

The caller decides the column count and box size (`cnn_tui.core.feature_display.grid_layout`)
and shrinks the pictures to fit; this only places them: titles cut to the box width, images
left-aligned in their box, one blank column between boxes and one blank line between rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style

from cnn_tui.render.cell_styles import SHARED_STYLES, StyleCache
from cnn_tui.render.halfblock import halfblock_lines

TITLE_STYLE = Style(bold=True)
SELECTED_STYLE = Style(bold=True, reverse=True)


@dataclass(frozen=True)
class Panel:
    """One picture (H×W×3 uint8) and the title above it."""

    title: str
    pixels: np.ndarray


class ImageGrid:
    """Panels in rows of `columns`, each `box_width` cells wide; `selected` marks one title."""

    def __init__(
        self,
        panels: Sequence[Panel],
        columns: int,
        box_width: int,
        selected: int | None = None,
        gap: int = 1,
        styles: StyleCache = SHARED_STYLES,
    ) -> None:
        if columns < 1 or box_width < 1:
            raise ValueError(f"need at least one column of width 1, got {columns} × {box_width}")
        self.panels = list(panels)
        self.columns = columns
        self.box_width = box_width
        self.selected = selected
        self.gap = gap
        self.styles = styles

    @property
    def width(self) -> int:
        columns = min(self.columns, max(1, len(self.panels)))
        return columns * self.box_width + (columns - 1) * self.gap

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.width, self.width)

    def _title(self, index: int) -> Segment:
        text = self.panels[index].title
        if cell_len(text) > self.box_width:
            text = set_cell_size(text, self.box_width - 1) + "…"
        style = SELECTED_STYLE if index == self.selected else TITLE_STYLE
        return Segment(set_cell_size(text, self.box_width), style)

    def _image_lines(self, index: int) -> list[list[Segment]]:
        pixels = self.panels[index].pixels[:, : self.box_width]
        lines = halfblock_lines(pixels, self.styles) if pixels.size else []
        pad = self.box_width - pixels.shape[1]
        return [line + [Segment(" " * pad)] if pad else line for line in lines]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        spacer = Segment(" " * self.gap)
        blank = Segment(" " * self.box_width)
        for start in range(0, len(self.panels), self.columns):
            indices = list(range(start, min(start + self.columns, len(self.panels))))
            if start:
                yield Segment.line()
            for position, index in enumerate(indices):
                if position:
                    yield spacer
                yield self._title(index)
            yield Segment.line()
            images = [self._image_lines(index) for index in indices]
            for y in range(max(len(lines) for lines in images)):
                for position, lines in enumerate(images):
                    if position:
                        yield spacer
                    yield from lines[y] if y < len(lines) else [blank]
                yield Segment.line()
