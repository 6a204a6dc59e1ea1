"""Messages the Feature maps tab's workers post back to the tab and its learned-network view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from cnn_tui.core.images import LoadedImage

if TYPE_CHECKING:
    from cnn_tui.ml.feature_maps import FeatureMapResult
    from cnn_tui.ml.learned_maps import LearnedModel, LearnedResult, SampleImages


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


@dataclass
class LearnedLoaded(Message):
    """The trained network and sample images were read (`samples` None: no test images here)."""

    request: int
    learned: LearnedModel
    samples: SampleImages | None
    weights: dict  # layer name -> (weight, bias) numpy


@dataclass
class LearnedMissing(Message):
    """No usable checkpoint: `reason` is None when the file does not exist, else the error saying what is
    wrong with it (shown with `describe`, in the language of the moment)."""

    request: int
    path: str
    reason: Exception | None


@dataclass
class LearnedReady(Message):
    """One image went through the trained network."""

    request: int
    index: int
    result: LearnedResult
