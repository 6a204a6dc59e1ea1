"""Rich renderables of the Feature maps tab, checked with a recording Console (no Textual)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from rich.console import Console

from cnn_tui.core.colormap import make_scales
from cnn_tui.core.feature_display import grid_layout
from cnn_tui.core.kernels import preset_weights
from cnn_tui.render.colour_legend import ColourBar, short_number
from cnn_tui.render.image_grid import ImageGrid, Panel
from cnn_tui.render.kernel_view import KernelView, weight_text


def _render(renderable, width: int = 80) -> str:
    console = Console(width=width, record=True, file=io.StringIO(), color_system="truecolor")
    console.print(renderable)
    return console.export_text()


def test_kernel_view_numbers_and_wrapping():
    text = _render(KernelView(preset_weights("sobel_x"), ["R", "G", "B"]), width=80)
    lines = text.splitlines()
    assert lines[0].split() == ["R", "G", "B"]
    assert lines[2].split() == ["-0.67", "0.00", "0.67"] * 3
    narrow = _render(KernelView(preset_weights("sobel_x"), ["R", "G", "B"]), width=40).splitlines()
    assert narrow[0].split() == ["R", "G"] and narrow[5].split() == ["B"]
    big = _render(KernelView(preset_weights("gaussian", 7), ["R", "G", "B"]), width=80)
    assert "0." not in big  # large kernels: colour only


def test_weight_text_fits_its_width():
    assert weight_text(-0.123, 5) == "-0.12"
    assert weight_text(-12.5, 5) == "-12.5"
    assert weight_text(-0.001, 5) == "-0.00" or weight_text(-0.001, 5) == " 0.00"
    assert len(weight_text(123456.0, 5)) == 5


def test_colour_bar_prints_low_middle_high():
    (scale,) = make_scales([np.array([[-4.0, 2.0]])], "diverging")
    lines = _render(ColourBar(scale, 24)).splitlines()
    assert lines[1].split() == ["−4", "0", "4"]
    assert short_number(-0.0) == "0" and short_number(1234.5678) == "1234.6"
    with pytest.raises(ValueError):
        ColourBar(scale, 2)


def test_image_grid_places_titles_and_pictures():
    picture = np.zeros((4, 3, 3), dtype=np.uint8)
    panels = [Panel("image", picture), Panel("0 · Sobel x long title", picture), Panel("1", picture)]
    lines = [line.rstrip() for line in _render(ImageGrid(panels, columns=2, box_width=6, selected=1)).splitlines()]
    assert lines[0] == "image  0 · S…"
    assert len(lines) == 7  # title, 2 lines of pictures, a blank line, title, 2 lines
    assert lines[1] == "▀▀▀    ▀▀▀"  # 3 pixels wide, padded to the box
    assert lines[3] == "" and lines[4].startswith("1")
    with pytest.raises(ValueError):
        ImageGrid(panels, columns=0, box_width=6)


def test_grid_layout_prefers_the_largest_pictures():
    wide = grid_layout(4, 200, 20, 100, 100)
    assert wide.columns == 4
    tall = grid_layout(4, 40, 80, 100, 100)
    assert tall.columns == 1
    with pytest.raises(ValueError):
        grid_layout(0, 10, 10, 5, 5)
