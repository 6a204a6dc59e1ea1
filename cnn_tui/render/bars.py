"""Horizontal bars for values in [0, 1], drawn with eighth blocks: accuracy per class, top-k probabilities."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, RenderResult
from rich.cells import cell_len, set_cell_size
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style

from cnn_tui.render.safe_text import safe_text

EIGHTHS = " ▏▎▍▌▋▊▉"
FULL = "█"
TRACK = "·"


def bar_text(value: float, width: int) -> str:
    """`value` (clipped to [0, 1]) as a bar `width` cells long, to the nearest eighth of a cell, padded with spaces."""
    value = min(max(value, 0.0), 1.0)
    eighths = round(value * width * 8)
    full, part = divmod(eighths, 8)
    text = FULL * full + (EIGHTHS[part] if part else "")
    return text + " " * (width - len(text))


@dataclass(frozen=True)
class BarRow:
    """One bar: its label, its value in [0, 1], the value as text, and its colour."""

    label: str
    value: float
    text: str
    style: Style = Style(color="green")
    label_style: Style = Style()


class Bars:
    """Rows of `label  ████▌      text`, the labels and texts aligned; bars fill the width given."""

    def __init__(self, rows: Sequence[BarRow], bar_width: int | None = None) -> None:
        self.rows = tuple(BarRow(safe_text(r.label), r.value, r.text, r.style, r.label_style) for r in rows)
        self.bar_width = bar_width
        self.label_width = max((cell_len(r.label) for r in self.rows), default=0)
        self.text_width = max((len(r.text) for r in self.rows), default=0)

    def _bar_width(self, width: int) -> int:
        if self.bar_width is not None:
            return self.bar_width
        return max(4, width - self.label_width - self.text_width - 2)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        fixed = self.label_width + self.text_width + 2
        if self.bar_width is not None:
            return Measurement(fixed + self.bar_width, fixed + self.bar_width)
        return Measurement(fixed + 4, options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = self._bar_width(options.max_width)
        track = Style(dim=True)
        for row in self.rows:
            bar = bar_text(row.value, width)
            filled = bar.rstrip(" ")
            yield Segment(set_cell_size(row.label, self.label_width) + " ", row.label_style)
            yield Segment(filled, row.style)
            yield Segment(" " * (width - len(filled)), track)
            yield Segment(f" {row.text:>{self.text_width}}")
            yield Segment.line()
