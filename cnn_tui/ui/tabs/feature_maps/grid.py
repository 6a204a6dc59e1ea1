"""The Feature maps tab's picture area: the input image and every output channel, fitted to the space.

The widget keeps the float maps and their colour scales; it chooses the grid (column count
and box size) from its own size, shrinks the maps by averaging values, colours them and
draws them with half blocks. A resize only redoes that, never the convolution.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from math import ceil

import numpy as np
from rich.console import Group, RenderableType
from rich.text import Text
from textual.widget import Widget

from cnn_tui.core.colormap import ColourScale
from cnn_tui.core.feature_display import display_maps, fit_factor, grid_layout, shrink_image
from cnn_tui.render.image_grid import ImageGrid, Panel


def _enlarge(picture: np.ndarray, box_h: int, box_w: int) -> np.ndarray:
    """A small picture repeated by the largest whole factor that still fits the box (32×32 maps)."""
    zoom = max(1, min(box_h // picture.shape[0], box_w // picture.shape[1]))
    return picture if zoom == 1 else np.repeat(np.repeat(picture, zoom, axis=0), zoom, axis=1)


def _fit(image: np.ndarray, box_h: int, box_w: int) -> np.ndarray:
    """An RGB image shrunk (block average) or enlarged (repeated pixels) to fit the box."""
    factor = fit_factor(image.shape[0], image.shape[1], box_h, box_w)
    return shrink_image(image, factor) if factor > 1 else _enlarge(image, box_h, box_w)


class FeatureGrid(Widget):
    """Draws the image, then the maps, each under its title; the selected map's title is highlighted.

    `caption(factor, zoom)` (optional) gives a line shown above the pictures, saying how many values
    one drawn pixel stands for (factor), or how many drawn pixels one value takes (zoom)."""

    def __init__(
        self,
        *,
        caption: Callable[[int, int], str] | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._caption = caption
        self._shrink = "mean"
        self.factor = 1  # values per drawn pixel, along each axis (shrinking)
        self.zoom = 1  # drawn pixels per value, along each axis (enlarging small maps)
        self._image: np.ndarray | None = None
        self._image_title = ""
        self._maps: list[np.ndarray] = []
        self._titles: list[str] = []
        self._scales: list[ColourScale] = []
        self._selected: int | None = None
        self._drawn: RenderableType = Text("")
        self._layout_size: tuple[int, int] | None = None

    def set_content(
        self,
        image: np.ndarray,
        image_title: str,
        maps: Sequence[np.ndarray],
        titles: Sequence[str],
        scales: Sequence[ColourScale],
        selected: int | None = None,
        shrink: str = "mean",
    ) -> None:
        """Show `image` and `maps` (each H×W float, coloured on its scale, blocks shrunk by `shrink`)."""
        if not (len(maps) == len(titles) == len(scales)):
            raise ValueError(f"{len(maps)} maps, {len(titles)} titles and {len(scales)} scales")
        self._image, self._image_title = image, image_title
        self._maps, self._titles, self._scales = list(maps), list(titles), list(scales)
        self._selected = selected
        self._shrink = shrink
        self._rebuild()

    def clear(self) -> None:
        """Show nothing."""
        self._image, self._maps, self._titles, self._scales = None, [], [], []
        self._rebuild()

    @property
    def panel_count(self) -> int:
        return len(self._maps) + (self._image is not None)

    def _rebuild(self) -> None:
        self._draw()
        self.refresh()

    def _draw(self) -> None:
        """Lay the panels out for the widget's size now; remembers the size it drew for."""
        width, height = self.size.width, self.size.height
        if self._image is None or width < 1 or height < 1:
            self._drawn = Text("")
            self._layout_size = None  # nothing drawn for any size: the next resize or render draws again
            return
        first = self._maps[0] if self._maps else self._image[:, :, 0]
        caption_rows = 1 if self._caption is not None and self._maps else 0
        layout = grid_layout(self.panel_count, width, height - caption_rows, first.shape[0], first.shape[1])
        box_w, box_h = layout.box_width, layout.box_height
        image = self._image
        panels = [Panel(self._image_title, _fit(image, box_h, box_w))]
        if self._maps:
            self.factor = fit_factor(first.shape[0], first.shape[1], box_h, box_w)
            pictures = display_maps(self._maps, self._scales, self.factor, self._shrink)
            pictures = [_enlarge(picture, box_h, box_w) for picture in pictures]
            self.zoom = pictures[0].shape[0] // max(1, ceil(first.shape[0] / self.factor))
            panels += [Panel(title, picture) for title, picture in zip(self._titles, pictures)]
        selected = None if self._selected is None else self._selected + 1
        grid = ImageGrid(panels, layout.columns, box_w, selected=selected)
        if caption_rows and self._caption is not None:
            line = Text(self._caption(self.factor, self.zoom), style="dim", no_wrap=True, overflow="ellipsis")
            self._drawn = Group(line, grid)
        else:
            self._drawn = grid
        self._layout_size = (width, height)

    def on_resize(self) -> None:
        if self._layout_size != (self.size.width, self.size.height):
            self._rebuild()

    def render(self) -> RenderableType:
        # Content set while the widget had no size (covered by the loading spinner, not yet laid out) is drawn
        # here, once it has one: a resize event need not follow.
        if self._image is not None and self._layout_size != (self.size.width, self.size.height):
            self._draw()
        return self._drawn
