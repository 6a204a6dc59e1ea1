"""Live charts of a run (textual-plotext): the smoothed batch loss, and train/test loss and accuracy per epoch.

Each chart owns its own `plt` (never plotext's module-level state). A chart keeps its data;
`show(...)` replots inside the app's `batch_update()` and refreshes only that widget. Titles,
axis labels and legends follow the app's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual_plotext import PlotextPlot

from cnn_tui.i18n import tr
from cnn_tui.ui.localized import Localized

TRAIN_COLOUR = "cyan"
TEST_COLOUR = "orange"
LEGEND_ROOM = 0.6  # headroom above a loss curve, as a share of its range


@dataclass(frozen=True)
class Line:
    """One curve: its legend's catalogue key, points and colour."""

    label_key: str
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    colour: str


class MetricChart(Localized, PlotextPlot):
    """A titled chart of one or more lines against epochs."""

    def __init__(self, title_key: str, *, unit_range: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title_key = title_key
        self.unit_range = unit_range  # accuracy: y from 0 to 1
        self.lines: tuple[Line, ...] = ()
        self.epochs = 1

    def show(self, lines: Sequence[Line], epochs: int) -> None:
        """Replace the chart's data and redraw it."""
        self.lines = tuple(lines)
        self.epochs = max(1, epochs)
        self._replot()

    def localize(self) -> None:
        self._replot()

    def y_range(self) -> tuple[float | None, float | None]:
        """Room above the data for the legend (plotext draws it in the top-left corner, where losses start)."""
        values = [y for line in self.lines for y in line.ys]
        if not values:
            return None, None
        low, high = min(values), max(values)
        span = max(high - low, 1e-3)
        return low - 0.05 * span, high + LEGEND_ROOM * span

    def _replot(self) -> None:
        with self.app.batch_update():
            plt = self.plt
            plt.clear_data()
            plt.title(tr(self.title_key))
            plt.xlabel(tr("training.chart.epoch"))
            plt.xlim(0, self.epochs)
            if self.epochs <= 12:
                plt.xticks(list(range(0, self.epochs + 1)))
            else:
                plt.xticks(None)
            if self.unit_range:
                plt.ylim(0, 1)
                plt.yticks([0, 0.25, 0.5, 0.75, 1])
            else:
                plt.ylim(*self.y_range())
            for line in self.lines:
                if line.xs:
                    plt.plot(list(line.xs), list(line.ys), label=tr(line.label_key), color=line.colour, marker="braille")
            self.refresh()


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
