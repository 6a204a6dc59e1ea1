"""A colour scale's legend: a bar of its colours from low to high, with the values under it."""

from __future__ import annotations

import numpy as np
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment

from cnn_tui.core.colormap import ColourScale
from cnn_tui.render.cell_styles import NO_COLOUR, SHARED_STYLES, StyleCache, pack_rgb


def short_number(value: float) -> str:
    """A value in at most 5 significant digits, no trailing zeros, no `-0`: 250.47, −1020, 0.0312."""
    text = f"{value:.5g}"
    if text in ("-0", "0"):
        return "0"
    return text.replace("-", "−")


class ColourBar:
    """`width` cells coloured from the scale's low to its high value, then low / middle / high under them."""

    def __init__(self, scale: ColourScale, width: int = 24, styles: StyleCache = SHARED_STYLES) -> None:
        if width < 3:
            raise ValueError(f"a colour bar needs at least 3 cells, got {width}")
        self.scale = scale
        self.width = width
        self.styles = styles

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.width, self.width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from cnn_tui.core.colormap import colourize

        values = np.linspace(self.scale.low, self.scale.high, self.width)[None, :]
        packed = pack_rgb(colourize(values, self.scale))[0].tolist()
        for colour in packed:
            yield Segment(" ", self.styles.style(NO_COLOUR, colour))
        yield Segment.line()
        low, middle, high = (short_number(v) for v in (self.scale.low, self.scale.middle, self.scale.high))
        line = [" "] * self.width
        centre = max(cell_len(low) + 1, (self.width - cell_len(middle)) // 2)
        for start, text in ((0, low), (centre, middle), (self.width - cell_len(high), high)):
            for offset, char in enumerate(text):
                if 0 <= start + offset < self.width:
                    line[start + offset] = char
        yield Segment("".join(line))
        yield Segment.line()
