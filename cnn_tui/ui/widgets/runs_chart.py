"""One chart of several runs overlaid (textual-plotext): a metric against epochs, one colour per run, with a legend.

The chart owns its `plt` (never plotext's module-level state) and keeps its curves, so a
language switch can redraw the title and axis label without the data being sent again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual_plotext import PlotextPlot

from cnn_tui.i18n import tr
from cnn_tui.ui.localized import Localized

# Plotext colour names, one per run by its rank in the list. Plotext draws them as the terminal's 16 ANSI
# colours (its "orange" is ANSI yellow), so Rich text uses the same ANSI colours: ANSI_COLOURS.
PALETTE = ("cyan", "orange", "green", "magenta", "blue+", "red", "cyan+", "green+")
ANSI_COLOURS = {
    "cyan": "cyan",
    "orange": "yellow",
    "green": "green",
    "magenta": "magenta",
    "blue+": "bright_blue",
    "red": "red",
    "cyan+": "bright_cyan",
    "green+": "bright_green",
}


def run_colour(rank: int) -> str:
    """The plotext colour of the run ranked `rank` (0 = best)."""
    return PALETTE[rank % len(PALETTE)]


def rich_colour(colour: str) -> str:
    """The Rich style of a plotext colour (a standard ANSI colour name)."""
    return ANSI_COLOURS[colour]


def textual_colour(colour: str) -> str:
    """The Textual Content style of a plotext colour (`ansi_…`, so the terminal's palette applies as in the chart)."""
    return "ansi_" + ANSI_COLOURS[colour]


@dataclass(frozen=True)
class Curve:
    """One run's line: legend text, epochs, values and colour."""

    label: str
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    colour: str


class RunsChart(Localized, PlotextPlot):
    """Curves of several runs against epochs; `unit_range` fixes y to 0..1 (accuracy)."""

    def __init__(self, title_key: str, *, unit_range: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title_key = title_key
        self.unit_range = unit_range
        self.curves: tuple[Curve, ...] = ()
        self.metric_key = "runs.metric.test"
        self.title_text = ""

    def show(self, curves: Sequence[Curve], metric_key: str) -> None:
        """Replace the curves (and which metric they are, test or train) and redraw."""
        self.curves = tuple(curves)
        self.metric_key = metric_key
        self._replot()

    def localize(self) -> None:
        self._replot()

    def _replot(self) -> None:
        plt = self.plt
        plt.clear_data()
        self.title_text = tr(self.title_key, metric=tr(self.metric_key))
        plt.title(self.title_text)
        plt.xlabel(tr("runs.chart.epoch"))
        epochs = max((int(max(c.xs)) for c in self.curves if c.xs), default=1)
        plt.xlim(1 if epochs > 1 else 0, max(epochs, 1))
        plt.xticks(list(range(1, epochs + 1)) if epochs <= 12 else None)
        if self.unit_range:
            plt.ylim(0, 1)
            plt.yticks([0, 0.25, 0.5, 0.75, 1])
        for curve in self.curves:
            if curve.xs:
                marker = "braille" if len(curve.xs) > 1 else "dot"
                plt.plot(list(curve.xs), list(curve.ys), label=curve.label, color=curve.colour, marker=marker)
        self.refresh()
