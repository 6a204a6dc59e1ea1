"""Messages the Training tab's workers post back to the tab: small dataclasses, the frequent one replaceable.

Workers only ever call `post_message` with these; the tab turns them into widget updates on the
event loop. `BatchUpdate` may replace an older queued `BatchUpdate` of the same run, so a fast
trainer cannot flood the queue (and the job already sends at most about ten a second).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

from cnn_tui.core.loss_series import SeriesPoints
from cnn_tui.ml.events import BatchProgress, EpochResult

if TYPE_CHECKING:
    from cnn_tui.ml.dataset import Dataset
    from cnn_tui.ml.run_report import RunReport
    from cnn_tui.ml.source_state import SourceState


@dataclass
class Capabilities(Message):
    """What the ml layer offers: model names with one-line descriptions, and optimisers."""

    models: dict[str, str]
    optimizers: tuple[str, ...]


@dataclass
class SourceChecked(Message):
    """The state of the data source a settings value names (found, cached, missing, built in)."""

    data: str
    state: SourceState


@dataclass
class JobStatus(Message):
    """A step of a run outside training (reading, decoding, caching the data); `phase` testing: the report.
    `text` is the ml layer's note (an i18n.Phrase, shown with describe in the language of the moment)."""

    run_id: int
    text: object
    phase: str = ""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, JobStatus) and message.run_id == self.run_id


@dataclass(kw_only=True)
class RunStarted(Message):
    """Data loaded and model built: training begins now."""

    run_id: int
    data_key: tuple[str, str]
    data: Dataset  # before any subset, kept by the tab for the next run
    facts: list[str]
    parameters: int
    device: str
    threads: int
    epochs: int
    batches: int


@dataclass
class BatchUpdate(Message):
    """The running epoch's numbers and the smoothed batch-loss curve so far."""

    run_id: int
    progress: BatchProgress
    series: SeriesPoints

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, BatchUpdate) and message.run_id == self.run_id


@dataclass
class EpochDone(Message):
    """An epoch finished and was tested (and saved to the run's checkpoint)."""

    run_id: int
    result: EpochResult


@dataclass
class CheckpointSaved(Message):
    """A checkpoint was written on request (`error` set when writing failed)."""

    path: str
    epoch: int
    batch: int
    error: str = ""


@dataclass(kw_only=True)
class RunEnded(Message):
    """Training ended: finished, stopped or diverged; `report` is the test set's results (None when quitting).

    The report is of the saved checkpoint's weights (a stop mid-epoch goes back to them); only when no
    epoch was saved is it of the unsaved weights, and `unsaved` then says where they stopped (epoch, batch)."""

    run_id: int
    status: str
    reason: object  # the trainer's Phrase (or "" / a plain text), shown with describe
    epochs_done: int
    checkpoint: str
    report: RunReport | None = None
    unsaved: tuple[int, int] | None = None


@dataclass
class RunFailed(Message):
    """A run or a checkpoint evaluation could not be done; `reason` says why: a user-fixable problem (an error
    shown with describe, in the language of the moment) or the text of an unexpected error."""

    run_id: int
    reason: Exception | str


@dataclass(kw_only=True)
class ReportReady(Message):
    """The results of a saved checkpoint, with its per-epoch history."""

    run_id: int
    checkpoint: str
    report: RunReport
    history: tuple[EpochResult, ...] = field(default_factory=tuple)
    epoch: int = 0
