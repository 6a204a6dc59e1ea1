"""A small image in half blocks drawn with Textual's Line API: one Strip per pair of pixel rows, made once per image.

Used by the Predict tab for its 32×32 pictures: a new picture replaces the Strips and repaints the
widget without a layout pass (its size is the picture's, W cells × ⌈H/2⌉ lines, set in app.tcss).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from textual.filter import ANSIToTruecolor, LineFilter
from textual.strip import Strip
from textual.widget import Widget

from cnn_tui.render.halfblock import halfblock_lines


class BlockImage(Widget):
    """An H×W×3 uint8 picture, one pixel per half cell; blank until `show` is called."""

    DEFAULT_CSS = """
    BlockImage {
        width: 32;
        height: 16;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id, classes=classes)
        self._strips: list[Strip] = []

    def show(self, pixels: np.ndarray | None) -> None:
        """Draw `pixels` (None: nothing)."""
        self._strips = [] if pixels is None else [Strip(line) for line in halfblock_lines(pixels)]
        self.refresh()

    def get_line_filters(self) -> Sequence[LineFilter]:
        """The app's filters, less ANSI-to-truecolour when there is nothing to convert: every cell is a pair
        of truecolour pixels, and the widget's own style is truecolour too. Converting a new picture's ~1,500
        fresh styles (its cache holds 1,024) took over half of the repaint of three pictures."""
        filters = self.app.get_line_filters()
        style = self.rich_style
        if style.dim or any(colour is not None and colour.triplet is None for colour in (style.color, style.bgcolor)):
            return filters
        return [line_filter for line_filter in filters if not isinstance(line_filter, ANSIToTruecolor)]

    def render_line(self, y: int) -> Strip:
        if 0 <= y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width, self.rich_style)
