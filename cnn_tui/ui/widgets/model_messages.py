"""Messages the Model tab's worker posts back: a model's description, or why it could not be built."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from cnn_tui.ml.layer_chain import ChainStep
    from cnn_tui.ml.summary import ModelSummary


@dataclass
class ModelDescribed(Message):
    """Everything the tab shows about one model, built in a worker (torch)."""

    name: str
    models: dict[str, str]  # every model the ml layer offers, with its one-line description
    summary: ModelSummary
    chain: list[ChainStep]
    code: str
    fields: list[tuple[str, tuple[int, int], tuple[int, int]]] = field(default_factory=list)  # layer, receptive field, jump


@dataclass
class ModelFailed(Message):
    """The model could not be built; `error` says why (shown with `describe`, in the language of the moment)."""

    name: str
    error: Exception


@dataclass
class ActiveNetworkRead(Message):
    """What the active checkpoint holds (its model, epoch and last test accuracy), or why it holds nothing."""

    path: str
    model: str = ""  # empty: no usable checkpoint there (see `problem`)
    epoch: int = 0
    accuracy: float | None = None
    problem: Exception | None = None  # why the file there holds no usable network
