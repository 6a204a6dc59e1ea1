"""A Static that asks Textual for a layout only when new content changes its size.

`Static.update` lays out the whole screen, and a layout repaints every widget on it; when the new
content is as tall as the old (a new image's numbers, the next layer's title), repainting the widget
alone shows the same thing for a fraction of the work (benchmarks/README.md, "Predict tab").
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.visual import VisualType
from textual.widgets import Static

_UNSET = object()


class SteadyStatic(Static):
    """`show(content, shape)`: update, and lay out again only if the widget's size depends on the content and changed.

    A fixed height in CSS (`height: 4`) never needs a layout. An auto height needs one when the new
    content's height at the current width differs from the height it has now; the caller may pass
    a `shape` (e.g. a line count) that stands for that height: the same shape at the same width as
    last time skips the measuring, which renders the content once more.
    """

    _shape: object = _UNSET

    def show(self, content: VisualType, shape: Hashable | None = None) -> None:
        styles = self.styles
        # The size at the last layout (`content_size` would ask the compositor, which may rebuild its map).
        width = self.outer_size.width - styles.gutter.width
        height = self.outer_size.height - styles.gutter.height
        self.update(content, layout=False)
        known = shape is not None and self._shape == (shape, width)
        self._shape = (shape, width)
        if width <= 0 or (styles.width is not None and styles.width.is_auto):
            self.refresh(layout=True)  # not laid out yet, or as wide as its content
        elif known or not (styles.height is None or styles.height.is_auto):
            return
        elif self.get_content_height(self.container_size, self.app.size, width) != height:
            self.refresh(layout=True)
