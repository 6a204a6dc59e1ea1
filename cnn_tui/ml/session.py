"""One training run from settings to checkpoint: shared by `cnn-tui train` and the Training tab."""

from __future__ import annotations

import errno
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import replace
from pathlib import Path
from typing import Any

import torch

from cnn_tui.config import TrainRecipe
from cnn_tui.ml.batch_memory import batch_memory, check_batch_memory
from cnn_tui.ml.best import fit_epochs, whiten_first_conv
from cnn_tui.ml.checkpoints import (
    CheckpointError,
    CheckpointMeta,
    check_writable,
    load_model,
    load_resume,
    read_meta,
    save_checkpoint,
)
from cnn_tui.i18n import Phrase
from cnn_tui.ml.data import DataSourceError, Dataset, Normalization
from cnn_tui.ml.events import BatchProgress, EpochResult, TrainController, TrainResult
from cnn_tui.ml.models import ModelConfig, build_model, with_classes
from cnn_tui.ml.own_model_training import check_training, training_failure
from cnn_tui.ml.prepared_run import PreparedRun
from cnn_tui.ml.run_recorder import RunRecorder
from cnn_tui.ml.runs import RUN_FILE, RUNS_FOLDER
from cnn_tui.ml.train import ResumeState, check_recipe, train


def fit_batch(recipe: TrainRecipe, train_images: int) -> TrainRecipe:
    """The recipe with its batch halved (not below 32) until an epoch of `train_images` has `min_steps` steps."""
    batch = recipe.batch_size
    while recipe.min_steps and batch > 32 and -(-train_images // batch) < recipe.min_steps:
        batch = max(32, batch // 2)
    return recipe if batch == recipe.batch_size else replace(recipe, batch_size=batch)


def prepare_run(
    data: Dataset,
    config: ModelConfig,
    recipe: TrainRecipe,
    *,
    checkpoint: Path | None,
    resume: bool = False,
    overrides: Mapping[str, Any] | None = None,
    runs_dir: Path | None = None,
    record: bool = True,
    label: str = "",
    device: torch.device | None = None,
) -> PreparedRun:
    """A fresh model from `config` and `recipe`, or with `resume` the run saved at `checkpoint`.

    When resuming, the saved recipe is used with `overrides` applied (e.g. more epochs); the
    data must have the checkpoint's classes. The run is recorded in `runs_dir` (default: `runs/`
    beside the checkpoint; no checkpoint and no `runs_dir`: not recorded) unless `record` is False.
    Both places are checked to be writable first (CheckpointError with a sentence), before any training.
    """
    if checkpoint is not None:
        check_writable(checkpoint)
    run = _prepare(data, config, recipe, checkpoint=checkpoint, resume=resume, overrides=overrides, device=device)
    if record:
        run.runs_dir = runs_dir or (checkpoint.parent / RUNS_FOLDER if checkpoint is not None else None)
        if run.runs_dir is not None:
            check_writable(run.runs_dir / RUN_FILE, runs_folder=True)
    run.label = label
    return run


def _prepare(
    data: Dataset,
    config: ModelConfig,
    recipe: TrainRecipe,
    *,
    checkpoint: Path | None,
    resume: bool,
    overrides: Mapping[str, Any] | None,
    device: torch.device | None = None,
) -> PreparedRun:
    overrides = dict(overrides or {})
    if not resume:
        _check_images(data, config)
        # a time-budgeted recipe fits its epochs unless they were changed (the Training tab passes the recipe's own)
        fit_time = recipe.time_budget_s > 0 and overrides.get("epochs", recipe.epochs) == recipe.epochs
        recipe = fit_batch(replace(recipe, **overrides), len(data.train))
        check_recipe(recipe)
        torch.manual_seed(recipe.seed)
        model = build_model(config, num_classes=len(data.classes))
        normalization = Normalization.of(data.train) if recipe.normalize else None
        if recipe.whiten:
            whiten_first_conv(model, data.train, normalization)
        check_training(model, with_classes(config, len(data.classes)), train_images=len(data.train), batch_size=recipe.batch_size)
        _check_memory(model, data, recipe, config.name)
        if fit_time and recipe.time_budget_s > 0:
            from cnn_tui.ml.train import pick_device

            recipe = fit_epochs(model, data, recipe, normalization, device or pick_device())
        return PreparedRun(model, with_classes(config, len(data.classes)), recipe, normalization, checkpoint)
    if checkpoint is None:
        raise CheckpointError("error.checkpoint.resume_needs_path")
    meta = read_meta(checkpoint)
    if meta.assumed or meta.recipe is None:
        raise CheckpointError("error.checkpoint.resume_no_metadata", path=checkpoint)
    if tuple(meta.classes) != tuple(data.classes):
        raise CheckpointError(
            "error.checkpoint.resume_other_classes",
            path=checkpoint,
            classes=", ".join(meta.classes),
            data=", ".join(data.classes),
        )
    recipe = replace(meta.recipe, **overrides)
    check_recipe(recipe)
    if recipe.epochs <= meta.epoch:
        raise CheckpointError("error.checkpoint.resume_done", path=checkpoint, epoch=meta.epoch, epochs=recipe.epochs)
    _check_images(data, meta.model)
    model, _ = load_model(checkpoint)
    check_training(model, meta.model, train_images=len(data.train), batch_size=recipe.batch_size)
    _check_memory(model, data, recipe, meta.model.name)
    state = load_resume(checkpoint, meta)
    return PreparedRun(model, meta.model, recipe, meta.normalization, checkpoint, state, meta.metrics)


def _check_memory(model: torch.nn.Module, data: Dataset, recipe: TrainRecipe, name: str) -> None:
    """BatchMemoryError when the recipe's batches (no larger than the training set) would not fit in memory."""
    memory = batch_memory(model, tuple(data.image_shape))
    check_batch_memory(memory, min(recipe.batch_size, len(data.train)), name)


def _check_images(data: Dataset, config: ModelConfig) -> None:
    """DataSourceError unless the data's images have the size and channels the network takes."""
    channels, height, width = data.image_shape
    side = config.image_size
    if (channels, height, width) != (config.in_channels, side, side):
        raise DataSourceError(
            "error.data.image_shape", source=data.source, width=width, height=height, channels=channels,
            name=config.name, side=side, in_channels=config.in_channels,
        )


def run_training(
    data: Dataset,
    run: PreparedRun,
    *,
    device: torch.device | None = None,
    controller: TrainController | None = None,
    on_batch: Callable[[BatchProgress], None] | None = None,
    on_epoch: Callable[[EpochResult], None] | None = None,
    split_batches: bool = True,
) -> TrainResult:
    """Train a prepared run, saving its checkpoint (if any) and its record after every completed epoch.
    `split_batches`: see `cnn_tui.ml.train.train`."""
    history = list(run.history)
    if device is None:
        from cnn_tui.ml.train import pick_device

        device = pick_device()
    recorder = RunRecorder.begin(run.runs_dir, run, data, device, run.label) if run.runs_dir is not None else None
    run.run_id = recorder.run_id if recorder is not None else ""

    def save(result: EpochResult, state: ResumeState) -> None:
        history.append(result)
        meta = CheckpointMeta(
            model=run.config,
            classes=data.classes,
            normalization=run.normalization,
            recipe=run.recipe,
            epoch=state.epoch,
            metrics=tuple(history),
            data=data.source,
            resize=data.resize,
            test_share=float(getattr(data.photos, "test_share", 0.0) or 0.0),
        )
        if run.checkpoint is not None:
            try:
                save_checkpoint(run.checkpoint, run.model, meta, state)
            except OSError as error:  # a full disk, a folder removed meanwhile …
                raise save_error(error, run.checkpoint, state.epoch, state.epoch - 1) from None
        if recorder is not None:
            try:
                recorder.epoch(result, meta, run.model)
            except OSError as error:
                raise save_error(error, recorder.folder, state.epoch, state.epoch if run.checkpoint else None, record=True) from None

    own = run.config.arch == "file"
    at = [run.first_epoch + 1, 1]  # the epoch and batch being trained, for a sentence if the own network fails

    def batch_done(progress: BatchProgress) -> None:
        at[:] = [progress.epoch, progress.batch + 1]
        if on_batch is not None:
            on_batch(progress)

    def epoch_done(result: EpochResult) -> None:
        at[:] = [result.epoch + 1, 1]
        if on_epoch is not None:
            on_epoch(result)

    try:
        result = train(
            run.model,
            data,
            run.recipe,
            normalization=run.normalization,
            device=device,
            controller=controller,
            on_batch=batch_done if own else on_batch,
            on_epoch=epoch_done if own else on_epoch,
            save=save,
            resume=run.resume,
            split_batches=split_batches,
        )
    except BaseException as error:
        failure = training_failure(error, run.config, *at)  # an error inside the learner's own file: one sentence
        if recorder is not None:
            with suppress(OSError):  # the disk may be full: the error below says what matters
                recorder.abort(str(failure) if failure is not None else f"{type(error).__name__}: {error}")
        if failure is not None:
            raise failure from None
        raise
    if recorder is not None:
        try:
            recorder.finish(result)
        except OSError as error:
            saved = run.first_epoch + len(result.epochs)
            raise save_error(error, recorder.folder, saved, saved if run.checkpoint else None, record=True) from None
    return result


def save_error(error: OSError, path: Path, epoch: int, intact: int | None, *, record: bool = False) -> CheckpointError:
    """One sentence for a save that failed: no space left (or the OSError's reason) on what, while saving which epoch,
    and which checkpoint is intact (`intact` epoch; 0: none was saved before; None: there is no checkpoint)."""
    place = path if path.is_dir() else path.parent
    if intact is None:
        kept = Phrase("error.save.kept_nothing")
    elif intact == 0:
        kept = Phrase("error.save.kept_none")
    else:
        kept = Phrase("error.save.kept", epoch=intact)
    full = error.errno == errno.ENOSPC
    reason = error.strerror or str(error)
    if record and full:
        return CheckpointError("error.save.record_no_space", folder=place, epoch=epoch, kept=kept)
    if record:
        return CheckpointError("error.save.record_failed", folder=place, epoch=epoch, reason=reason, kept=kept)
    if full:
        return CheckpointError("error.save.checkpoint_no_space", folder=place, epoch=epoch, path=path, kept=kept)
    return CheckpointError("error.save.checkpoint_failed", epoch=epoch, path=path, reason=reason, kept=kept)
