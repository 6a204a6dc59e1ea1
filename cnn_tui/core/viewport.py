"""Where an image sits in a grid of terminal cells: zoom levels, fit, pan, and cell ↔ pixel mapping.

A cell is one column wide and two "half-rows" tall (the half-block `▀` draws two pixels in it).
At `Zoom(down=f)` each half-block is the average of an f×f block, so one cell covers f×2f pixels;
at `Zoom(up=s)` each pixel is s columns by s half-rows. From `up=4` on, a pixel is a block of
whole cells (s columns × s/2 rows), big enough to print its value inside.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

DOWN_FACTORS: tuple[int, ...] = (2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024)
UP_FACTORS: tuple[int, ...] = (1, 2, 4, 6)
VALUE_BLOCK_MIN_UP = 4  # from here on a pixel is a block of cells with its value printed


@dataclass(frozen=True)
class Zoom:
    """How many image pixels per half-block (`down`), or half-blocks per image pixel (`up`)."""

    down: int = 1
    up: int = 1

    @property
    def scale(self) -> float:
        """Half-blocks per image pixel: 1/down or up. Bigger is more zoomed in."""
        return self.up / self.down

    @property
    def value_blocks(self) -> bool:
        """True when each pixel is a block of whole cells, large enough to print its value."""
        return self.up >= VALUE_BLOCK_MIN_UP

    @property
    def block(self) -> tuple[int, int]:
        """(columns, rows) of cells per pixel in value-block mode."""
        return (self.up, self.up // 2)

    @property
    def step(self) -> int:
        """Image pixels the cursor moves per key press: one displayed unit."""
        return self.down


ALL_ZOOMS: tuple[Zoom, ...] = tuple(
    sorted([Zoom(down=f) for f in DOWN_FACTORS] + [Zoom(up=s) for s in UP_FACTORS], key=lambda z: z.scale)
)


def fit_zoom(height: int, width: int, cols: int, rows: int) -> Zoom:
    """The largest zoom at which the whole image fits `cols`×`rows` cells."""
    half_rows = 2 * rows
    for zoom in reversed(ALL_ZOOMS):
        if zoom.value_blocks:
            bw, bh = zoom.block
            fits = width * bw <= cols and height * bh <= rows
        else:
            fits = math.ceil(width * zoom.up / zoom.down) <= cols and math.ceil(height * zoom.up / zoom.down) <= half_rows
        if fits:
            return zoom
    return ALL_ZOOMS[0]


@dataclass(frozen=True)
class Viewport:
    """A window of `cols`×`rows` cells onto an image of `height`×`width` pixels."""

    height: int
    width: int
    cols: int
    rows: int
    zoom: Zoom = Zoom()
    top: int = 0
    left: int = 0

    # -- geometry ------------------------------------------------------------------

    @property
    def visible(self) -> tuple[int, int]:
        """(rows, columns) of image pixels the window spans (possibly past the image's edge)."""
        z = self.zoom
        if z.value_blocks:
            bw, bh = z.block
            return (math.ceil(self.rows / bh), math.ceil(self.cols / bw))
        if z.down > 1:
            return (2 * self.rows * z.down, self.cols * z.down)
        return (math.ceil(2 * self.rows / z.up), math.ceil(self.cols / z.up))

    def fitted(self) -> Viewport:
        """This window at the zoom that fits the whole image, from the top left."""
        return replace(self, zoom=fit_zoom(self.height, self.width, self.cols, self.rows), top=0, left=0)

    def levels(self) -> tuple[Zoom, ...]:
        """Zooms available: from fit (never smaller) to the largest value blocks."""
        fit = fit_zoom(self.height, self.width, self.cols, self.rows)
        return tuple(z for z in ALL_ZOOMS if z.scale >= fit.scale)

    def zoomed(self, steps: int, centre: tuple[int, int]) -> Viewport:
        """`steps` levels in (+) or out (−), keeping pixel `centre` (row, col) in the middle."""
        levels = self.levels()
        current = max((i for i, z in enumerate(levels) if z.scale <= self.zoom.scale), default=0)
        index = min(max(current + steps, 0), len(levels) - 1)
        return replace(self, zoom=levels[index]).centred(*centre)

    def centred(self, row: int, col: int) -> Viewport:
        """The window moved so that pixel (row, col) is as near its middle as the edges allow."""
        vis_rows, vis_cols = self.visible
        return replace(self, top=row - vis_rows // 2, left=col - vis_cols // 2).clamped()

    def clamped(self) -> Viewport:
        """Origin kept inside the image; when downsampling, on a block boundary (in whole blocks,
        so the last partial block at the right or bottom edge can still be shown)."""
        step = self.zoom.down
        if step > 1:
            max_top = max(-(-self.height // step) - 2 * self.rows, 0)
            max_left = max(-(-self.width // step) - self.cols, 0)
            top = _clamp(self.top // step, 0, max_top) * step
            left = _clamp(self.left // step, 0, max_left) * step
            return replace(self, top=top, left=left)
        vis_rows, vis_cols = self.visible
        top = _clamp(self.top, 0, max(self.height - vis_rows, 0))
        left = _clamp(self.left, 0, max(self.width - vis_cols, 0))
        return replace(self, top=top, left=left)

    def panned(self, d_rows: int, d_cols: int) -> Viewport:
        """The window moved by (d_rows, d_cols) pixels, within the image."""
        return replace(self, top=self.top + d_rows, left=self.left + d_cols).clamped()

    def following(self, row: int, col: int) -> Viewport:
        """The window moved as little as possible so that pixel (row, col) is inside it."""
        vis_rows, vis_cols = self.visible
        step = self.zoom.down
        top, left = self.top, self.left
        if row < top:
            top = row
        elif row >= top + vis_rows:
            top = -(-(row - vis_rows + 1) // step) * step  # rounded up to a block boundary
        if col < left:
            left = col
        elif col >= left + vis_cols:
            left = -(-(col - vis_cols + 1) // step) * step
        return replace(self, top=top, left=left).clamped()

    def contains(self, row: int, col: int) -> bool:
        """True if pixel (row, col) is in the image and inside the window."""
        if not (0 <= row < self.height and 0 <= col < self.width):
            return False
        vis_rows, vis_cols = self.visible
        return self.top <= row < self.top + vis_rows and self.left <= col < self.left + vis_cols

    # -- cells and pixels ------------------------------------------------------------

    def pixel_at(self, x: int, y: int) -> tuple[int, int] | None:
        """The image pixel under cell (x, y) (its upper half for half-blocks), or None past the image."""
        z = self.zoom
        if z.value_blocks:
            bw, bh = z.block
            row, col = self.top + y // bh, self.left + x // bw
        elif z.down > 1:
            row, col = self.top + 2 * y * z.down, self.left + x * z.down
        else:
            row, col = self.top + (2 * y) // z.up, self.left + x // z.up
        if 0 <= row < self.height and 0 <= col < self.width and 0 <= x < self.cols and 0 <= y < self.rows:
            return (row, col)
        return None

    def cell_of(self, row: int, col: int) -> tuple[int, int, int] | None:
        """(x, y, half) of the cell showing pixel (row, col); half is 0 (upper) or 1 (lower) for
        half-blocks, and -1 in value-block mode (the block starting at that cell). None if not visible."""
        if not self.contains(row, col):
            return None
        z = self.zoom
        if z.value_blocks:
            bw, bh = z.block
            x, y, half = (col - self.left) * bw, (row - self.top) * bh, -1
        else:
            half_row = (row - self.top) * z.up // z.down
            x, y, half = (col - self.left) * z.up // z.down, half_row // 2, half_row % 2
        if x >= self.cols or y >= self.rows:
            return None
        return (x, y, half)

    def clamp(self, row: int, col: int) -> tuple[int, int]:
        """(row, col) moved into the image if it is outside."""
        return (_clamp(row, 0, self.height - 1), _clamp(col, 0, self.width - 1))

    # -- pixels to draw ----------------------------------------------------------------

    def crop(self, level: np.ndarray) -> np.ndarray:
        """From `level` (the image downsampled by zoom.down), the pixels this window shows: half-block
        pixels (2·rows × cols) for half-block zooms, or whole pixels for value blocks."""
        z = self.zoom
        vis_rows, vis_cols = self.visible
        if z.down > 1:
            r0, c0 = self.top // z.down, self.left // z.down
            return level[r0 : r0 + 2 * self.rows, c0 : c0 + self.cols]
        region = level[self.top : self.top + vis_rows, self.left : self.left + vis_cols]
        if z.value_blocks or z.up == 1:
            return region
        return np.repeat(np.repeat(region, z.up, axis=0), z.up, axis=1)[: 2 * self.rows, : self.cols]


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(value, high))
