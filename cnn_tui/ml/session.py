"""One training run from settings to checkpoint: shared by `cnn-tui train` and the Training tab.

`prepare_run` builds (or, with resume, reloads) the model, recipe and normalisation;
`run_training` trains it, saving a checkpoint after every epoch. Both are plain functions
so a UI can call them from a worker thread with its own callbacks and controller:

    data = load_dataset("synthetic")                     # or a path, or None for CIFAR-10
    run = prepare_run(data, model_config("lecture"), RECIPES["fast"], checkpoint=path)
    controller = TrainController()                       # pause()/resume()/stop() from any thread
    result = run_training(data, run, controller=controller, on_batch=..., on_epoch=...)

Callbacks run on the training thread and get small frozen dataclasses (`cnn_tui.ml.events`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import torch
from torch import nn

from cnn_tui.config import TrainRecipe
from cnn_tui.ml.checkpoints import CheckpointError, CheckpointMeta, load_model, load_resume, read_meta, save_checkpoint
from cnn_tui.ml.data import Dataset, Normalization
from cnn_tui.ml.events import BatchProgress, EpochResult, TrainController, TrainResult
from cnn_tui.ml.models import ModelConfig, build_model
from cnn_tui.ml.train import ResumeState, check_recipe, train


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

    @property
    def first_epoch(self) -> int:
        return self.resume.epoch if self.resume else 0


def prepare_run(
    data: Dataset,
    config: ModelConfig,
    recipe: TrainRecipe,
    *,
    checkpoint: Path | None,
    resume: bool = False,
    overrides: Mapping[str, Any] | None = None,
) -> PreparedRun:
    """A fresh model from `config` and `recipe`, or with `resume` the run saved at `checkpoint`.

    When resuming, the saved recipe is used with `overrides` applied (e.g. more epochs); the
    data must have the checkpoint's classes.
    """
    overrides = dict(overrides or {})
    if not resume:
        recipe = replace(recipe, **overrides)
        check_recipe(recipe)
        torch.manual_seed(recipe.seed)
        model = build_model(config, num_classes=len(data.classes))
        normalization = Normalization.of(data.train) if recipe.normalize else None
        return PreparedRun(model, model.config, recipe, normalization, checkpoint)
    if checkpoint is None:
        raise CheckpointError("--resume needs a checkpoint path")
    meta = read_meta(checkpoint)
    if meta.assumed or meta.recipe is None:
        raise CheckpointError(f"{checkpoint} has no cnn-tui metadata beside it, so it cannot be resumed")
    if tuple(meta.classes) != tuple(data.classes):
        raise CheckpointError(
            f"{checkpoint} was trained on classes {', '.join(meta.classes)}, "
            f"but this data set has {', '.join(data.classes)}"
        )
    recipe = replace(meta.recipe, **overrides)
    check_recipe(recipe)
    if recipe.epochs <= meta.epoch:
        raise CheckpointError(
            f"{checkpoint} has already trained {meta.epoch} of {recipe.epochs} epochs; "
            f"pass --epochs N with N > {meta.epoch} to train further"
        )
    model, _ = load_model(checkpoint)
    state = load_resume(checkpoint, meta)
    return PreparedRun(model, meta.model, recipe, meta.normalization, checkpoint, state, meta.metrics)


def run_training(
    data: Dataset,
    run: PreparedRun,
    *,
    device: torch.device | None = None,
    controller: TrainController | None = None,
    on_batch: Callable[[BatchProgress], None] | None = None,
    on_epoch: Callable[[EpochResult], None] | None = None,
) -> TrainResult:
    """Train a prepared run, saving its checkpoint (if any) after every completed epoch."""
    history = list(run.history)

    def save(result: EpochResult, state: ResumeState) -> None:
        history.append(result)
        if run.checkpoint is None:
            return
        meta = CheckpointMeta(
            model=run.config,
            classes=data.classes,
            normalization=run.normalization,
            recipe=run.recipe,
            epoch=state.epoch,
            metrics=tuple(history),
            data=data.source,
        )
        save_checkpoint(run.checkpoint, run.model, meta, state)

    return train(
        run.model,
        data,
        run.recipe,
        normalization=run.normalization,
        device=device,
        controller=controller,
        on_batch=on_batch,
        on_epoch=on_epoch,
        save=save,
        resume=run.resume,
    )
