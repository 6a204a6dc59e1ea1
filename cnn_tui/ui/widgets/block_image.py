"""A small image in half blocks drawn with Textual's Line API: one Strip per pair of pixel rows, made once per image.

Used by the Predict tab for its 32×32 pictures: a new picture replaces the Strips and repaints the
widget without a layout pass (its size is the picture's, W cells × ⌈H/2⌉ lines, set in app.tcss).
"""

from __future__ import annotations

import numpy as np
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

    def render_line(self, y: int) -> Strip:
        if 0 <= y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width, self.rich_style)
