"""Rich renderables of the step engine, drawn with Console(record=True), without Textual."""

from __future__ import annotations

import numpy as np
import pytest
from rich.console import Console

from cnn_tui.core.conv_trace import ConvTrace
from cnn_tui.core.lecture_examples import example
from cnn_tui.core.pool_trace import PoolTrace
from cnn_tui.render.matrix import MatrixGrid, Role
from cnn_tui.render.numbers import format_number, format_term
from cnn_tui.render.roles import base_input_roles, input_roles, output_roles
from cnn_tui.render.step_text import size_formula_lines, step_lines
from cnn_tui.render.trace_report import explain_report


def _text(renderable, width: int = 200) -> str:
    console = Console(record=True, width=width, color_system=None)
    console.print(renderable)
    return console.export_text()


@pytest.mark.parametrize(
    "value, text", [(7.0, "7"), (-0.0, "0"), (0.25, "0.25"), (1 / 3, "0.33"), (-2.5, "-2.5"), (float("-inf"), "-∞")]
)
def test_format_number(value, text):
    assert format_number(value) == text


def test_format_term_brackets_negatives():
    assert format_term(-1) == "(-1)" and format_term(2) == "2" and format_term(float("-inf")) == "-∞"


def test_matrix_grid_draws_every_cell_right_aligned_and_marks_pending():
    roles = np.array([[Role.DONE, Role.CURRENT], [Role.PENDING, Role.PENDING]], dtype=np.uint8)
    text = _text(MatrixGrid(np.array([[1.0, 12.5], [3.0, 4.0]]), roles))
    assert text.splitlines() == ["    1  12.5 ", "    ·     · "]
    assert MatrixGrid(np.zeros((2, 3))).width == 9


def test_input_roles_mark_padding_window_and_winner():
    trace = example("max-pool-padding").trace()
    step = trace.step(trace.index_of(0, 1, 1))  # window over 0 1 / 3 4: 4 wins
    roles = input_roles(trace, step)
    assert roles[0].tolist() == [Role.PADDING] * 5
    assert roles[1:3, 1:3].tolist() == [[Role.WINDOW, Role.WINDOW], [Role.WINDOW, Role.WINNER]]
    assert roles[3, 3] == Role.VALUE


def test_uncovered_cells_and_output_progress():
    trace = ConvTrace(np.arange(36.0).reshape(6, 6), np.ones((3, 3)), stride=2)
    base = base_input_roles(trace)
    assert (base[5] == Role.UNCOVERED).all() and (base[:, 5] == Role.UNCOVERED).all()
    roles = output_roles(trace, 0, 2)
    assert roles.tolist() == [[Role.DONE, Role.DONE], [Role.CURRENT, Role.PENDING]]
    assert (output_roles(trace, 0, None) == Role.DONE).all()


def test_conv_step_written_out_with_bias_and_channels():
    trace = ConvTrace(np.array([[[1.0, 2.0], [3.0, 4.0]], [[1.0, 1.0], [1.0, 1.0]]]), np.ones((1, 2, 2, 2)), bias=1)
    lines = [line.plain for line in step_lines(trace, trace.step(0))]
    assert lines == [
        "channel 1: 1×1 + 2×1 + 3×1 + 4×1 = 10",
        "channel 2: 1×1 + 1×1 + 1×1 + 1×1 = 4",
        "total: 10 + 4 + 1 (bias) = 15",
    ]
    single = example("conv-basic").trace()
    assert step_lines(single, single.step(0))[0].plain == "1×1 + 1×0 + 1×1 + 0×0 + 1×1 + 1×0 + 0×1 + 0×0 + 1×1 = 4"


def test_pool_steps_written_out():
    max_trace = example("max-pool-api").trace()
    assert step_lines(max_trace, max_trace.step(0))[0].plain == "max(0, 1, 3, 4) = 4"
    avg_trace = example("avg-pool-padding").trace()
    assert step_lines(avg_trace, avg_trace.step(1))[0].plain == "(0 + 0 + 0 + 1) / 4 = 0.25"
    exclude = PoolTrace(np.arange(9.0).reshape(3, 3), "avg", 2, 1, 1, count_include_pad=False)
    assert step_lines(exclude, exclude.step(1))[0].plain == "(0 + 1) / 2 = 0.5"


def test_size_formula_lines():
    trace = ConvTrace(np.ones((6, 5)), np.ones((3, 3)), stride=2)
    lines = [line.plain for line in size_formula_lines(trace.rows, trace.cols)]
    assert lines[0] == "N = ⌊(W − F + 2P) / S⌋ + 1"
    assert "rows (H): ⌊(6 − 3 + 0) / 2⌋ + 1 = ⌊1.5⌋ + 1 = 2" in lines
    assert "columns (W): (5 − 3 + 0) / 2 + 1 = 2" in lines
    assert "input rows never covered by a window: 6" in lines


def test_explain_report_has_every_part():
    text = _text(explain_report(example("conv-padding").trace(), 2))
    for part in ("Input, padded", "Kernels", "step 1/25", "… 23 more step(s)", "Output (feature map)",
                 "(5 − 3 + 2) / 1 + 1 = 5", "nn.Conv2d(in_channels=1, out_channels=1, kernel_size=3, stride=1, padding=1)"):
        assert part in text
