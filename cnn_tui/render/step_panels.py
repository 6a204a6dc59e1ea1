"""The matrices of one step side by side: each input channel (padded, window marked), the kernel's
slices, and the output channels filling in — what the Convolution and Pooling tabs draw.

`TraceView` caches what does not change between steps (cell texts, the padded input's roles),
so drawing a step only recolours the window and the output; a view makes one per trace.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich.style import Style

from cnn_tui.core.conv_trace import ConvStep, ConvTrace
from cnn_tui.core.pool_trace import PoolStep, PoolTrace
from cnn_tui.i18n import tr
from cnn_tui.render.blocks import Block, Row
from cnn_tui.render.matrix import MatrixGrid, Role, cell_texts, pad_cells
from cnn_tui.render.numbers import format_number
from cnn_tui.render.roles import base_input_roles, input_roles, output_roles

LABEL = Style(color="grey70")
LABEL_CURRENT = Style(color="bright_cyan", bold=True)
SUM = Style(color="bright_white")
KERNEL_DECIMALS = 4


@dataclass(frozen=True)
class Cursor:
    """A cell cursor: on the input (block = channel), the kernel (block = input channel of the
    current kernel) or the output (block = output channel); row and col in that matrix."""

    target: str
    block: int
    row: int
    col: int


def _width(texts: list[list[list[str]]]) -> int:
    return max((len(t) for block in texts for row in block for t in row), default=1)


class TraceView:
    """Renderables for every step of one trace."""

    def __init__(self, trace: ConvTrace | PoolTrace) -> None:
        self.trace = trace
        self.is_conv = isinstance(trace, ConvTrace)
        self.base_roles = base_input_roles(trace)
        input_texts = [cell_texts(channel) for channel in trace.padded]
        self.input_cells = [pad_cells(t, _width(input_texts)) for t in input_texts]
        output_texts = [cell_texts(channel) for channel in trace.output]
        self.output_cells = [pad_cells(t, _width(output_texts)) for t in output_texts]
        if isinstance(trace, ConvTrace):
            kernel_texts = [[cell_texts(s, KERNEL_DECIMALS) for s in kernel] for kernel in trace.weights]
            width = max(_width(k) for k in kernel_texts)
            self.kernel_cells = [[pad_cells(t, width) for t in kernel] for kernel in kernel_texts]

    # -- blocks ---------------------------------------------------------------------

    def input_block(self, step: ConvStep | PoolStep | None, cursor: Cursor | None = None) -> Block:
        """Each input channel, padded, the window on it (for pooling: only on the step's channel)."""
        trace = self.trace
        window = input_roles(trace, step, self.base_roles) if step is not None else self.base_roles
        blocks = []
        for channel, cells in enumerate(self.input_cells):
            on_channel = step is not None and (self.is_conv or step.channel == channel)  # type: ignore[union-attr]
            roles = window if on_channel else self.base_roles
            if cursor is not None and cursor.target == "input" and cursor.block == channel:
                roles = roles.copy()
                roles[cursor.row + trace.padding[0], cursor.col + trace.padding[1]] = Role.CURSOR
            block = Block().text(tr("convpool.input_channel", number=channel + 1), LABEL_CURRENT if on_channel else LABEL)
            block.matrix(MatrixGrid(trace.padded[channel], roles, cells=cells))
            if isinstance(step, ConvStep) and trace.input.shape[0] > 1:
                block.text(f"Σ = {format_number(float(step.partial_sums[channel]))}", SUM)
            blocks.append(block)
        return Row(blocks, gap=2).as_block()

    def kernel_block(self, step: ConvStep | None, cursor: Cursor | None = None) -> Block:
        """The current kernel's slices, one per input channel, stacked, with its bias."""
        trace = self.trace
        assert isinstance(trace, ConvTrace)
        kernel = step.out_channel if step is not None else 0
        block = Block()
        for channel, cells in enumerate(self.kernel_cells[kernel]):
            roles = np.zeros(trace.weights.shape[2:], dtype=np.uint8)
            if cursor is not None and cursor.target == "kernel" and cursor.block == channel:
                roles[cursor.row, cursor.col] = Role.CURSOR
            if trace.in_channels == 1:
                label = tr("convpool.kernel_one", kernel=kernel + 1)
            else:
                label = tr("convpool.kernel_slice", kernel=kernel + 1, channel=channel + 1)
            block.text(label, LABEL_CURRENT)
            block.matrix(MatrixGrid(trace.weights[kernel, channel], roles, cells=cells))
        block.text(f"{tr('trace.bias')} = {format_number(float(trace.bias[kernel]))}", LABEL)
        return block

    def output_block(self, step_index: int | None, cursor: Cursor | None = None) -> Block:
        """Every output channel; done cells, the current one, pending dots."""
        trace = self.trace
        current = trace.position(step_index)[0] if step_index is not None else -1
        block = Block()
        for channel, cells in enumerate(self.output_cells):
            roles = output_roles(trace, channel, step_index)
            if cursor is not None and cursor.target == "output" and cursor.block == channel:
                roles[cursor.row, cursor.col] = Role.CURSOR
            block.text(tr("convpool.output_channel", number=channel + 1), LABEL_CURRENT if channel == current else LABEL)
            block.matrix(MatrixGrid(trace.output[channel], roles, cells=cells))
        return block

    def matrices(self, step: ConvStep | PoolStep | None, cursor: Cursor | None = None) -> Row:
        """Input | kernel (convolution only) | output at `step` (None: before the first step)."""
        blocks = [self.input_block(step, cursor)]
        if self.is_conv:
            blocks.append(self.kernel_block(step, cursor))  # type: ignore[arg-type]
        blocks.append(self.output_block(step.index if step is not None else None, cursor))
        return Row(blocks, gap=4)
