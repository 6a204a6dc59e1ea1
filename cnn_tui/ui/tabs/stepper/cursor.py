"""The cell cursor of the step tabs: show it on the input, the kernel or the output, move it with the
arrows (on the output the step follows it), and type a number into an input or kernel cell.

A mixin for StepperTab: it uses the tab's trace, lab, step_index, set_lab, say and change_step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events

from cnn_tui.render.step_panels import Cursor
from cnn_tui.ui.tabs.stepper import cell_cursor

if TYPE_CHECKING:
    from cnn_tui.core.conv_trace import ConvTrace
    from cnn_tui.core.pool_trace import PoolTrace
    from cnn_tui.core.step_lab import ConvLab, PoolLab

ARROWS = {"up": (-1, 0), "down": (1, 0), "left": (0, -1), "right": (0, 1)}
# While a cell is being edited, these keys keep their meaning; every other printable key is refused
# with a hint instead of reaching a shortcut (typing `abc` into a cell must not change the padding).
KEYS_WHILE_EDITING = frozenset({"e"})


class CursorMixin:
    """Cursor state and keys; while the cursor is shown, arrows and number keys go to it."""

    CURSOR_TARGETS: tuple[str, ...] = ("input", "output")
    cursor: Cursor | None
    buffer: str
    trace: ConvTrace | PoolTrace
    lab: ConvLab | PoolLab
    step_index: int

    def cursor_layout(self, target: str) -> cell_cursor.Layout:
        trace = self.trace
        if target == "input":
            c, h, w = trace.input.shape
            return cell_cursor.Layout(c, h, w, horizontal=True)
        if target == "kernel":
            _, c, kh, kw = trace.weights.shape  # type: ignore[union-attr]
            return cell_cursor.Layout(c, kh, kw, horizontal=False)
        return cell_cursor.Layout(*trace.output.shape, horizontal=False)

    def action_cursor(self) -> None:
        target = cell_cursor.next_target(self.cursor.target if self.cursor else None, self.CURSOR_TARGETS)
        if target is None:
            cursor = None
        elif target == "output":
            cursor = Cursor("output", *self.trace.position(self.step_index))
        else:
            cursor = Cursor(target, 0, 0, 0)
        self.change_step(cursor=cursor, buffer="")

    def on_key(self, event: events.Key) -> None:
        """While the cursor is shown, arrows move it and number keys type into the cell; on an input or
        kernel cell, other printable keys are refused with a hint rather than taken as shortcuts."""
        if self.cursor is None:
            return
        key = event.key
        if key in ARROWS:
            cursor = cell_cursor.move(self.cursor, *ARROWS[key], self.cursor_layout(self.cursor.target))
            step_index = self.trace.index_of(cursor.block, cursor.row, cursor.col) if cursor.target == "output" else self.step_index
            self.change_step(cursor=cursor, buffer="", step_index=step_index)
        elif key == "escape":
            if self.buffer:
                self.buffer = ""
            else:
                self.cursor = None
        elif self.cursor.target == "output":
            return
        elif event.character and event.character in cell_cursor.EDIT_CHARS:
            self.buffer = cell_cursor.type_char(self.buffer, event.character)
        elif key == "backspace":
            self.buffer = self.buffer[:-1]
        elif key == "enter":
            self._commit_cell()
        elif event.is_printable and event.character and key not in KEYS_WHILE_EDITING:
            self.say("convpool.cursor.letters", typed=event.character)
        else:
            return
        event.stop()
        event.prevent_default()

    def _commit_cell(self) -> None:
        value = cell_cursor.buffer_value(self.buffer)
        if value is None or self.cursor is None:
            self.say("convpool.cursor.not_a_number", text=self.buffer)
            return
        cursor = self.cursor
        if cursor.target == "input":
            index: tuple[int, ...] = (cursor.block, cursor.row, cursor.col)
        else:
            index = (self.trace.position(self.step_index)[0], cursor.block, cursor.row, cursor.col)
        self.buffer = ""
        self.set_lab(self.lab.with_cell(cursor.target, index, value))
