"""Which role each cell plays at a step: the window on the input, the winner, the output filling in.

Shared by `cnn-tui explain` and the Convolution and Pooling tabs, so both colour cells alike.
"""

from __future__ import annotations

import numpy as np

from cnn_tui.core.conv_trace import ConvStep, ConvTrace
from cnn_tui.core.pool_trace import INPUT, OUTSIDE, PADDING, PoolStep, PoolTrace
from cnn_tui.render.matrix import Role

Trace = ConvTrace | PoolTrace
Step = ConvStep | PoolStep


def base_input_roles(trace: Trace) -> np.ndarray:
    """The padded input's roles with no window: values, padding, outside, uncovered (cache it per trace)."""
    if isinstance(trace, PoolTrace):
        kinds = trace.kinds
        roles = np.full(kinds.shape, Role.VALUE, dtype=np.uint8)
        roles[kinds == PADDING] = Role.PADDING
        roles[kinds == OUTSIDE] = Role.OUTSIDE
    else:
        mask = trace.padding_mask()
        roles = np.where(mask, Role.PADDING, Role.VALUE).astype(np.uint8)
    ph, pw = trace.padding
    for row in trace.rows.uncovered:
        line = roles[ph + row, pw : pw + trace.input.shape[2]]
        line[line == Role.VALUE] = Role.UNCOVERED
    for col in trace.cols.uncovered:
        line = roles[ph : ph + trace.input.shape[1], pw + col]
        line[line == Role.VALUE] = Role.UNCOVERED
    return roles


_WINDOW_OF = np.array(
    [
        Role.WINDOW, Role.WINDOW_PADDING, Role.WINDOW, Role.WINDOW_PADDING, Role.WINNER, Role.CURRENT,
        Role.WINDOW, Role.CURSOR, Role.WINDOW_OUTSIDE, Role.WINDOW, Role.WINDOW, Role.WINDOW_OUTSIDE,
    ],
    dtype=np.uint8,
)


def input_roles(trace: Trace, step: Step | None, base: np.ndarray | None = None) -> np.ndarray:
    """Roles of one channel of the padded input at `step` (None: no window drawn).

    `base` is `base_input_roles(trace)` when the caller caches it between steps."""
    roles = (base_input_roles(trace) if base is None else base).copy()
    if step is None:
        return roles
    window = roles[step.rows.start : step.rows.stop : step.rows.step, step.cols.start : step.cols.stop : step.cols.step]
    window[...] = _WINDOW_OF[window]
    if isinstance(step, PoolStep) and step.winner is not None and step.kinds[step.winner] == INPUT:
        window[step.winner] = Role.WINNER
    return roles


def output_roles(trace: Trace, channel: int, step_index: int | None) -> np.ndarray:
    """Roles of output channel `channel`: done before `step_index`, current at it, pending after.

    `step_index` None draws the whole output as done."""
    rows, cols = trace.rows.output, trace.cols.output
    if step_index is None:
        return np.full((rows, cols), Role.DONE, dtype=np.uint8)
    first = trace.index_of(channel, 0, 0)
    order = np.arange(first, first + rows * cols).reshape(rows, cols)
    roles = np.full((rows, cols), Role.PENDING, dtype=np.uint8)
    roles[order < step_index] = Role.DONE
    roles[order == step_index] = Role.CURRENT
    return roles


def output_values(trace: Trace, channel: int) -> np.ndarray:
    """The output channel as a 2-D array (pending cells are drawn as marks by their role)."""
    return trace.output[channel]
