"""A Static that asks Textual for a layout only when new content changes its height.

`Static.update` lays out the whole screen, and a layout repaints every widget on it; when the new
text is as tall as the old (a new image's numbers, the next layer's title), repainting the widget
alone shows the same thing for a third of the work (benchmarks/README.md, "Predict tab").
"""

from __future__ import annotations

from textual.visual import VisualType
from textual.widgets import Static


class SteadyStatic(Static):
    """`show(content)`: update, and lay out again only if the widget's size depends on the content and changed.

    A fixed height in CSS (`height: 4`) never needs a layout; an auto height needs one when the new
    content's height at the current width differs from the height it has now."""

    def show(self, content: VisualType) -> None:
        styles = self.styles
        # The size at the last layout (`content_size` would ask the compositor, which may rebuild its map).
        width = self.outer_size.width - styles.gutter.width
        height = self.outer_size.height - styles.gutter.height
        self.update(content, layout=False)
        if width <= 0 or (styles.width is not None and styles.width.is_auto):
            self.refresh(layout=True)  # not laid out yet, or as wide as its content
        elif styles.height is None or styles.height.is_auto:
            if self.get_content_height(self.container_size, self.app.size, width) != height:
                self.refresh(layout=True)
