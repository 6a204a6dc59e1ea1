"""Messages of the views of what each neuron looks for: a unit's field, a channel's top patches, training's inner numbers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from cnn_tui.i18n import LocalizedError
    from cnn_tui.ml.channel_patches import ChannelPatches
    from cnn_tui.ml.inner_histograms import InnerSnapshot
    from cnn_tui.ml.unit_field import UnitField


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


@dataclass
class InnerUpdate(Message):
    """Training's inner numbers now: per layer the norms and histograms of weights and gradients (an InnerSnapshot)."""

    run_id: int
    snapshot: InnerSnapshot

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, InnerUpdate) and message.run_id == self.run_id
