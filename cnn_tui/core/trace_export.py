"""A conv or pool trace as plain data (dicts, lists, numbers) for `cnn-tui explain --json` and other tools.

Padding cells of max pooling hold −∞, which JSON cannot write; there they are `null`, and
`kinds` says which cells are input, padding or outside.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from cnn_tui.core.conv_geometry import AxisGeometry
from cnn_tui.core.conv_trace import ConvStep, ConvTrace
from cnn_tui.core.pool_trace import PoolStep, PoolTrace

KIND_NAMES = ("input", "padding", "outside")


def _number(value: float) -> float | int | None:
    if not math.isfinite(value):
        return None
    return int(value) if float(value).is_integer() else float(value)


def numbers(array: np.ndarray) -> Any:
    """A nested list of JSON numbers (whole numbers as ints, −∞ as null)."""
    if array.ndim == 0:
        return _number(float(array))
    return [numbers(item) for item in array]


def axis_dict(axis: AxisGeometry) -> dict[str, Any]:
    """One axis of the output-size arithmetic."""
    return {
        "size": axis.size,
        "kernel": axis.kernel,
        "stride": axis.stride,
        "padding": axis.padding,
        "dilation": axis.dilation,
        "ceil_mode": axis.ceil_mode,
        "output": axis.output,
        "exact": axis.exact,
        "uncovered": list(axis.uncovered),
        "formula": axis.symbolic(),
        "arithmetic": axis.numeric(),
    }


def conv_step_dict(step: ConvStep) -> dict[str, Any]:
    return {
        "index": step.index,
        "out_channel": step.out_channel,
        "row": step.row,
        "col": step.col,
        "window_rows": list(step.rows),
        "window_cols": list(step.cols),
        "inputs": numbers(step.inputs),
        "kernel": numbers(step.kernel),
        "products": numbers(step.products),
        "partial_sums": numbers(step.partial_sums),
        "bias": _number(step.bias),
        "result": _number(step.result),
    }


def pool_step_dict(step: PoolStep, mode: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "index": step.index,
        "channel": step.channel,
        "row": step.row,
        "col": step.col,
        "window_rows": list(step.rows),
        "window_cols": list(step.cols),
        "values": numbers(step.values),
        "kinds": [[KIND_NAMES[k] for k in row] for row in step.kinds.tolist()],
        "result": _number(step.result),
    }
    if mode == "max":
        data["winner"] = list(step.winner) if step.winner is not None else None
    else:
        data["sum"] = _number(step.total)
        data["divisor"] = step.divisor
    return data


def trace_dict(trace: ConvTrace | PoolTrace, steps: int | None = None) -> dict[str, Any]:
    """Everything about a trace; `steps` limits how many steps are included (None: all)."""
    data = _head_dict(trace)
    data["steps"] = list(_step_dicts(trace, steps))
    return data


def trace_json(
    trace: ConvTrace | PoolTrace, steps: int | None = None, on_step: Callable[[int], None] | None = None
) -> Iterator[str]:
    """`json.dumps(trace_dict(trace, steps), ensure_ascii=False)` in pieces, one step at a time, so a
    long trace streams in constant memory; `on_step(index)` is called before each step is built."""
    head = json.dumps(_head_dict(trace), ensure_ascii=False)
    yield head[:-1] + ', "steps": ['
    for number, step in enumerate(_step_dicts(trace, steps, on_step)):
        yield (", " if number else "") + json.dumps(step, ensure_ascii=False)
    yield "]}"


def _step_dicts(
    trace: ConvTrace | PoolTrace, steps: int | None, on_step: Callable[[int], None] | None = None
) -> Iterator[dict[str, Any]]:
    count = len(trace) if steps is None else max(0, min(steps, len(trace)))
    for step in trace.steps(0, count):
        if on_step is not None:
            on_step(step.index)
        if isinstance(trace, ConvTrace):
            yield conv_step_dict(step)  # type: ignore[arg-type]
        else:
            yield pool_step_dict(step, trace.mode)  # type: ignore[arg-type]


def _head_dict(trace: ConvTrace | PoolTrace) -> dict[str, Any]:
    """Everything but the steps, in trace_dict's key order."""
    data: dict[str, Any] = {
        "operation": "conv2d" if isinstance(trace, ConvTrace) else f"{trace.mode}_pool2d",
        "input": numbers(trace.input),
        "input_shape": list(trace.input.shape),
        "output_shape": list(trace.output.shape),
        "output": numbers(trace.output),
        "shape": {"rows": axis_dict(trace.rows), "cols": axis_dict(trace.cols)},
        "torch": trace.torch_call(),
        "steps_total": len(trace),
    }
    if isinstance(trace, ConvTrace):
        data["weights"] = numbers(trace.weights)
        data["bias"] = numbers(trace.bias)
        data["settings"] = {
            "stride": list(trace.stride), "padding": list(trace.padding), "dilation": list(trace.dilation)
        }
    else:
        data["settings"] = {
            "mode": trace.mode,
            "kernel_size": list(trace.kernel_size),
            "stride": list(trace.stride),
            "padding": list(trace.padding),
            "ceil_mode": trace.ceil_mode,
            "count_include_pad": trace.count_include_pad,
        }
    return data
