"""Viewport geometry: fit, zoom levels, panning, and cell ↔ pixel mapping."""

from __future__ import annotations

import pytest
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cnn_tui.core.viewport import ALL_ZOOMS, Viewport, Zoom, fit_zoom


def test_fit_picks_the_largest_zoom_that_shows_everything():
    assert fit_zoom(640, 640, 160, 45) == Zoom(down=8)  # 80×80 half-blocks: 80 columns, 40 rows
    assert fit_zoom(640, 640, 68, 32) == Zoom(down=12)
    assert fit_zoom(1, 1, 68, 32) == Zoom(up=6)  # one pixel becomes a value block
    assert fit_zoom(32, 32, 68, 32) == Zoom(up=2)
    assert fit_zoom(10000, 10000, 160, 45) == Zoom(down=128)


def test_zoom_levels_run_from_fit_to_value_blocks():
    view = Viewport(640, 640, 160, 45).fitted()
    levels = view.levels()
    assert levels[0] == Zoom(down=8) and levels[-1] == Zoom(up=6)
    assert [z.scale for z in levels] == sorted(z.scale for z in levels)
    assert all(z in ALL_ZOOMS for z in levels)
    assert view.zoomed(-3, (0, 0)).zoom == Zoom(down=8)  # never smaller than fit
    assert view.zoomed(100, (320, 320)).zoom == Zoom(up=6)
    assert view.zoomed(1, (320, 320)).zoom == Zoom(down=6)


def test_zoom_keeps_the_centre_pixel_visible_and_central():
    view = Viewport(640, 640, 160, 45).fitted().zoomed(5, (300, 200))
    assert view.zoom == Zoom(up=1)
    assert view.contains(300, 200)
    rows, cols = view.visible
    assert abs(view.top + rows // 2 - 300) <= 1 and abs(view.left + cols // 2 - 200) <= 1


def test_panning_stops_at_the_edges():
    view = Viewport(640, 640, 160, 45, Zoom(up=1))
    assert view.panned(-50, -50).top == 0
    far = view.panned(10_000, 10_000)
    assert far.top == 640 - 90 and far.left == 640 - 160
    small = Viewport(10, 10, 160, 45, Zoom(up=1)).panned(5, 5)
    assert (small.top, small.left) == (0, 0)


def test_downsampled_origin_is_block_aligned():
    view = Viewport(640, 640, 20, 10, Zoom(down=4)).panned(7, 13)
    assert view.top % 4 == 0 and view.left % 4 == 0


def test_following_moves_as_little_as_needed():
    view = Viewport(640, 640, 160, 45, Zoom(up=1))
    moved = view.following(100, 170)
    assert moved.contains(100, 170)
    assert (moved.top, moved.left) == (11, 11)
    assert moved.following(100, 170) == moved


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(ALL_ZOOMS[-10:]),
    st.integers(0, 639),
    st.integers(0, 639),
)
def test_cell_of_and_pixel_at_agree(zoom, row, col):
    view = Viewport(640, 640, 90, 30, zoom).centred(row, col)
    cell = view.cell_of(row, col)
    assert cell is not None
    x, y, half = cell
    back = view.pixel_at(x, y)
    assert back is not None
    if zoom.value_blocks or zoom.up >= 2:
        assert back == (row, col)
    else:  # a half-block: the cell's upper half shows a block starting at back
        block = zoom.down
        assert back[1] <= col < back[1] + block
        assert back[0] <= row < back[0] + 2 * block
        assert half == ((row - view.top) // block) % 2


def test_pixel_at_outside_the_image_is_none():
    view = Viewport(10, 10, 160, 45, Zoom(up=1))
    assert view.pixel_at(50, 2) is None and view.pixel_at(0, 0) == (0, 0)
    assert view.cell_of(20, 20) is None


def test_crop_shapes():
    pixels = np.zeros((640, 640, 3), dtype=np.uint8)
    half_blocks = Viewport(640, 640, 160, 45, Zoom(up=2)).crop(pixels)
    assert half_blocks.shape == (90, 160, 3)
    one = Viewport(640, 640, 160, 45, Zoom(up=1)).crop(pixels)
    assert one.shape == (90, 160, 3)
    blocks = Viewport(640, 640, 160, 45, Zoom(up=4)).crop(pixels)
    assert blocks.shape == (23, 40, 3)
    level = pixels[::8, ::8]
    assert Viewport(640, 640, 160, 45, Zoom(down=8)).crop(level).shape == (80, 80, 3)


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from(ALL_ZOOMS[-12:]),
    st.integers(0, 639),
    st.integers(0, 479),
    st.integers(0, 639),
    st.integers(0, 479),
)
@pytest.mark.slow
def test_following_always_shows_the_pixel(zoom, top, left, row, col):
    view = Viewport(640, 480, 50, 20, zoom, top, left).clamped()
    moved = view.following(row, col)
    assert moved.contains(row, col)
    assert moved.cell_of(row, col) is not None
