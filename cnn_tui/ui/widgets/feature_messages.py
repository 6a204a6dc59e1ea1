"""Messages the Feature maps tab's workers post back to the tab and its learned-network view."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from cnn_tui.core.images import LoadedImage

if TYPE_CHECKING:
    from cnn_tui.ml.feature_maps import FeatureMapResult
    from cnn_tui.ml.learned_maps import LearnedModel, LearnedResult, SampleImages


class SourceImageReady(Message):
    """The image to convolve is ready (posted before torch is imported, so it shows at once):
    `source` as given, `image` the one convolved (`source` shrunk by `factor` when it is very large)."""

    def __init__(self, request: int, source: LoadedImage, image: LoadedImage, factor: int) -> None:
        super().__init__()
        self.request = request
        self.source = source
        self.image = image
        self.factor = factor


class MapsReady(Message):
    """A run of the pipeline finished; `seconds` is its compute time (torch import not included)."""

    def __init__(self, request: int, result: FeatureMapResult, seconds: float) -> None:
        super().__init__()
        self.request = request
        self.result = result
        self.seconds = seconds


class MapsFailed(Message):
    """A run could not be done: the settings break a FeatureSettingsError rule."""

    def __init__(self, request: int, error: Exception) -> None:
        super().__init__()
        self.request = request
        self.error = error


class LearnedLoaded(Message):
    """The trained network and sample images were read (`samples` None: no test images here)."""

    def __init__(self, request: int, learned: LearnedModel, samples: SampleImages | None, weights: dict) -> None:
        super().__init__()
        self.request = request
        self.learned = learned
        self.samples = samples
        self.weights = weights  # layer name -> (weight, bias) numpy


class LearnedMissing(Message):
    """No usable checkpoint: `reason` is None when the file does not exist, else what is wrong with it."""

    def __init__(self, request: int, path: str, reason: str | None) -> None:
        super().__init__()
        self.request = request
        self.path = path
        self.reason = reason


class LearnedReady(Message):
    """One image went through the trained network."""

    def __init__(self, request: int, index: int, result: LearnedResult) -> None:
        super().__init__()
        self.request = request
        self.index = index
        self.result = result
