"""Messages of the views of what each neuron looks for: a unit's field, a channel's top patches, training's inner numbers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class FieldReady(Message):
    """The receptive and effective field of the unit under a cursor (`found` a UnitField, or the LocalizedError
    that says why the unit has none)."""

    request: int
    found: Any


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

    found: Any = None
    problem: Any = None


@dataclass
class InnerUpdate(Message):
    """Training's inner numbers now: per layer the norms and histograms of weights and gradients (an InnerSnapshot)."""

    run_id: int
    snapshot: Any

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, InnerUpdate) and message.run_id == self.run_id
