"""The image itself, drawn with half blocks (or value blocks when zoomed in), with a pixel cursor.

A Line API widget: every line of the current view is built once (NumPy → Segments → Strip) and
kept; moving the cursor rebuilds and repaints only the lines it leaves and enters. Panning,
zooming, a new channel mode or a new size rebuild the lines once. State changes are posted up
as `CursorMoved` and `ViewChanged`; the tab turns them into the readout.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from rich.segment import Segment
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from cnn_tui.core.channels import channel_colour, channel_values, channel_view
from cnn_tui.core.downsample import Pyramid
from cnn_tui.core.images import LoadedImage
from cnn_tui.core.viewport import Viewport, Zoom
from cnn_tui.render.cell_styles import mark_colour
from cnn_tui.render.halfblock import halfblock_pairs, segments_for_pairs
from cnn_tui.render.value_blocks import value_block_lines

PANEL_GAP = 2  # blank columns between the side-by-side channels


@dataclass
class _Panel:
    """What one panel draws: colours (half-block pixels, or whole pixels for value blocks) and labels."""

    colours: np.ndarray
    labels: list[np.ndarray]
    upper: np.ndarray | None = None  # packed half-block rows, kept to redraw the cursor's line
    lower: np.ndarray | None = None


class PixelView(Widget, can_focus=True):
    """Shows a LoadedImage in a channel mode at a zoom, with a cursor on one pixel."""

    @dataclass
    class CursorMoved(Message):
        """The cursor is on a new pixel."""

        row: int
        col: int

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, PixelView.CursorMoved)

    @dataclass
    class ViewChanged(Message):
        """Zoom or channel mode changed (also after a resize changed the fit)."""

        zoom: Zoom
        mode: str

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, PixelView.ViewChanged)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.image: LoadedImage | None = None
        self.pyramid: Pyramid | None = None
        self.mode = "rgb"
        self.cursor = (0, 0)
        self.viewport: Viewport | None = None
        self._fitted = True  # follow the window size until the user zooms
        self._lines: list[Strip] | None = None
        self._panels: list[_Panel] = []
        self._cursor_lines: dict[int, Strip] | None = None

    # -- public API ---------------------------------------------------------------------

    def show_image(self, image: LoadedImage, pyramid: Pyramid | None = None) -> None:
        """Show `image` fitted to the view, the cursor on its centre pixel."""
        self.image = image
        self.pyramid = pyramid or Pyramid(image.pixels)
        self.viewport = None
        self._fitted = True
        self.cursor = (image.height // 2, image.width // 2)
        self._layout_viewport()
        self._rebuild(post_view=True)
        self.post_message(self.CursorMoved(*self.cursor))

    def set_mode(self, mode: str) -> None:
        if mode == self.mode:
            return
        self.mode = mode
        if self._needs_layout():
            self._layout_viewport(refit=self._fitted)
        self._rebuild(post_view=True)

    def zoom_by(self, steps: int) -> None:
        if self.viewport is None:
            return
        self.viewport = self.viewport.zoomed(steps, self.cursor)
        self._fitted = self.viewport.zoom == self.viewport.fitted().zoom
        self._snap_cursor()
        self._rebuild(post_view=True)

    def fit(self) -> None:
        if self.viewport is None:
            return
        self.viewport = self.viewport.fitted()
        self._fitted = True
        self._snap_cursor()
        self._rebuild(post_view=True)

    def move_cursor(self, d_rows: int, d_cols: int) -> None:
        """Move by one displayed unit: a downsampled block's width, or one pixel when zoomed in."""
        if self.viewport is None:
            return
        step = self.viewport.zoom.step
        self.set_cursor(self.cursor[0] + d_rows * step, self.cursor[1] + d_cols * step)

    def set_cursor(self, row: int, col: int) -> None:
        """Put the cursor on pixel (row, col) (clamped), scrolling the view to it if needed."""
        if self.viewport is None:
            return
        new = self.viewport.clamp(row, col)
        if new == self.cursor:
            return
        old_rows = self._cursor_rows()
        self.cursor = new
        followed = self.viewport.following(*new)
        if followed != self.viewport:
            self.viewport = followed
            self._rebuild()
        else:
            self._cursor_lines = None
            for y in old_rows | self._cursor_rows():
                self.refresh(Region(0, y, self.size.width, 1))
        self.post_message(self.CursorMoved(*new))

    def pan(self, d_rows: int, d_cols: int) -> None:
        """Move the window by a quarter of what it shows; the cursor keeps its place on screen."""
        if self.viewport is None:
            return
        vis_rows, vis_cols = self.viewport.visible
        moved = self.viewport.panned(d_rows * max(vis_rows // 4, 1), d_cols * max(vis_cols // 4, 1))
        shift = (moved.top - self.viewport.top, moved.left - self.viewport.left)
        if shift == (0, 0):
            return
        self.viewport = moved
        self.cursor = moved.clamp(self.cursor[0] + shift[0], self.cursor[1] + shift[1])
        self._rebuild()
        self.post_message(self.CursorMoved(*self.cursor))

    def panel_size(self) -> tuple[int, int]:
        """(columns, rows) of cells one panel has now (the three channels share the width)."""
        return (self._panel_cols(self.size.width), self.size.height)

    @property
    def panel_count(self) -> int:
        return 3 if self.mode == "split" else 1

    # -- geometry ---------------------------------------------------------------------------

    def _panel_cols(self, width: int) -> int:
        count = self.panel_count
        return max((width - PANEL_GAP * (count - 1)) // count, 1)

    def _layout_viewport(self, refit: bool = True) -> None:
        """Fit (or keep the zoom of) the viewport to the current size; tell the tab if the view or
        the cursor changed."""
        if self.image is None or self.size.width < 1 or self.size.height < 1:
            return
        before = (self.viewport.zoom if self.viewport else None, self.cursor)
        cols, rows = self._panel_cols(self.size.width), self.size.height
        if refit or self.viewport is None:
            self.viewport = Viewport(self.image.height, self.image.width, cols, rows).fitted()
        else:
            self.viewport = replace(self.viewport, cols=cols, rows=rows)
        self._snap_cursor()
        if before[0] != self.viewport.zoom:
            self.post_message(self.ViewChanged(self.viewport.zoom, self.mode))
        if before[1] != self.cursor:
            self.post_message(self.CursorMoved(*self.cursor))

    def _needs_layout(self) -> bool:
        if self.image is None:
            return False
        if self.viewport is None:
            return True
        return (self.viewport.cols, self.viewport.rows) != (self._panel_cols(self.size.width), self.size.height)

    def _snap_cursor(self) -> None:
        """Keep the cursor inside the image and the window on the cursor."""
        if self.viewport is not None:
            self.cursor = self.viewport.clamp(*self.cursor)
            self.viewport = self.viewport.following(*self.cursor)

    def on_resize(self, event: events.Resize) -> None:
        if self._needs_layout():
            self._layout_viewport(refit=self._fitted)
            self._rebuild()

    def on_click(self, event: events.Click) -> None:
        self.focus()
        if self.viewport is None:
            return
        cols = self.viewport.cols
        panel, x = divmod(event.x, cols + PANEL_GAP)
        if panel >= self.panel_count or x >= cols:
            return
        pixel = self.viewport.pixel_at(x, event.y)
        if pixel is not None:
            self.set_cursor(*pixel)

    # -- drawing ------------------------------------------------------------------------------

    def _rebuild(self, post_view: bool = False) -> None:
        self._lines = None
        self._cursor_lines = None
        self.refresh()
        if post_view and self.viewport is not None:
            self.post_message(self.ViewChanged(self.viewport.zoom, self.mode))

    def _build_panels(self) -> list[_Panel]:
        assert self.viewport is not None and self.pyramid is not None
        zoom = self.viewport.zoom
        crop = self.viewport.crop(self.pyramid.level(zoom.down))
        if self.mode == "split":
            specs = [(channel_colour(crop[:, :, c], c), [crop[:, :, c]]) for c in range(3)]
        elif self.mode == "rgb":
            specs = [(crop, [crop[:, :, 0], crop[:, :, 1], crop[:, :, 2]])]
        else:
            specs = [(channel_view(crop, self.mode), [channel_values(crop, self.mode)])]
        panels = [_Panel(colours=np.ascontiguousarray(c), labels=labels) for c, labels in specs]
        if not zoom.value_blocks:
            for panel in panels:
                panel.upper, panel.lower = halfblock_pairs(panel.colours)
        return panels

    def _panel_lines(self, panel: _Panel) -> list[list[Segment]]:
        assert self.viewport is not None
        vp = self.viewport
        if vp.zoom.value_blocks:
            return value_block_lines(panel.colours, panel.labels, vp.zoom.block, vp.cols, vp.rows)
        assert panel.upper is not None and panel.lower is not None
        return [segments_for_pairs(panel.upper[y], panel.lower[y]) for y in range(panel.upper.shape[0])]

    def _join(self, per_panel: list[list[list[Segment]]], height: int) -> list[Strip]:
        """Lines of each panel side by side, for widget lines 0 … height−1."""
        return [self._join_line([lines[y] if y < len(lines) else [] for lines in per_panel]) for y in range(height)]

    def _join_line(self, panel_lines: list[list[Segment]]) -> Strip:
        """One widget line: each panel's segments padded to the panel width, gaps between, then
        padded or cropped to the widget's width. Cell lengths are counted, never measured."""
        assert self.viewport is not None
        cols, width = self.viewport.cols, self.size.width
        segments: list[Segment] = []
        used = 0
        for index, line in enumerate(panel_lines):
            if index:
                segments.append(Segment(" " * PANEL_GAP))
                used += PANEL_GAP
            segments.extend(line)
            length = sum(len(s.text) for s in line)  # one cell per character: ▀, spaces, digits, ━
            used += length
            if length < cols and index < len(panel_lines) - 1:
                segments.append(Segment(" " * (cols - length)))
                used += cols - length
        if used < width:
            segments.append(Segment(" " * (width - used)))
            return Strip(segments, width)
        return Strip(segments, used).crop(0, width) if used > width else Strip(segments, width)

    def _ensure_lines(self) -> None:
        if self._lines is not None or self.viewport is None:
            return
        self._panels = self._build_panels()
        self._lines = self._join([self._panel_lines(p) for p in self._panels], self.size.height)

    def _cursor_rows(self) -> set[int]:
        """Widget lines the cursor is drawn on."""
        if self.viewport is None:
            return set()
        cell = self.viewport.cell_of(*self.cursor)
        if cell is None:
            return set()
        x, y, half = cell
        height = self.viewport.zoom.block[1] if self.viewport.zoom.value_blocks else 1
        return {row for row in range(y, y + height) if row < self.size.height}

    def _build_cursor_lines(self) -> dict[int, Strip]:
        """The lines the cursor is on, drawn with its mark (the other lines stay as built)."""
        assert self.viewport is not None
        vp = self.viewport
        cell = vp.cell_of(*self.cursor)
        if cell is None:
            return {}
        x, y, half = cell
        if vp.zoom.value_blocks:  # redraw the cursor's row of blocks with its block marked
            block_h = vp.zoom.block[1]
            row, col = self.cursor[0] - vp.top, self.cursor[1] - vp.left
            per_panel = [
                value_block_lines(
                    panel.colours[row : row + 1],
                    [label[row : row + 1] for label in panel.labels],
                    vp.zoom.block,
                    vp.cols,
                    block_h,
                    highlight=(0, col),
                )
                for panel in self._panels
            ]
            strips = self._join(per_panel, block_h)
            return {y + i: strip for i, strip in enumerate(strips) if y + i < self.size.height}
        up = vp.zoom.up
        per_panel: list[list[Segment]] = []
        for panel in self._panels:
            assert panel.upper is not None and panel.lower is not None
            upper, lower = panel.upper[y].copy(), panel.lower[y].copy()
            rows = (upper, lower)
            shown = int(rows[half][x])
            mark = mark_colour(shown)
            for h in range(half, min(half + up, 2)):
                rows[h][x : x + up] = mark
            per_panel.append(segments_for_pairs(upper, lower))
        return {y: self._join_line(per_panel)}

    def render_line(self, y: int) -> Strip:
        if self.image is None:
            return Strip.blank(self.size.width)
        if self._needs_layout():
            self._layout_viewport(refit=self._fitted)
            self._lines = self._cursor_lines = None
        self._ensure_lines()
        if self._cursor_lines is None:
            self._cursor_lines = self._build_cursor_lines()
        if y in self._cursor_lines:
            return self._cursor_lines[y]
        assert self._lines is not None
        return self._lines[y] if y < len(self._lines) else Strip.blank(self.size.width)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return container.height

