"""The Training tab's live view: the epoch's progress bar, three charts and the lecture's epoch log."""

from __future__ import annotations

import time
from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Log, Static

from cnn_tui.config import TRAINING_TAB_DEFAULTS
from cnn_tui.core.loss_series import SeriesPoints
from cnn_tui.i18n import tr
from cnn_tui.ml.events import BatchProgress, EpochResult
from cnn_tui.ui.localized import Localized
from cnn_tui.ui.widgets import training_text
from cnn_tui.ui.widgets.metric_chart import Line, MetricChart, line_colour


def batch_loss_lines(xs: Sequence[float], ys: Sequence[float]) -> list[Line]:
    return [Line("training.chart.smoothed_loss", tuple(xs), tuple(ys), line_colour(0))]


def epoch_lines(history: Sequence[EpochResult], metric: str) -> list[Line]:
    """Train and test `loss` or `accuracy` per epoch."""
    xs = tuple(float(r.epoch) for r in history)
    train = tuple(getattr(r, f"train_{metric}") for r in history)
    test = tuple(getattr(r, f"test_{metric}") for r in history)
    return [
        Line("training.chart.train", xs, train, line_colour(0)),
        Line("training.chart.test", xs, test, line_colour(1)),
    ]


class TrainingLive(Localized, Vertical):
    """Shows what the trainer reports; `reset` clears it for a new run."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.progress: BatchProgress | None = None
        self.series = SeriesPoints()
        self.history: list[EpochResult] = []
        self.epochs = 1
        self.notes: list[str] = []
        self.state = "idle"  # idle (no run yet), running, ended
        self._plotted = 0.0  # when the batch-loss chart was last redrawn

    def compose(self) -> ComposeResult:
        yield Static(id="live-progress")
        yield MetricChart("training.chart.batch_loss", id="chart-batch-loss")
        with Horizontal(id="live-epoch-charts"):
            yield MetricChart("training.chart.epoch_loss", id="chart-epoch-loss")
            yield MetricChart("training.chart.epoch_accuracy", unit_range=True, id="chart-epoch-accuracy")
        yield Static(id="live-log-title")
        yield Log(id="live-log", auto_scroll=True)

    def localize(self) -> None:
        self.query_one("#live-log-title", Static).update(tr("training.live.log_title"))
        self._draw_progress()

    def on_resize(self) -> None:
        self._draw_progress()

    def reset(self, epochs: int, notes: list[str], history: list[EpochResult] | None = None) -> None:
        """A new run (or a checkpoint's history): empty charts, the notes at the top of the log."""
        self.progress = None
        self.state = "running" if history is None else "ended"
        self.series = SeriesPoints()
        self.history = list(history or [])
        self.epochs = epochs
        self.notes = list(notes)
        log = self.query_one(Log)
        log.clear()
        log.write_lines([*self.notes, *(training_text.epoch_line(r) for r in self.history)])
        self._draw_progress()
        self.query_one("#chart-batch-loss", MetricChart).show([], epochs)
        self._draw_epochs()

    def show_batch(self, progress: BatchProgress, series: SeriesPoints) -> None:
        """The progress line every time; the chart at most every `chart_interval_s` and at each epoch's end."""
        self.progress = progress
        self.series = series
        self._draw_progress()
        now = time.monotonic()
        last = progress.batch == progress.batches
        if last or now - self._plotted >= TRAINING_TAB_DEFAULTS.chart_interval_s:
            self._plotted = now
            chart = self.query_one("#chart-batch-loss", MetricChart)
            chart.show(batch_loss_lines(series.xs, series.ys), self.epochs, live=not last)  # each epoch ends drawn at once

    def add_epoch(self, result: EpochResult) -> None:
        self.history.append(result)
        self.query_one(Log).write_line(training_text.epoch_line(result))
        self._draw_epochs()

    def ended(self) -> None:
        """The run is over: the progress line keeps its last numbers but no longer looks ahead."""
        self.state = "ended"
        self._draw_progress()

    def write(self, line: str) -> None:
        self.query_one(Log).write_line(line)

    def _draw_epochs(self) -> None:
        self.query_one("#chart-epoch-loss", MetricChart).show(epoch_lines(self.history, "loss"), self.epochs)
        self.query_one("#chart-epoch-accuracy", MetricChart).show(epoch_lines(self.history, "accuracy"), self.epochs)

    def _draw_progress(self) -> None:
        width = self.size.width or 80
        progress = training_text.progress_view(self.progress, width, self.state)
        self.query_one("#live-progress", Static).update(progress, layout=False)  # two lines, always
