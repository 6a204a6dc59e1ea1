"""The Training tab's live view: the epoch's progress bar, three charts and the lecture's epoch log."""

from __future__ import annotations

import time
from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.widgets import Log, Static

from cnn_tui.config import TRAINING_TAB_DEFAULTS
from cnn_tui.core.loss_series import SeriesPoints
from cnn_tui.i18n import language, tr
from cnn_tui.ml.events import BatchProgress, EpochResult
from cnn_tui.ui.localized import Localized
from cnn_tui.ui.reactives import set_together
from cnn_tui.render import training_text
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

    progress: var[BatchProgress | None] = var(None, init=False)
    state: var[str] = var("idle", init=False)
    """idle (no run yet), running, ended."""
    history: var[tuple[EpochResult, ...]] = var((), init=False)
    epochs: var[int] = var(1, init=False)
    lang: var[str] = var("", init=False)
    area_width: var[int] = var(0, init=False)

    # Each part is drawn by the watcher of a computed reactive: the state it shows, drawn again when that changes.
    progress_part: var[tuple[object, ...]] = var((), init=False)
    epochs_part: var[tuple[object, ...]] = var((), init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.series = SeriesPoints()
        self.notes: list[str] = []
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
        self.lang = language()

    def on_resize(self) -> None:
        self.area_width = self.size.width

    def compute_progress_part(self) -> tuple[object, ...]:
        return (self.lang, self.progress, self.state, self.area_width)

    def compute_epochs_part(self) -> tuple[object, ...]:
        return (self.state == "idle", self.history, self.epochs)

    def reset(self, epochs: int, notes: list[str], history: list[EpochResult] | None = None) -> None:
        """A new run (or a checkpoint's history): empty charts, the notes at the top of the log."""
        self.series = SeriesPoints()
        self.notes = list(notes)
        log = self.query_one(Log)
        log.clear()
        log.write_lines([*self.notes, *(training_text.epoch_line(r) for r in history or ())])
        self.query_one("#chart-batch-loss", MetricChart).show([], epochs)
        state = "running" if history is None else "ended"
        set_together(self, progress=None, state=state, history=tuple(history or ()), epochs=epochs)

    def show_batch(self, progress: BatchProgress, series: SeriesPoints) -> None:
        """The progress line every time; the chart at most every `chart_interval_s` and at each epoch's end."""
        self.series = series
        self.progress = progress
        now = time.monotonic()
        last = progress.batch == progress.batches
        if last or now - self._plotted >= TRAINING_TAB_DEFAULTS.chart_interval_s:
            self._plotted = now
            chart = self.query_one("#chart-batch-loss", MetricChart)
            chart.show(batch_loss_lines(series.xs, series.ys), self.epochs, live=not last)  # each epoch ends drawn at once

    def add_epoch(self, result: EpochResult) -> None:
        self.query_one(Log).write_line(training_text.epoch_line(result))
        self.history = (*self.history, result)

    def ended(self) -> None:
        """The run is over: the progress line keeps its last numbers but no longer looks ahead."""
        self.state = "ended"

    def write(self, line: str) -> None:
        self.query_one(Log).write_line(line)

    def watch_epochs_part(self) -> None:
        if self.state == "idle":  # the charts stay empty until the first run or history
            return
        self.query_one("#chart-epoch-loss", MetricChart).show(epoch_lines(self.history, "loss"), self.epochs)
        self.query_one("#chart-epoch-accuracy", MetricChart).show(epoch_lines(self.history, "accuracy"), self.epochs)

    def watch_progress_part(self) -> None:
        if not self.lang:  # not mounted yet: Localized.on_mount sets it
            return
        width = self.size.width or 80
        progress = training_text.progress_view(self.progress, width, self.state)
        self.query_one("#live-progress", Static).update(progress, layout=False)  # two lines, always
