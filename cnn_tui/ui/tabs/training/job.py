"""One Training-tab run, from settings to results, executed in a worker thread that only posts messages."""

from __future__ import annotations

import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from cnn_tui.config import RECIPES, TRAINING_TAB_DEFAULTS
from cnn_tui.render.glosses import synthetic_source
from cnn_tui.core.loss_series import LossSeries, batch_loss
from cnn_tui.core.training_settings import TrainingSettings
from cnn_tui.i18n import LocalizedError, Phrase, describe, tr
from cnn_tui.ml.events import BatchProgress, EpochResult
from cnn_tui.ml.live_control import LiveController
from cnn_tui.ui.messages import (
    BatchUpdate,
    CheckpointSaved,
    EpochDone,
    InnerUpdate,
    JobStatus,
    ReportReady,
    RunEnded,
    RunFailed,
    RunStarted,
)

if TYPE_CHECKING:
    import torch

    from cnn_tui.ml.dataset import Dataset
    from cnn_tui.ml.inner_histograms import InnerWatch
    from cnn_tui.ml.photo_reader import PhotoOptions
    from cnn_tui.ml.prepared_run import PreparedRun
    from cnn_tui.ml.run_report import RunReport

Post = Callable[[Message], object]

FACT_WIDTH = 60  # the live log does not wrap its lines: long facts are wrapped at this width


def user_errors() -> tuple[type[Exception], ...]:
    """The ml layer's errors a user can fix (the same ones `cnn-tui train` prints as one line)."""
    from cnn_tui.ml.checkpoints import CheckpointError
    from cnn_tui.ml.data import DataSourceError
    from cnn_tui.ml.models import ModelConfigError
    from cnn_tui.ml.train import RecipeError

    return (DataSourceError, CheckpointError, ModelConfigError, RecipeError, OSError)


class OutOfMemory(LocalizedError):
    """A run needed more memory than the process may use (in `cnn-tui serve`: --session-memory)."""


def unexpected(error: Exception) -> Exception | str:
    """What the tab says about an error nobody foresaw: running out of memory is a sentence with what to do
    (torch says `can't allocate memory` where Python raises MemoryError); anything else, its type and text."""
    if isinstance(error, MemoryError) or "can't allocate memory" in str(error):
        return OutOfMemory("training.out_of_memory")
    return f"{type(error).__name__}: {error}"


def training_threads(batch_size: int) -> int:
    """torch threads for the app's training: the configured number, or what `cnn-tui train` would choose
    for this batch size on this machine now (cnn_tui.ml.threads)."""
    from cnn_tui.ml.threads import plan_for_run

    return plan_for_run(batch_size, requested=TRAINING_TAB_DEFAULTS.threads or None).threads


def data_key(settings: TrainingSettings, data_dir: Path) -> tuple[str, str]:
    return (settings.data, str(data_dir))


def load_data(
    settings: TrainingSettings,
    data_dir: Path,
    status: Callable[[str], None],
    cached: Dataset | None = None,
    photos: PhotoOptions | None = None,
) -> Dataset:
    """The whole data set the settings name (or `cached`, the one loaded before); never downloads. Photos of
    other sizes are prepared as `photos` says (cnn_tui.ml.photo_reader.PhotoOptions; None: its defaults)."""
    from cnn_tui.ml.data import load_dataset
    from cnn_tui.ml.photo_reader import PhotoOptions

    photos = photos or PhotoOptions()
    if cached is not None and (cached.photos is None or (cached.photos.side, cached.photos.resize) == (photos.side, photos.resize)):
        return cached
    return load_dataset(settings.source, data_dir, download=False, status=status, photos=photos)


def source_words(data: Dataset) -> str:
    """Where the data came from, in the learner's language for the built-in set (its own words otherwise)."""
    if data.name == "synthetic":
        return synthetic_source(len(data.train), len(data.test))
    return data.source


def data_facts(data: Dataset, width: int = FACT_WIDTH) -> list[str]:
    """The lecture's lines about the data (source, class_to_idx, both splits' shapes) in the UI's language,
    a long class_to_idx wrapped (the log does not wrap) with its continuation lines indented; then what the data
    holds that training cannot use (classes without images, constant channels); for a photo folder also what was
    read: photos per class, sizes, the resize policy, conversions and skipped files."""
    from cnn_tui.ml.data_warnings import data_warnings

    lines = [
        tr("training.facts.data", source=source_words(data)),
        tr("training.facts.classes", classes=str(data.class_to_idx).replace(": ", ":\u00a0")),  # wrap between entries
        tr("training.facts.train", shape=data.train.hwc_shape),
        tr("training.facts.test", shape=data.test.hwc_shape),
        *(describe(warning) for warning in data_warnings(data)),  # empty classes, constant channels
    ]
    if data.photos is not None:
        lines += [describe(line) for line in data.photos.lines()]
    return [part for line in lines for part in textwrap.wrap(line, width, subsequent_indent="    ", break_on_hyphens=False) or [""]]


def snapshot_path(checkpoint: Path, epoch: int, batch: int) -> Path:
    """Where "save now" writes: beside the run's checkpoint, named as the progress bar names the moment.

    `epoch` completed epochs and `batch` batches into the next one: `-epoch10-batch8` is batch 8 of
    epoch 10 (the bar's "epoch 10/…"), `-epoch9` the end of epoch 9."""
    tag = f"-epoch{epoch + 1}-batch{batch}" if batch else f"-epoch{epoch}"
    return checkpoint.with_name(checkpoint.stem + tag + checkpoint.suffix)


class TrainingJob:
    """A run's state shared between the tab and its worker thread: the tab only calls the control methods."""

    def __init__(self, run_id: int, settings: TrainingSettings, data_dir: Path, post: Post, cached_data: Dataset | None = None) -> None:
        self.run_id = run_id
        self.settings = settings
        self.data_dir = data_dir
        self.post = post
        self.cached_data = cached_data
        self.controller = LiveController()
        self.finished = threading.Event()
        self.cancelled = False  # the app is quitting: end without the report
        self.history: list[EpochResult] = []
        self.prepared: PreparedRun | None = None  # once built
        self.data: Dataset | None = None
        self._epoch, self._batch = 0, 0  # completed epochs, batches done in the running epoch
        self._saved_weights: dict[str, torch.Tensor] | None = None  # the weights of the last completed (saved) epoch
        self._latest: tuple[BatchProgress, LossSeries] | None = None  # the progress after the last batch
        self.inner: InnerWatch | None = None  # once the run is prepared

    # -- control, from the UI thread ----------------------------------------------------

    def pause(self) -> None:
        self.controller.pause()

    def resume(self) -> None:
        self.controller.resume()

    def stop(self) -> None:
        self.controller.stop()

    def cancel(self) -> None:
        """Stop after the current batch and skip the report (the app is quitting)."""
        self.cancelled = True
        self.controller.stop()

    @property
    def running(self) -> bool:
        return not self.finished.is_set()

    @property
    def has_model(self) -> bool:
        return self.prepared is not None

    def save_between_batches(self) -> None:
        """Ask the training thread to run `save_now` before its next batch (or at once while paused)."""
        self.controller.call_between_batches(self.save_now)

    # -- in the training thread ------------------------------------------------------------

    def save_now(self) -> None:
        """Write the weights and metadata (no optimiser state) to a snapshot path; posts CheckpointSaved.

        Runs in the training thread between batches, or in a worker once training has ended."""
        from cnn_tui.ml.checkpoints import CheckpointMeta, save_checkpoint

        run, epoch, batch = self.prepared, self._epoch, self._batch
        path = snapshot_path(Path(self.settings.checkpoint), epoch, batch)
        meta = CheckpointMeta(
            model=run.config,
            classes=self.data.classes,
            normalization=run.normalization,
            recipe=run.recipe,
            epoch=epoch,
            metrics=tuple(self.history),
            data=self.data.source,
            resize=self.data.resize,
            test_share=float(getattr(self.data.photos, "test_share", 0.0) or 0.0),
        )
        shown = epoch + 1 if batch else epoch  # the epoch the progress bar shows
        if batch and self._latest is not None:  # the bar (updated at most four times a second) shows the batch saved
            progress, series = self._latest
            self.post(BatchUpdate(self.run_id, progress, series.points()))
        try:
            save_checkpoint(path, run.model, meta)
        except OSError as error:
            self.post(CheckpointSaved(str(path), shown, batch, error=str(error)))
            return
        self.post(CheckpointSaved(str(path), shown, batch))

    def run(self) -> None:
        """The whole run; every outcome ends in RunEnded or RunFailed."""
        try:
            self._run()
        except user_errors() as error:
            self.post(RunFailed(self.run_id, error))
        except Exception as error:  # noqa: BLE001 - shown in the tab, never as a traceback
            self.post(RunFailed(self.run_id, unexpected(error)))
        finally:
            try:
                self.controller.run_pending()
            finally:
                self.finished.set()

    def _run(self) -> None:
        import torch

        from cnn_tui.ml.models import count_parameters, model_config
        from cnn_tui.ml.run_report import run_report
        from cnn_tui.ml.session import prepare_run, run_training
        from cnn_tui.ml.train import pick_device

        from cnn_tui.core.own_code import abandon_when
        from cnn_tui.core.regular_files import writable_problem

        settings = self.settings
        problem = writable_problem(Path(settings.checkpoint))  # before loading the data and training
        if problem:
            self.post(RunFailed(self.run_id, Phrase("training.unwritable", path=settings.checkpoint, problem=problem)))
            return
        status = lambda text: self.post(JobStatus(self.run_id, text))  # noqa: E731
        from cnn_tui.ml.photo_reader import PhotoOptions

        with abandon_when(lambda: self.controller.stopped):  # an own model's code is checked here: `x` stops waiting
            config = model_config(settings.model)
        whole = load_data(settings, self.data_dir, status, self.cached_data, PhotoOptions(config.image_size))
        data = whole.subset(settings.train_limit, settings.test_limit)
        device = pick_device("auto")
        batch = settings.overrides().get("batch_size") or RECIPES[settings.recipe].batch_size
        torch.set_num_threads(training_threads(batch))  # before prepare_run, whose time-budget probe uses them
        with abandon_when(lambda: self.controller.stopped):  # `x` and quitting stop waiting for an own model's code
            prepared = prepare_run(
                data, config, RECIPES[settings.recipe],
                checkpoint=Path(settings.checkpoint), overrides=settings.overrides(), device=device,
            )
        self.data, self.prepared = data, prepared
        from cnn_tui.ml.inner_histograms import watch_run

        self.inner = watch_run(prepared, data)
        batches = -(-len(data.train) // prepared.recipe.batch_size)
        facts = data_facts(data)
        if prepared.recipe.batch_size != settings.batch_size:  # a small data set: see TrainRecipe.min_steps
            facts.append(tr(
                "data.batch_fitted", batch=prepared.recipe.batch_size, asked=settings.batch_size,
                images=f"{len(data.train):,}", steps=prepared.recipe.min_steps,
            ))
        self.post(
            RunStarted(
                run_id=self.run_id,
                data_key=data_key(settings, self.data_dir),
                data=whole,
                facts=facts,
                parameters=count_parameters(prepared.model),
                device=str(device),
                threads=torch.get_num_threads(),
                epochs=prepared.recipe.epochs,
                batches=batches,
            )
        )
        if self.controller.stopped:
            self._end("stopped", Phrase("training.ended.before_first_batch"))
            return
        result = run_training(
            data, prepared, device=device, controller=self.controller,
            on_batch=self._batch_callback(len(data.train), prepared.recipe.batch_size), on_epoch=self._on_epoch,
        )
        unsaved = self._back_to_saved_weights()
        report = None
        if not self.cancelled and (result.epochs or result.status == "stopped"):
            self.post(JobStatus(self.run_id, "", phase="testing"))
            report = run_report(prepared.model, data.test, data.classes, normalization=prepared.normalization, device=device)
        self._end(result.status, result.reason, report, unsaved)

    def _back_to_saved_weights(self) -> tuple[int, int] | None:
        """After a stop mid-epoch, load the last saved epoch's weights back, so the results shown are the
        checkpoint's; with no epoch saved, keep the weights and return where they stopped (epoch, batch)."""
        if not self._batch:
            return None
        if self._saved_weights is None:
            return (self._epoch + 1, self._batch)
        self.prepared.model.load_state_dict(self._saved_weights)
        self._batch = 0
        return None

    def _end(self, status: str, reason: object, report: RunReport | None = None, unsaved: tuple[int, int] | None = None) -> None:
        saved = str(self.settings.checkpoint) if self.history else ""
        self.post(RunEnded(
            run_id=self.run_id, status=status, reason=reason, epochs_done=len(self.history), checkpoint=saved,
            report=report, unsaved=unsaved,
        ))

    def _batch_callback(self, count: int, batch_size: int) -> Callable[[BatchProgress], None]:
        series = LossSeries()
        state = {"mean": 0.0, "seen": 0, "posted": 0.0}

        def on_batch(progress: BatchProgress) -> None:
            if progress.batch == 1:
                state["mean"], state["seen"] = 0.0, 0
            seen = min(progress.batch * batch_size, count)
            series.add(progress.epoch - 1 + progress.fraction, batch_loss(progress.loss, seen, state["mean"], state["seen"]))
            state["mean"], state["seen"] = progress.loss, seen
            self._epoch, self._batch = progress.epoch - 1, progress.batch
            self._latest = (progress, series)  # save_now posts it, so the bar shows the batch it saves
            inner = self.inner.batch(progress.epoch, progress.batch) if self.inner is not None else None
            if inner is not None:
                self.post(InnerUpdate(self.run_id, inner))
            now = time.monotonic()
            if now - state["posted"] >= TRAINING_TAB_DEFAULTS.update_interval_s or progress.batch == progress.batches:
                state["posted"] = now
                self.post(BatchUpdate(self.run_id, progress, series.points()))

        return on_batch

    def _on_epoch(self, result: EpochResult) -> None:
        model = self.prepared.model
        self._saved_weights = {key: value.detach().clone() for key, value in model.state_dict().items()}
        self.history.append(result)
        self._epoch, self._batch = result.epoch, 0
        self.post(EpochDone(self.run_id, result))
        if self.inner is not None:
            self.post(InnerUpdate(self.run_id, self.inner.epoch(result.epoch)))


def checkpoint_results(
    run_id: int, settings: TrainingSettings, data_dir: Path, post: Post, cached_data: Dataset | None = None
) -> None:
    """Evaluate the checkpoint the settings name on their data's test split; posts ReportReady or RunFailed."""
    try:
        from cnn_tui.ml.checkpoints import read_meta
        from cnn_tui.ml.photo_reader import PhotoOptions
        from cnn_tui.ml.run_report import checkpoint_report

        photos = PhotoOptions.recorded(read_meta(Path(settings.checkpoint)))  # prepared as the checkpoint's training was
        whole = load_data(settings, data_dir, lambda text: post(JobStatus(run_id, text)), cached_data, photos)
        data = whole.subset(settings.train_limit, settings.test_limit)
        report, meta = checkpoint_report(Path(settings.checkpoint), data)
    except user_errors() as error:
        post(RunFailed(run_id, error))
        return
    except Exception as error:  # noqa: BLE001
        post(RunFailed(run_id, unexpected(error)))
        return
    post(ReportReady(run_id=run_id, checkpoint=settings.checkpoint, report=report, history=meta.metrics, epoch=meta.epoch))
