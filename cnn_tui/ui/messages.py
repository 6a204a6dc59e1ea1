"""The app-wide messages (requests up to the app, its announcements to every tab) and workers' reports to a tab.

Requests bubble from the widget that posts them to the app, which alone changes `LabState`.
Announcements are posted by the app to each built tab's content (they do not bubble back up);
a tab built later reads the same facts from the state it is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from torch import nn

    from cnn_tui.core.images import LoadedImage
    from cnn_tui.core.loss_series import SeriesPoints
    from cnn_tui.core.step_lab import ConvLab, PoolLab
    from cnn_tui.i18n import LocalizedError
    from cnn_tui.ml.attribution import ImageExplanation
    from cnn_tui.ml.channel_patches import ChannelPatches
    from cnn_tui.ml.checkpoints import CheckpointMeta
    from cnn_tui.ml.dataset import Dataset
    from cnn_tui.ml.events import BatchProgress, EpochResult
    from cnn_tui.ml.feature_maps import FeatureMapResult
    from cnn_tui.ml.inner_histograms import InnerSnapshot
    from cnn_tui.ml.run_report import RunReport
    from cnn_tui.ml.source_state import SourceState
    from cnn_tui.ml.unit_field import UnitField
    from cnn_tui.ui.state import CurrentImage

# -- requests: a tab asks the app ------------------------------------------------------------


@dataclass
class OpenImage(Message):
    """Make a file or a built-in image ("test", "black", "white") the current image (decoded in the app's worker)."""

    source: str | Path
    announce: bool = True  # notify the learner of notes such as "large image"


@dataclass
class UseImage(Message):
    """Make an image that is already decoded (a CIFAR-10 test image, say) the current image."""

    image: LoadedImage
    source: str


@dataclass
class PointAt(Message):
    """The learner's point on the current image moved (the Pixels cursor)."""

    row: int
    col: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, PointAt)


@dataclass
class UseCheckpoint(Message):
    """Make this checkpoint the active network (it was just trained, saved or loaded)."""

    path: Path


@dataclass
class UseData(Message):
    """The Training tab's data setting changed ("cifar10", "synthetic" or a path)."""

    data: str


@dataclass
class UseNetwork(Message):
    """The learner saved a network in the Model tab's editor: train it (`path/to/my_network.py:ClassName`)."""

    model: str


@dataclass
class GoTo(Message):
    """Show a tab and then run one of its actions (a link along the journey), e.g. GoTo("convolution", "image_crop(1)")."""

    tab: str
    action: str | None = None


# -- announcements: the app tells every tab ---------------------------------------------------


@dataclass
class ImageChanged(Message, bubble=False):
    """The current image changed."""

    image: CurrentImage


@dataclass
class ImageFailed(Message, bubble=False):
    """An image could not be opened; the current image stays. `reason` is in the current language."""

    name: str
    reason: str


@dataclass
class CheckpointChanged(Message, bubble=False):
    """The active checkpoint changed."""

    path: Path


@dataclass
class DataChanged(Message, bubble=False):
    """The data setting changed."""

    data: str


@dataclass
class NetworkChanged(Message, bubble=False):
    """The learner's own network (saved in the editor) changed: the Training tab offers it and trains it next."""

    model: str


@dataclass
class ShowInLab(Message):
    """Open the Convolution or Pooling tab on this lab, stepped to this output cell (an exercise, step by step)."""

    tab: str
    lab: ConvLab | PoolLab
    cell: tuple[int, int, int]


# -- a unit's field (the field view in Predict and Feature maps) and a channel's top patches (their screen) 


@dataclass
class FieldReady(Message):
    """The receptive and effective field of the unit under a cursor (`found` a UnitField, or the LocalizedError
    that says why the unit has none)."""

    request: int
    found: UnitField | Exception


@dataclass
class PatchesProgress(Message):
    """How far the pass over the test images has come."""

    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, PatchesProgress)


@dataclass
class PatchesReady(Message):
    """A channel's top patches (a TopPatchesFound), or `problem`: why there are none (a LocalizedError)."""

    found: ChannelPatches | None = None
    problem: LocalizedError | None = None

# -- the Training tab's job reports to the tab (the frequent ones replaceable, so a fast trainer cannot flood the queue) 


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


@dataclass
class InnerUpdate(Message):
    """Training's inner numbers now: per layer the norms and histograms of weights and gradients (an InnerSnapshot)."""

    run_id: int
    snapshot: InnerSnapshot

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, InnerUpdate) and message.run_id == self.run_id

# -- the Feature maps tab's workers report to the tab --------------------------------------------


@dataclass
class SourceImageReady(Message):
    """The image to convolve is ready (posted before torch is imported, so it shows at once):
    `source` as given, `image` the one convolved (`source` shrunk by `factor` when it is very large)."""

    request: int
    source: LoadedImage
    image: LoadedImage
    factor: int


@dataclass
class MapsReady(Message):
    """A run of the pipeline finished; `seconds` is its compute time (torch import not included)."""

    request: int
    result: FeatureMapResult
    seconds: float


@dataclass
class MapsFailed(Message):
    """A run could not be done: the settings break a FeatureSettingsError rule."""

    request: int
    error: Exception

# -- the Predict tab's workers report to the tab -------------------------------------------------


@dataclass
class NetworkRead(Message):
    """The active checkpoint was read: the model (used only in the tab's workers), its metadata and conv layers."""

    request: int
    model: nn.Module
    meta: CheckpointMeta
    layers: list[str]
    changed: bool  # an own model's file differs from the one it was trained with


@dataclass
class NetworkMissing(Message):
    """No usable network at `path`; `reason` is None when there is no file at all, else the error (shown
    with `describe`, in the language of the moment)."""

    request: int
    path: str
    reason: Exception | None


@dataclass
class Explained(Message):
    """An image through the network, with Grad-CAM at one layer and saliency for one class."""

    request: int
    result: ImageExplanation
