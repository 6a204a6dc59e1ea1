"""Messages the Predict tab's workers post back to it: the network read (or not), an image explained."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from cnn_tui.ml.attribution import ImageExplanation


class NetworkRead(Message):
    """The active checkpoint was read: the model (used only in the tab's workers), its metadata and conv layers."""

    def __init__(self, request: int, model: Any, meta: Any, layers: list[str], changed: bool) -> None:
        super().__init__()
        self.request = request
        self.model = model
        self.meta = meta
        self.layers = layers
        self.changed = changed  # an own model's file differs from the one it was trained with


class NetworkMissing(Message):
    """No usable network at `path`; `reason` is None when there is no file at all."""

    def __init__(self, request: int, path: str, reason: str | None) -> None:
        super().__init__()
        self.request = request
        self.path = path
        self.reason = reason


class Explained(Message):
    """An image through the network, with Grad-CAM at `layer` and saliency for one class."""

    def __init__(self, request: int, result: ImageExplanation) -> None:
        super().__init__()
        self.request = request
        self.result = result
