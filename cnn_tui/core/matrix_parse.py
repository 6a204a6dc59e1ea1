"""Read matrices typed by a person: nested lists `[[0, 1], [2, 3]]`, or a shape with a source.

Sources: `range:4x4` (0, 1, 2, … like the lecture's tables), `random:3x5x5` (integers from a
seeded generator), `zeros:3x3`, `ones:3x3`. Every mistake raises MatrixParseError with one line
that says what was wrong and what a correct value looks like.
"""

from __future__ import annotations

import json
import math
import re

import numpy as np

from cnn_tui.config import LIMITS

MAX_SIDE = LIMITS.matrix_side
MAX_CELLS = LIMITS.matrix_cells
SOURCES = ("range", "random", "zeros", "ones")
# Lists nested deeper than this are refused before json parses them (5,000 brackets overflowed its recursion):
# kernels are at most 4 deep ([C_out][C_in][kH][kW]); up to 8, a deeper nest still gets its rank sentence.
MAX_DEPTH = 8
_SHAPE = re.compile(r"^\d+(x\d+)*$")


# Mistake code -> English message, filled by MatrixParseError's fields; the command line and the app say the
# same codes through the catalogue (`matrix.error.<code>`, locales/cli_matrix.toml), with the same fields.
MESSAGES: dict[str, str] = {
    "not_number": "{name}{where}: {value} is not a number",
    "not_finite": "{name}{where}: {value} is not a finite number",
    "not_number_or_list": "{name}{where}: {value} is not a number or a list",
    "empty_list": "{name}{where}: an empty list; every row needs at least one number",
    "ragged_rows": "ragged rows: {name}{where}[{index}] has {length} number(s) but {name}{where}[0] has {first}; all rows must be the same length",
    "ragged": "ragged matrix: {name}{where}[{index}] is {shape} but {name}{where}[0] is {first}; all items must have the same shape",
    "shape_form": "{name}: shape {text!r} should be sizes joined by x, like 4x4 or 3x5x5",
    "shape_zero": "{name}: shape {text!r} has a zero size; every size must be at least 1",
    "shape_side": "{name}: shape {text!r} is too large: each size can be at most {limit}, so the matrix can be written out step by step",
    "shape_cells": "{name}: shape {text!r} holds {cells:,} numbers, more than the limit of {limit:,}, so the matrix can be written out step by step",
    "empty": "{name}: empty; give a matrix like [[1, 2], [3, 4]] or a source like range:4x4",
    "unknown_source": "{name}: unknown source {source!r}; use one of {sources} with a shape",
    "not_matrix": "{name}: {text!r} is not a matrix; write it like [[1, 2], [3, 4]]",
    "too_deep": "{name}: lists nested {depth:,} deep, more than the {limit} a matrix can use ([C_out][C_in][kH][kW] is 4); write it like [[1, 2], [3, 4]]",
    "json": "{name}: not a matrix ({problem} at character {position}); write it like [[1, 2], [3, 4]]",
    "json_constant": "{name}: not a matrix ({constant} is not a finite number); write it like [[1, 2], [3, 4]]",
    "cells": "{name}: {cells:,} numbers, more than the limit of {limit:,}, so the matrix can be written out step by step",
    "numbers_empty": "{name}: empty; give a number like 1 or one per kernel like [1, 0]",
    "part_not_number": "{name}: {part!r} is not a number",
    "part_not_finite": "{name}: {part!r} is not a finite number",
    "input_rank": "{name}: has {rank} dimension(s); give [H][W] or [C][H][W]",
    "kernel_rank": "{name}: has {rank} dimension(s); give [kH][kW], [C_in][kH][kW] or [C_out][C_in][kH][kW]",
}


class MatrixParseError(ValueError):
    """The text is not a matrix; the message says why in one line. `code` is a key of MESSAGES, `fields` fill it."""

    def __init__(self, code: str, **fields: object) -> None:
        self.code = code
        self.fields = fields
        super().__init__(MESSAGES[code].format(**fields))


def _reject_constant(name: str) -> float:
    raise ValueError(name)


def _depth(text: str) -> int:
    """How deep the brackets and braces of `text` nest, outside JSON strings; a linear scan, no recursion."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _walk(value: object, name: str, path: tuple[int, ...]) -> list[int]:
    """Check that `value` is a rectangular nest of numbers; returns its shape."""
    where = "".join(f"[{i}]" for i in path)
    if isinstance(value, bool) or value is None or isinstance(value, (str, dict)):
        raise MatrixParseError("not_number", name=name, where=where, value=json.dumps(value))
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise MatrixParseError("not_finite", name=name, where=where, value=str(value))
        return []
    if not isinstance(value, list):
        raise MatrixParseError("not_number_or_list", name=name, where=where, value=repr(value))
    if not value:
        raise MatrixParseError("empty_list", name=name, where=where)
    shapes = [_walk(item, name, (*path, i)) for i, item in enumerate(value)]
    for i, shape in enumerate(shapes[1:], start=1):
        if shape == shapes[0]:
            continue
        if len(shape) == len(shapes[0]) == 1:
            raise MatrixParseError("ragged_rows", name=name, where=where, index=i, length=shape[0], first=shapes[0][0])
        raise MatrixParseError(
            "ragged", name=name, where=where, index=i, shape=_shape_text(shape), first=_shape_text(shapes[0])
        )
    return [len(value), *shapes[0]]


def _shape_text(shape: list[int]) -> str:
    return "a number" if not shape else "×".join(map(str, shape))


def parse_shape(text: str, name: str = "input") -> tuple[int, ...]:
    """`3x5x5` -> (3, 5, 5), each side 1…MAX_SIDE."""
    text = text.strip().lower().replace("×", "x").replace(" ", "")
    if not _SHAPE.match(text):
        raise MatrixParseError("shape_form", name=name, text=text)
    shape = tuple(int(part) for part in text.split("x"))
    if any(side < 1 for side in shape):
        raise MatrixParseError("shape_zero", name=name, text=text)
    if any(side > MAX_SIDE for side in shape):
        raise MatrixParseError("shape_side", name=name, text=text, limit=MAX_SIDE)
    if math.prod(shape) > MAX_CELLS:
        raise MatrixParseError("shape_cells", name=name, text=text, cells=math.prod(shape), limit=MAX_CELLS)
    return shape


def parse_matrix(
    text: str,
    name: str = "input",
    seed: int | None = 0,
    random_range: tuple[int, int] = (0, 9),
) -> np.ndarray:
    """A float64 array from nested lists or `source:shape`; `random` draws integers in `random_range`."""
    text = text.strip()
    if not text:
        raise MatrixParseError("empty", name=name)
    source, colon, rest = text.partition(":")
    if colon and source.strip().lower() in SOURCES:
        shape = parse_shape(rest, name)
        source = source.strip().lower()
        if source == "range":
            return np.arange(math.prod(shape), dtype=np.float64).reshape(shape)
        if source == "zeros":
            return np.zeros(shape)
        if source == "ones":
            return np.ones(shape)
        low, high = random_range
        return np.random.default_rng(seed).integers(low, high + 1, size=shape).astype(np.float64)
    if colon and not text.startswith("["):
        raise MatrixParseError("unknown_source", name=name, source=source, sources=", ".join(s + ":" for s in SOURCES))
    if not text.startswith("["):
        raise MatrixParseError("not_matrix", name=name, text=text)
    depth = _depth(text)
    if depth > MAX_DEPTH:
        raise MatrixParseError("too_deep", name=name, depth=depth, limit=MAX_DEPTH)
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except ValueError as error:
        if isinstance(error, json.JSONDecodeError):
            raise MatrixParseError("json", name=name, problem=error.msg, position=error.pos + 1) from None
        raise MatrixParseError("json_constant", name=name, constant=str(error)) from None
    shape = _walk(value, name, ())
    if math.prod(shape) > MAX_CELLS:
        raise MatrixParseError("cells", name=name, cells=math.prod(shape), limit=MAX_CELLS)
    return np.asarray(value, dtype=np.float64).reshape(shape)


def parse_numbers(text: str, name: str = "bias") -> np.ndarray:
    """One number (`0.5`), a list (`[1, 0]`) or comma-separated numbers (`1, 0`) as a 1-D array."""
    text = text.strip()
    if not text:
        raise MatrixParseError("numbers_empty", name=name)
    body = text[1:-1] if text.startswith("[") and text.endswith("]") else text
    numbers = []
    for part in body.split(","):
        part = part.strip()
        try:
            number = float(part)
        except ValueError:
            raise MatrixParseError("part_not_number", name=name, part=part) from None
        if not math.isfinite(number):
            raise MatrixParseError("part_not_finite", name=name, part=part)
        numbers.append(number)
    return np.asarray(numbers, dtype=np.float64)


def as_input(array: np.ndarray, name: str = "input") -> np.ndarray:
    """An input as (C, H, W): [H][W] gains one channel; other ranks are an error."""
    if array.ndim == 2:
        return array[None]
    if array.ndim == 3:
        return array
    raise MatrixParseError("input_rank", name=name, rank=array.ndim)


def as_weights(array: np.ndarray, name: str = "kernel") -> np.ndarray:
    """Kernels as (C_out, C_in, kH, kW): [kH][kW] is one channel, [C_in][kH][kW] one kernel."""
    if array.ndim == 2:
        return array[None, None]
    if array.ndim == 3:
        return array[None]
    if array.ndim == 4:
        return array
    raise MatrixParseError("kernel_rank", name=name, rank=array.ndim)
