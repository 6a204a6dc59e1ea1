"""Messages the Feature maps tab's worker posts back to the tab (small dataclass-like Messages)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from cnn_tui.core.images import LoadedImage

if TYPE_CHECKING:
    from cnn_tui.ml.feature_maps import FeatureMapResult


class SourceImageReady(Message):
    """The image to convolve was read (before torch is imported, so it can be shown at once)."""

    def __init__(self, request: int, image: LoadedImage) -> None:
        super().__init__()
        self.request = request
        self.image = image


class MapsReady(Message):
    """A run of the pipeline finished; `seconds` is its compute time (torch import not included)."""

    def __init__(self, request: int, result: FeatureMapResult, seconds: float) -> None:
        super().__init__()
        self.request = request
        self.result = result
        self.seconds = seconds


class MapsFailed(Message):
    """A run could not be done: a FeatureSettingsError, or an ImageLoadError for `image_name`."""

    def __init__(self, request: int, error: Exception, image_name: str = "") -> None:
        super().__init__()
        self.request = request
        self.error = error
        self.image_name = image_name
