"""What the network sees, drawn with Rich: a heat map blended over the 32×32 input, with its colour scale.

`heat_panel(pixels, values, title, note)` stacks a title, the blended image in half blocks (one
pixel per half cell, `cnn_tui.render.halfblock`) and a `ColourBar` of the stated scale: viridis
from 0 to the map's largest value (`cnn_tui.core.heatmap.heat_scale`). `top_bars` draws the top
classes' probabilities as bars.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rich.console import Group, RenderableType
from rich.style import Style
from rich.text import Text

from cnn_tui.core.heatmap import blend, heat_scale
from cnn_tui.render.bars import BarRow, Bars
from cnn_tui.render.colour_legend import ColourBar
from cnn_tui.render.halfblock import HalfBlockImage

TOP_STYLE = Style(color="green", bold=True)
OTHER_STYLE = Style(color="green")
CHOSEN_LABEL = Style(bold=True, reverse=True)


def heat_panel(pixels: np.ndarray, values: np.ndarray, title: str, note: str = "") -> RenderableType:
    """Title, `values` blended over `pixels` (H×W×3 uint8; the map is resized to H×W), the colour bar, a note."""
    scale = heat_scale(values)
    width = int(pixels.shape[1])
    parts: list[RenderableType] = [Text(title, "bold"), HalfBlockImage(blend(pixels, values, scale))]
    parts.append(ColourBar(scale, width=max(width, 3)))
    if note:
        parts.append(Text(note, "dim"))
    return Group(*parts)


def top_bars(
    rows: Sequence[tuple[str, float]], *, chosen: int | None = None, bar_width: int | None = None
) -> RenderableType:
    """(class name, probability) rows, most likely first, as bars with percentages; row `chosen` highlighted."""
    bars = [
        BarRow(
            label=name,
            value=probability,
            text=f"{probability:6.1%}",
            style=TOP_STYLE if index == 0 else OTHER_STYLE,
            label_style=CHOSEN_LABEL if index == chosen else Style(),
        )
        for index, (name, probability) in enumerate(rows)
    ]
    return Bars(bars, bar_width=bar_width)
