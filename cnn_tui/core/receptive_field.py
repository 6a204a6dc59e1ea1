"""Receptive fields: which input pixels a unit of a conv or pooling layer sees, from the layers' geometry alone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cnn_tui.i18n import LocalizedError

Pair = tuple[int, int]

INPUT, WINDOW, MERGE, WHOLE, UNKNOWN = "input", "window", "merge", "whole", "unknown"


class ReceptiveFieldError(LocalizedError, ValueError):
    """A unit or layer whose receptive field cannot be given; the message says why."""


@dataclass(frozen=True)
class GeometryStep:
    """One step of the forward pass as geometry. `kind` is INPUT, WINDOW (kernel, stride, dilation and the
    padding before the first row/column), MERGE, WHOLE or UNKNOWN (a step that changes the size in a way
    this module does not follow, e.g. upsampling); `shape` is the output's (H, W), None when not maps."""

    op: str
    kind: str
    inputs: tuple[int, ...] = ()
    shape: Pair | None = None
    kernel: Pair = (1, 1)
    stride: Pair = (1, 1)
    padding: Pair = (0, 0)
    dilation: Pair = (1, 1)
    mode: str = "zeros"  # how a padding step fills: zeros, or from the input (reflect, replicate, circular)


@dataclass(frozen=True)
class Field:
    """A step's receptive field per axis (rows, columns): unclipped size, jump and unit 0's start."""

    size: Pair
    jump: Pair
    start: Pair


@dataclass(frozen=True)
class ReceptiveField:
    """What one unit sees: the box (top, left, bottom, right; inclusive, inside the input), the layer's
    unclipped field size and jump, and the input's (H, W)."""

    layer: str
    unit: Pair
    box: tuple[int, int, int, int]
    size: Pair
    jump: Pair
    input: Pair

    def to_json(self) -> dict[str, object]:
        """The `cnn-tui receptive-field --json` object."""
        return {
            "layer": self.layer, "unit": list(self.unit), "box": list(self.box),
            "size": list(self.size), "jump": list(self.jump), "input": list(self.input),
        }


def step_fields(steps: Sequence[GeometryStep]) -> list[Field | None]:
    """Each step's field (None for a step without maps or after an UNKNOWN one)."""
    image = steps[0].shape
    assert steps[0].kind == INPUT and image is not None
    whole = Field(size=image, jump=image, start=(0, 0))
    fields: list[Field | None] = []
    for step in steps:
        if step.kind == INPUT:
            fields.append(Field((1, 1), (1, 1), (0, 0)))
        elif step.kind == WHOLE:
            fields.append(whole)
        elif step.kind == UNKNOWN or any(fields[i] is None for i in step.inputs):
            fields.append(None)
        elif step.kind == WINDOW:
            fields.append(_window_field(fields[step.inputs[0]], step))  # type: ignore[arg-type]
        else:
            fields.append(_merge_fields([fields[i] for i in step.inputs], whole))  # type: ignore[misc]
    return fields


def _window_field(previous: Field, step: GeometryStep) -> Field:
    per_axis = [
        (
            previous.size[a] + step.dilation[a] * (step.kernel[a] - 1) * previous.jump[a],
            step.stride[a] * previous.jump[a],
            previous.start[a] - step.padding[a] * previous.jump[a],
        )
        for a in (0, 1)
    ]
    return Field(
        (per_axis[0][0], per_axis[1][0]), (per_axis[0][1], per_axis[1][1]), (per_axis[0][2], per_axis[1][2])
    )


def _merge_fields(fields: list[Field], whole: Field) -> Field | None:
    """The union of same-sized branches: the smallest start to the largest end (the max over the branches
    when they are centred alike); a branch that sees everything makes the merge see everything."""
    if not fields or any(f == whole for f in fields):
        return whole
    if len({f.jump for f in fields}) > 1:
        return None  # branches that step differently: no single size and jump describes the union
    start = tuple(min(f.start[a] for f in fields) for a in (0, 1))
    end = tuple(max(f.start[a] + f.size[a] - 1 for f in fields) for a in (0, 1))
    return Field((end[0] - start[0] + 1, end[1] - start[1] + 1), fields[0].jump, (start[0], start[1]))


def _taps(step: GeometryStep, axis: int, units: np.ndarray, size: int) -> np.ndarray:
    """The indices of the step's input (of length `size`) that the windows of output `units` touch."""
    starts = units * step.stride[axis] - step.padding[axis]
    offsets = np.arange(step.kernel[axis]) * step.dilation[axis]
    cells = (starts[:, None] + offsets[None, :]).ravel()
    if step.mode == "reflect":  # -1 -> 1, size -> size - 2 (one reflection: PyTorch pads less than the size)
        cells = np.abs(cells)
        cells = np.where(cells >= size, 2 * (size - 1) - cells, cells)
    elif step.mode == "replicate":
        cells = np.clip(cells, 0, size - 1)
    elif step.mode == "circular":
        cells = cells % size
    return cells[(cells >= 0) & (cells < size)]


def unit_box(steps: Sequence[GeometryStep], index: int, unit: Pair) -> tuple[int, int, int, int] | None:
    """The inclusive box (top, left, bottom, right) of input pixels unit (row, col) of step `index` sees,
    or None when it sees only padding. Rows and columns are followed back separately: a window's taps are
    a product of rows and columns, so the rows a unit reaches do not depend on its columns."""
    box = []
    for axis in (0, 1):
        reached = _reach(steps, index, unit[axis], axis)
        if reached.size == 0:
            return None
        box.append((int(reached.min()), int(reached.max())))
    return (box[0][0], box[1][0], box[0][1], box[1][1])


def _reach(steps: Sequence[GeometryStep], index: int, unit: int, axis: int) -> np.ndarray:
    """The input indices along `axis` that output `unit` of step `index` depends on."""
    image = steps[0].shape
    assert image is not None
    masks: dict[int, np.ndarray] = {}
    start = np.zeros(_length(steps[index], axis), dtype=bool)
    start[unit] = True
    masks[index] = start
    for i in range(index, 0, -1):
        mask = masks.pop(i, None)
        if mask is None or not mask.any():
            continue
        step = steps[i]
        if step.kind == UNKNOWN:
            raise ReceptiveFieldError("error.receptive_field.unknown_op", op=step.op)
        for source in step.inputs:
            length = _length(steps[source], axis)
            target = masks.setdefault(source, np.zeros(length, dtype=bool))
            if step.kind == WHOLE:
                target[:] = True
            elif step.kind == WINDOW:
                target[_taps(step, axis, np.flatnonzero(mask), length)] = True
            elif length == mask.size:
                target |= mask
            else:  # a broadcast 1×1 input (a gate computed from the whole map) reaches every unit
                target[:] = True
    return np.flatnonzero(masks.get(0, np.zeros(image[axis], dtype=bool)))


def _length(step: GeometryStep, axis: int) -> int:
    return step.shape[axis] if step.shape is not None else 1


def receptive_field(steps: Sequence[GeometryStep], index: int, unit: Pair, layer: str) -> ReceptiveField:
    """The receptive field of unit (row, col) of step `index` (named `layer`); ReceptiveFieldError when the
    step has no maps, the unit is outside them, or the field cannot be followed."""
    step = steps[index]
    if step.shape is None:
        raise ReceptiveFieldError("error.receptive_field.not_maps", layer=layer)
    rows, cols = step.shape
    if not (0 <= unit[0] < rows and 0 <= unit[1] < cols):
        raise ReceptiveFieldError(
            "error.receptive_field.unit_outside", layer=layer, row=unit[0], col=unit[1], rows=rows, cols=cols
        )
    field = step_fields(steps)[index]
    if field is None:
        op = next((s.op for s in steps[: index + 1] if s.kind == UNKNOWN), step.op)
        raise ReceptiveFieldError("error.receptive_field.unknown_op", op=op)
    box = unit_box(steps, index, unit)
    if box is None:
        raise ReceptiveFieldError("error.receptive_field.only_padding", layer=layer, row=unit[0], col=unit[1])
    image = steps[0].shape
    assert image is not None
    return ReceptiveField(layer, (unit[0], unit[1]), box, field.size, field.jump, image)
