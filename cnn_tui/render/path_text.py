"""A file path that wraps after its slashes ("models/" then "image_classification.pth"), not inside a name."""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

_AFTER_SLASH = re.compile(r"(?<=/)")


class PathText:
    """`path` in as many lines as the width needs, broken after a slash; a single name wider than the width is
    folded (there is nothing better to do)."""

    def __init__(self, path: str, style: str = "") -> None:
        self.path = path
        self.style = style

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        parts = [part for part in _AFTER_SLASH.split(self.path) if part]
        return Measurement(max((cell_len(part) for part in parts), default=0), cell_len(self.path))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines: list[str] = []
        for part in _AFTER_SLASH.split(self.path):
            if lines and cell_len(lines[-1] + part) <= options.max_width:
                lines[-1] += part
            elif part or not lines:
                lines.append(part)
        yield Text("\n".join(lines), style=self.style, overflow="fold")
