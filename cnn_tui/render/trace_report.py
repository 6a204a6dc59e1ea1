"""The whole explanation of a conv or pool trace as Rich renderables: what `cnn-tui explain` prints.

Padded input, kernels, each step written out, the output, the size formula with its numbers
and the PyTorch line that gives the same result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text

from cnn_tui.core.conv_trace import ConvTrace
from cnn_tui.core.pool_trace import PoolTrace
from cnn_tui.i18n import tr
from cnn_tui.render.matrix import MatrixGrid
from cnn_tui.render.numbers import format_number
from cnn_tui.render.roles import base_input_roles, output_roles
from cnn_tui.render.step_text import LABEL_STYLE, output_shape_line, size_formula_lines, step_lines

HEADING = Style(color="bright_white", bold=True, underline=True)
TORCH = Style(color="green", bold=True)


def labelled(label: str, renderable: RenderableType) -> Table:
    """A matrix with its label above it."""
    grid = Table.grid()
    grid.add_row(Text(label, LABEL_STYLE))
    grid.add_row(renderable)
    return grid


def side_by_side(items: list[RenderableType]) -> Table:
    """Renderables in one row, two spaces apart."""
    grid = Table.grid(padding=(0, 3))
    grid.add_row(*items)
    return grid


def _input_matrices(trace: ConvTrace | PoolTrace) -> Table:
    roles = base_input_roles(trace)
    items: list[RenderableType] = []
    for channel in range(trace.input.shape[0]):
        items.append(labelled(tr("trace.channel", number=channel + 1), MatrixGrid(trace.padded[channel], roles)))
    return side_by_side(items)


def _kernel_matrices(trace: ConvTrace) -> Iterator[RenderableType]:
    for kernel in range(trace.out_channels):
        items: list[RenderableType] = [
            labelled(tr("trace.channel", number=channel + 1), MatrixGrid(trace.weights[kernel, channel]))
            for channel in range(trace.in_channels)
        ]
        body: RenderableType = side_by_side(items)
        if trace.has_bias:
            body = Group(body, Text(f"{tr('trace.bias')} = {format_number(trace.bias[kernel])}", LABEL_STYLE))
        yield labelled(tr("trace.kernel_number", number=kernel + 1), body)


def _output_matrices(trace: ConvTrace | PoolTrace) -> Table:
    items: list[RenderableType] = [
        labelled(tr("trace.channel", number=channel + 1), MatrixGrid(trace.output[channel], output_roles(trace, channel, None)))
        for channel in range(trace.output.shape[0])
    ]
    return side_by_side(items)


def _steps(
    trace: ConvTrace | PoolTrace, limit: int, on_step: Callable[[int], None] | None = None
) -> Iterator[RenderableType]:
    total = len(trace)
    for step in trace.steps(0, limit):
        if on_step is not None:
            on_step(step.index)
        channel = step.out_channel if isinstance(trace, ConvTrace) else step.channel  # type: ignore[union-attr]
        header = tr(
            "trace.step_header", number=step.index + 1, total=total,
            cell=f"[{channel}][{step.row}][{step.col}]", row=step.rows.start + 1, col=step.cols.start + 1,
        )
        yield Text(header, LABEL_STYLE)
        for line in step_lines(trace, step):
            yield Text.assemble("  ", line)
    if limit < total:
        yield Text(tr("trace.more_steps", count=total - limit), LABEL_STYLE)


def explain_report(trace: ConvTrace | PoolTrace, steps: int) -> Group:
    """Everything `cnn-tui explain` prints, first `steps` steps included."""
    return Group(*explain_parts(trace, steps))


def explain_parts(
    trace: ConvTrace | PoolTrace, steps: int, on_step: Callable[[int], None] | None = None
) -> Iterator[RenderableType]:
    """The parts of `explain_report` one at a time (steps are built as they are reached, so
    printing them streams); `on_step(index)` is called before each step is built."""
    parts: list[RenderableType] = []
    if isinstance(trace, ConvTrace):
        title = tr("trace.title_conv")
        pad_note = tr("trace.padded_zero", padding=f"{trace.padding[0]}×{trace.padding[1]}")
    else:
        title = tr("trace.title_max" if trace.mode == "max" else "trace.title_avg")
        pad_note = tr(
            "trace.padded_inf" if trace.mode == "max" else "trace.padded_zero",
            padding=f"{trace.padding[0]}×{trace.padding[1]}",
        )
    parts += [Text(title, HEADING), output_shape_line(trace), Text("")]
    parts += [Text(tr("trace.padded_input"), HEADING), Text(pad_note, LABEL_STYLE), _input_matrices(trace), Text("")]
    if isinstance(trace, ConvTrace):
        parts += [Text(tr("trace.kernels"), HEADING), *_kernel_matrices(trace), Text("")]
    elif trace.mode == "avg":
        parts += [Text(tr("trace.count_include_pad" if trace.count_include_pad else "trace.count_exclude_pad"), LABEL_STYLE)]
    parts += [Text(tr("trace.steps"), HEADING)]
    yield from parts
    yield from _steps(trace, steps, on_step)
    yield Text("")
    yield from [Text(tr("trace.output"), HEADING), _output_matrices(trace), Text("")]
    yield from [Text(tr("trace.output_size"), HEADING), *size_formula_lines(trace.rows, trace.cols), Text("")]
    yield Text.assemble((tr("trace.pytorch") + ": ", LABEL_STYLE), (trace.torch_call(), TORCH))
