"""The cell cursor of the step tabs: where it is, how arrows move it, and the number being typed.

Plain Python (no Textual), so its rules are tested on their own. Input channels are laid out
side by side (right from the last column goes to the next channel); kernel slices and output
channels are stacked (down from the last row goes to the next one).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from cnn_tui.render.step_panels import Cursor

TARGETS = ("input", "kernel", "output")
EDIT_CHARS = set("0123456789.-")
MAX_BUFFER = 12


@dataclass(frozen=True)
class Layout:
    """The matrices a cursor target moves over: how many, their size, and which way they are laid out."""

    blocks: int
    rows: int
    cols: int
    horizontal: bool


def move(cursor: Cursor, drow: int, dcol: int, layout: Layout) -> Cursor:
    """The cursor moved by (drow, dcol), crossing into the neighbouring matrix at an edge."""
    if layout.horizontal:
        flat_col = cursor.block * layout.cols + cursor.col + dcol
        flat_col = max(0, min(layout.blocks * layout.cols - 1, flat_col))
        block, col = divmod(flat_col, layout.cols)
        row = max(0, min(layout.rows - 1, cursor.row + drow))
    else:
        flat_row = cursor.block * layout.rows + cursor.row + drow
        flat_row = max(0, min(layout.blocks * layout.rows - 1, flat_row))
        block, row = divmod(flat_row, layout.rows)
        col = max(0, min(layout.cols - 1, cursor.col + dcol))
    return replace(cursor, block=block, row=row, col=col)


def clamp(cursor: Cursor, layout: Layout) -> Cursor:
    """The cursor kept inside `layout` (after the matrices changed size)."""
    return replace(
        cursor,
        block=min(cursor.block, layout.blocks - 1),
        row=min(cursor.row, layout.rows - 1),
        col=min(cursor.col, layout.cols - 1),
    )


def next_target(current: str | None, targets: tuple[str, ...]) -> str | None:
    """The cursor's next place: each of `targets` in turn, then off (None)."""
    if current is None:
        return targets[0]
    index = targets.index(current) + 1
    return targets[index] if index < len(targets) else None


def type_char(buffer: str, char: str) -> str:
    """The number being typed, with `char` added (ignored if it cannot be part of a number)."""
    if char not in EDIT_CHARS or len(buffer) >= MAX_BUFFER:
        return buffer
    if char == "-" and buffer:
        return buffer
    if char == "." and "." in buffer:
        return buffer
    return buffer + char


def buffer_value(buffer: str) -> float | None:
    """The typed number, or None while it is not one yet (`-`, `.`, empty)."""
    try:
        value = float(buffer)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
