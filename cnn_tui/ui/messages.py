"""The app-wide messages: requests that tabs post up to the app, and the app's announcements to every tab.

Requests bubble from the widget that posts them to the app, which alone changes `LabState`.
Announcements are posted by the app to each built tab's content (they do not bubble back up);
a tab built later reads the same facts from the state it is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from cnn_tui.core.images import LoadedImage
    from cnn_tui.core.step_lab import ConvLab, PoolLab
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
