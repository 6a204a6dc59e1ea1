"""A Rich Text broken into lines the way Chinese is set (render.cjk_wrap), at whatever width it is drawn in."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from cnn_tui.render.cjk_wrap import wrap


class CjkText:
    """`text` (its styles kept) wrapped by cell width with breaks between Chinese characters and at spaces,
    never before closing punctuation or inside a formula; Rich and Textual break only at spaces, so mixed
    Chinese and English ran a whole "ImageClassification：卷积层" onto the next line or cut "感受野与⏎/步距"."""

    def __init__(self, text: Text | str, style: str = "") -> None:
        self.text = text if isinstance(text, Text) else Text(text, style)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((cell_len(line) for line in self.text.plain.split("\n")), default=0)
        return Measurement(min(widest, 1), widest)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in wrap(self.text.plain, max(1, options.max_width)):
            piece = Text(" " * line.indent, end="\n", no_wrap=True, overflow="ignore")
            piece.append_text(self.text[line.start : line.end])
            yield piece
