"""A model ready to train with everything its checkpoint and its run record will hold (made by `session.prepare_run`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from torch import nn

from cnn_tui.config import TrainRecipe
from cnn_tui.ml.data import Normalization
from cnn_tui.ml.events import EpochResult
from cnn_tui.ml.models import ModelConfig
from cnn_tui.ml.train import ResumeState


@dataclass
class PreparedRun:
    """A model ready to train, with everything its checkpoint will record."""

    model: nn.Module
    config: ModelConfig
    recipe: TrainRecipe
    normalization: Normalization | None
    checkpoint: Path | None
    resume: ResumeState | None = None
    history: tuple[EpochResult, ...] = ()
    runs_dir: Path | None = None  # where run_training records the run (None: not recorded)
    label: str = ""  # a name for the recorded run, e.g. "homework: more channels"
    run_id: str = ""  # set by run_training once the run is being recorded

    @property
    def first_epoch(self) -> int:
        return self.resume.epoch if self.resume else 0
