"""Messages the Predict tab's workers post back to it: the network read (or not), an image explained."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from torch import nn

    from cnn_tui.ml.checkpoints import CheckpointMeta
    from cnn_tui.ml.attribution import ImageExplanation


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
