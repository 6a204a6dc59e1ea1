"""What the conv and pool traces share: one step per output cell, numbered channel by channel, row by row."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

from cnn_tui.core.conv_geometry import AxisGeometry

S = TypeVar("S")


class SteppedTrace(Generic[S]):
    """Step numbering over `output_shape` (C, H_out, W_out); a subclass sets `rows`, `cols` and builds `step(index)`."""

    rows: AxisGeometry
    cols: AxisGeometry

    @property
    def output_shape(self) -> tuple[int, int, int]:
        raise NotImplementedError

    @property
    def geometry(self) -> tuple[AxisGeometry, AxisGeometry]:
        return (self.rows, self.cols)

    def __len__(self) -> int:
        return self.output_shape[0] * self.rows.output * self.cols.output

    def index_of(self, channel: int, row: int, col: int) -> int:
        """The step number of output cell (channel, row, col)."""
        return (channel * self.rows.output + row) * self.cols.output + col

    def position(self, index: int) -> tuple[int, int, int]:
        """(channel, row, col) of step `index`."""
        if not 0 <= index < len(self):
            raise IndexError(f"step {index} is out of range (0–{len(self) - 1})")
        channel, rest = divmod(index, self.rows.output * self.cols.output)
        row, col = divmod(rest, self.cols.output)
        return channel, row, col

    def step(self, index: int) -> S:
        """Step `index` (0-based), built on demand."""
        raise NotImplementedError

    def steps(self, start: int = 0, stop: int | None = None) -> Iterator[S]:
        """Steps `start` … `stop - 1`, one at a time."""
        stop = len(self) if stop is None else min(stop, len(self))
        for index in range(start, stop):
            yield self.step(index)

    def __iter__(self) -> Iterator[S]:
        return self.steps()
