"""The state behind the step tabs: sources regenerate matrices, limits, edits, crops; and the cell cursor."""

from __future__ import annotations

import numpy as np
import pytest
from rich.console import Console

from cnn_tui.core.conv_geometry import SettingsError
from cnn_tui.core.lecture_examples import example
from cnn_tui.core.step_lab import (
    ConvLab, PoolLab, Source, image_crop, make_input, make_kernels, within_limits,
)
from cnn_tui.render.step_panels import Cursor, TraceView
from cnn_tui.ui.tabs.stepper import cell_cursor


def test_conv_lab_from_example_resizes_from_its_sources():
    lab = ConvLab.from_example(example("conv-padding"))
    assert lab.example == "conv-padding"
    bigger = lab.resized(size=(6, 6))
    assert bigger.input.shape == (1, 6, 6) and bigger.example is None
    np.testing.assert_array_equal(bigger.input[0, :5, :5], lab.input[0]), "an example input keeps what fits"
    assert bigger.input[0, 5].sum() == 0
    ranged = ConvLab(np.zeros((1, 2, 2)), np.ones((1, 1, 1, 1)), np.zeros(1)).resized(size=(3, 3))
    assert ranged.input.ravel().tolist() == list(range(9)), "a range input is regenerated"
    three = lab.resized(channels=3, kernels=2)
    assert three.input.shape == (3, 5, 5) and three.weights.shape == (2, 3, 3, 3) and three.bias.shape == (2,)
    three.trace()


def test_named_kernels_follow_size_channels_and_count():
    weights = make_kernels(Source("kernel", name="sobel_x"), (2, 3, 3, 3), np.zeros((1, 1, 3, 3)))
    assert weights[0, 2].tolist() == [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]
    assert weights[1, 0].tolist() == [[-1, -2, -1], [0, 0, 0], [1, 2, 1]]
    small = make_kernels(Source("kernel", name="sobel_x"), (1, 1, 1, 1), np.zeros((1, 1, 3, 3)))
    assert small.shape == (1, 1, 1, 1), "a kernel that cannot be 1×1 gives way to the next that can"
    random = make_kernels(Source("random", seed=3), (2, 1, 3, 3), np.zeros((1, 1, 3, 3)))
    assert set(np.unique(random)) <= {-1.0, 0.0, 1.0}
    np.testing.assert_array_equal(random, make_kernels(Source("random", seed=3), (2, 1, 3, 3), np.zeros(1)))


def test_random_input_is_seeded_and_image_crop_is_central():
    a = make_input(Source("random", seed=5), (2, 4, 4), np.zeros((1, 1, 1)))
    np.testing.assert_array_equal(a, make_input(Source("random", seed=5), (2, 4, 4), np.zeros((1, 1, 1))))
    pixels = np.arange(6 * 8 * 3, dtype=np.uint8).reshape(6, 8, 3)
    rgb = image_crop(pixels, 3, 2, 2)
    np.testing.assert_array_equal(rgb, np.moveaxis(pixels[2:4, 3:5], 2, 0))
    grey = image_crop(pixels, 1, 2, 2)
    assert grey.shape == (1, 2, 2) and grey[0, 0, 0] == round(float(pixels[2, 3] @ np.array([0.299, 0.587, 0.114])))


def test_cells_edit_and_invalid_settings_raise_on_trace():
    lab = PoolLab.from_example(example("max-pool-padding"))
    edited = lab.with_cell("input", (0, 0, 0), 9)
    assert edited.input[0, 0, 0] == 9 and lab.input[0, 0, 0] == 0 and edited.input_source.kind == "custom"
    with pytest.raises(SettingsError):
        lab.with_settings(padding=(2, 2)).trace()
    assert lab.effective_stride == (1, 1) and PoolLab(np.ones((1, 4, 4))).effective_stride == (2, 2)
    assert within_limits("size", 16) and not within_limits("size", 17) and within_limits("bias", 99)
    assert within_limits("stride", 16) and not within_limits("stride", 17) and within_limits("padding", -1)


def test_cursor_moves_across_matrices_and_types_numbers():
    side_by_side = cell_cursor.Layout(3, 4, 5, horizontal=True)
    cursor = cell_cursor.move(Cursor("input", 0, 0, 4), 0, 1, side_by_side)
    assert (cursor.block, cursor.row, cursor.col) == (1, 0, 0)
    assert cell_cursor.move(Cursor("input", 2, 3, 4), 1, 1, side_by_side) == Cursor("input", 2, 3, 4)
    stacked = cell_cursor.Layout(2, 3, 3, horizontal=False)
    assert cell_cursor.move(Cursor("output", 0, 2, 1), 1, 0, stacked) == Cursor("output", 1, 0, 1)
    assert cell_cursor.clamp(Cursor("output", 1, 2, 2), cell_cursor.Layout(1, 2, 2, False)) == Cursor("output", 0, 1, 1)
    assert cell_cursor.next_target(None, ("input", "kernel", "output")) == "input"
    assert cell_cursor.next_target("output", ("input", "kernel", "output")) is None
    buffer = ""
    for char in "-1.5.-x":
        buffer = cell_cursor.type_char(buffer, char)
    assert buffer == "-1.5" and cell_cursor.buffer_value(buffer) == -1.5
    assert cell_cursor.buffer_value("-") is None and cell_cursor.buffer_value("") is None


def test_trace_view_draws_window_cursor_and_partial_sums():
    trace = example("conv-multi-kernel").trace()
    view = TraceView(trace)
    console = Console(record=True, width=200, color_system=None)
    console.print(view.matrices(trace.step(10), Cursor("kernel", 1, 0, 0)))
    text = console.export_text()
    assert "input · channel 3" in text and "kernel 2 · channel 1" in text and "output · channel 2" in text
    step = trace.step(10)
    assert f"Σ = {int(step.partial_sums[0])}" in text
    labels = 3 + 3 + 2  # "input · channel c", "kernel 2 · channel c", "output · channel o"
    assert text.count("·") == labels + (len(trace) - 11), "the 7 outputs after step 11 are pending dots"
