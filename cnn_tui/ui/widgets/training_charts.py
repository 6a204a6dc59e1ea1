"""Live charts of a run (textual-plotext): the smoothed batch loss, and train/test loss and accuracy per epoch.

Each chart owns its own `plt` (never plotext's module-level state). A chart keeps its data;
`show(...)` replots inside the app's `batch_update()` and refreshes only that widget. The title,
legend and x-axis name are a Rich line above the plot, not plotext text: plotext counts
characters, not cells, so Chinese labels inside it would shift the plot's rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

from cnn_tui.i18n import tr
from cnn_tui.ui.localized import Localized

# plotext's colour names; the legend draws the same terminal colours with Rich (plotext's orange is ANSI yellow).
TRAIN_COLOUR = "cyan"
TEST_COLOUR = "orange"
LEGEND_COLOURS = {"cyan": "cyan", "orange": "yellow"}
MARGIN = 0.05  # room above and below a loss curve, as a share of its range


@dataclass(frozen=True)
class Line:
    """One curve: its legend's catalogue key, points and colour."""

    label_key: str
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    colour: str


class MetricChart(Localized, Vertical):
    """A header line (title, legend, x axis) over a plot of one or more lines against epochs."""

    def __init__(self, title_key: str, *, unit_range: bool = False, id: str | None = None) -> None:
        super().__init__(id=id, classes="metric-chart")
        self.title_key = title_key
        self.unit_range = unit_range  # accuracy: y from 0 to 1
        self.lines: tuple[Line, ...] = ()
        self.epochs = 1

    def compose(self) -> ComposeResult:
        yield Static(classes="chart-header")
        yield PlotextPlot(classes="chart-plot")

    @property
    def plt(self):  # noqa: ANN201 - textual_plotext's Plot
        return self.query_one(PlotextPlot).plt

    def show(self, lines: Sequence[Line], epochs: int) -> None:
        """Replace the chart's data and redraw it."""
        self.lines = tuple(lines)
        self.epochs = max(1, epochs)
        self._replot()

    def localize(self) -> None:
        self._replot()

    def on_resize(self) -> None:
        self.query_one(".chart-header", Static).update(self.header(), layout=False)

    def header(self) -> Text:
        text = Text(tr(self.title_key), "bold")
        for line in self.lines or ():
            text.append("   ━━ ", LEGEND_COLOURS.get(line.colour, line.colour))
            text.append(tr(line.label_key))
        note = "   " + tr("training.chart.x_axis")
        if text.cell_len + Text(note).cell_len <= (self.size.width or 200):  # only where it fits whole
            text.append(note, "dim")
        return text

    def y_range(self) -> tuple[float | None, float | None]:
        if self.unit_range:
            return 0.0, 1.0
        values = [y for line in self.lines for y in line.ys]
        if not values:
            return None, None
        low, high = min(values), max(values)
        span = max(high - low, 1e-3)
        return low - MARGIN * span, high + MARGIN * span

    def _replot(self) -> None:
        with self.app.batch_update():
            self.query_one(".chart-header", Static).update(self.header(), layout=False)
            plt = self.plt
            plt.clear_data()
            plt.xlim(0, self.epochs)
            plt.xticks(list(range(0, self.epochs + 1)) if self.epochs <= 12 else None)
            plt.ylim(*self.y_range())
            if self.unit_range:
                plt.yticks([0, 0.25, 0.5, 0.75, 1])
            for line in self.lines:
                if line.xs:
                    plt.plot(list(line.xs), list(line.ys), color=line.colour, marker="braille")
            self.query_one(PlotextPlot).refresh()


def batch_loss_lines(xs: Sequence[float], ys: Sequence[float]) -> list[Line]:
    return [Line("training.chart.smoothed_loss", tuple(xs), tuple(ys), TRAIN_COLOUR)]


def epoch_lines(history: Sequence, metric: str) -> list[Line]:
    """Train and test `loss` or `accuracy` per epoch, from EpochResults."""
    xs = tuple(float(r.epoch) for r in history)
    train = tuple(getattr(r, f"train_{metric}") for r in history)
    test = tuple(getattr(r, f"test_{metric}") for r in history)
    return [
        Line("training.chart.train", xs, train, TRAIN_COLOUR),
        Line("training.chart.test", xs, test, TEST_COLOUR),
    ]
