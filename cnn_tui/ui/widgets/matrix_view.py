"""The step tabs' matrices as a Line API widget: lines of pre-styled Segments become Strips directly.

Drawing a step through a Static would send every cell through Rich's console and Textual's visual
pipeline; here each line is already a list of Segments (see cnn_tui/render/blocks.py), so a step
costs one Strip per line and a repaint. The widget sizes itself to its content; a layout happens
only when that size changes (a new input, kernel or setting), not on every step.
"""

from __future__ import annotations

from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from cnn_tui.render.blocks import Row


class MatrixView(Widget):
    """Shows a Row of blocks (input channels, kernel slices, output channels) line by line."""

    DEFAULT_CSS = """
    MatrixView {
        width: auto;
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._strips: list[Strip] = []
        self._styled: dict[int, Strip] = {}
        self._styled_base: Style | None = None
        self._content_size = (0, 0)

    def show(self, row: Row) -> None:
        """Draw `row`; lays out again only when its size differs from the last one."""
        width = row.width
        self._strips = [Strip(line, width) for line in row.padded_lines()]
        self._styled = {}
        size = (width, len(self._strips))
        if size != self._content_size:
            self._content_size = size
            self.styles.width = width
            self.styles.height = len(self._strips)
        else:
            self.refresh()

    def render_line(self, y: int) -> Strip:
        if y >= len(self._strips):
            return Strip.blank(self.size.width)
        # The widget's own style (the app's background) under cells that set no background; looked
        # up when drawn, as the style is only final once the CSS has been applied.
        base = self.rich_style
        if self._styled_base != base:
            self._styled, self._styled_base = {}, base
        strip = self._styled.get(y)
        if strip is None:
            strip = self._styled[y] = self._strips[y].apply_style(base)
        return strip

    def text(self) -> str:
        """The plain text on show (for tests and tools)."""
        return "\n".join("".join(segment.text for segment in strip) for strip in self._strips)

