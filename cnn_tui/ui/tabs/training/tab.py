"""The Training tab (图像分类案例): train the lecture's network from the keyboard and watch it learn."""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.widgets import ContentSwitcher, Static

from cnn_tui.config import TRAINING_TAB_DEFAULTS
from cnn_tui.core.training_settings import CIFAR10, SYNTHETIC, TrainingSettings
from cnn_tui.i18n import Phrase, language, tr
from cnn_tui.render.safe_text import described, safe_text
from cnn_tui.render.training_text import DownloadFailed, Ended, Failed, Said, StatusNote
from cnn_tui.ui.localized import Localized
from cnn_tui.ui.on_screen import take_focus
from cnn_tui.ui.reactives import set_together
from cnn_tui.ui.messages import (
    BatchUpdate,
    Capabilities,
    CheckpointSaved,
    EpochDone,
    InnerUpdate,
    JobStatus,
    NetworkChanged,
    ReportReady,
    RunEnded,
    RunFailed,
    RunStarted,
    SourceChecked,
    UseCheckpoint,
    UseData,
)
from cnn_tui.ui.state import LabState
from cnn_tui.ui.tabs.training.job import TrainingJob, checkpoint_results, data_key
from cnn_tui.render import training_text
from cnn_tui.ui.widgets.data_download import DataDownload, DownloadEnded
from cnn_tui.ui.tabs.training.gallery import TrainingGallery
from cnn_tui.ui.tabs.training.inner import TrainingInner
from cnn_tui.ui.tabs.training.live import TrainingLive
from cnn_tui.ui.tabs.training.results import TrainingResults

if TYPE_CHECKING:
    from cnn_tui.ml.dataset import Dataset
    from cnn_tui.ml.run_report import RunReport
    from cnn_tui.ml.source_state import SourceState

# The right side's views, in `v` order.
VIEWS: tuple[str, ...] = ("live", "inner", "results", "gallery")


class Phase(StrEnum):
    """What the tab is doing: nothing (idle), or a run or a test under way (`active`)."""

    IDLE = "idle"
    LOADING = "loading"
    TRAINING = "training"
    PAUSED = "paused"
    STOPPING = "stopping"
    TESTING = "testing"

    @property
    def active(self) -> bool:
        return self is not Phase.IDLE


def default_settings() -> TrainingSettings:
    """The settings a new tab starts with (config.py's defaults)."""
    return TrainingSettings()


class TrainingTab(Localized, Horizontal, can_focus=True):
    """Settings and status on the left, the live view / results / gallery on the right."""

    BINDINGS = [
        Binding("s", "start", "training.bind.start"),
        Binding("space", "pause", "training.bind.pause"),
        Binding("x", "stop", "training.bind.stop"),
        Binding("w", "save", "training.bind.save"),
        Binding("e", "edit", "training.bind.edit"),
        Binding("l", "lecture_recipe", "gloss.training.bind_lecture"),
        Binding("d", "use_synthetic", "training.bind.synthetic"),
        Binding("D", "download", "data.bind.download"),
        Binding("c", "checkpoint_results", "training.bind.checkpoint"),
        Binding("v", "next_view", "training.bind.view"),
        Binding("R", "compare_runs", "runs_screen.open"),
    ]

    view: var[str] = var(VIEWS[0], init=False, always_update=True)
    """The view on the right (live, results or gallery); set again, it takes the focus again."""
    lang: var[str] = var("", init=False)
    views_part: var[tuple[str, str]] = var(("", ""), init=False)
    """The views line's state, computed: its watcher draws the line."""
    phase: var[Phase] = var(Phase.IDLE, init=False)
    note: var[StatusNote] = var(Said(), init=False)
    """The line under the phase, put into words when drawn: a language switch redraws it in the new language."""
    status_part: var[tuple[str, Phase, StatusNote]] = var(("", Phase.IDLE, Said()), init=False)
    """The status's state, computed: its watcher draws the phase and the note."""

    def __init__(
        self, shared: LabState | None = None, settings: TrainingSettings | None = None, data_dir: Path | None = None
    ) -> None:
        super().__init__(id="training-tab")
        self.shared = shared or LabState()
        # A new tab trains the app's data setting into the app's active checkpoint.
        self.settings = settings or replace(
            default_settings(), data=self.shared.data, checkpoint=str(self.shared.checkpoint)
        )
        if settings is None and self.shared.network:  # a network saved in the editor before this tab was built
            self.settings = replace(self.settings, model=self.shared.network)
        self.data_dir = data_dir or self.shared.paths.data_dir
        self.models: dict[str, str] = {self.settings.model: ""}
        self.optimizers: tuple[str, ...] = (self.settings.optimizer,)
        self.sources: dict[str, SourceState] = {}  # by data setting
        self.job: TrainingJob | None = None
        self._run_id = 0
        self._data_cache: dict[tuple[str, str], Dataset] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="training-side"):
            yield Static(id="training-settings")
            yield Static(id="training-source")
            yield DataDownload(self.data_dir, id="training-download")
            yield Static(id="training-status")
        with Vertical(id="training-main"):
            yield Static(id="training-views")
            with ContentSwitcher(initial="training-live", id="training-switcher"):
                yield TrainingLive(id="training-live")
                yield TrainingInner(id="training-inner")
                yield TrainingResults(id="training-results")
                yield TrainingGallery(id="training-gallery")

    def on_mount(self) -> None:
        self._probe(self.settings.data)
        self._focus_view()

    def on_show(self) -> None:
        self._focus_view()
        state = self.sources.get(self.settings.data)
        if state is not None and state.state == "missing":  # imported or downloaded meanwhile (cnn-tui data)
            self._check_source(self.settings.data)

    def on_unmount(self) -> None:
        """The app is closing: stop a run after its batch and wait (bounded) for the thread to end."""
        job = self.job
        if job is not None and job.running:
            job.cancel()
            job.finished.wait(TRAINING_TAB_DEFAULTS.quit_wait_s)

    # -- workers --------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="training-probe")
    def _probe(self, data: str) -> None:
        """Import the ml layer (torch) off the event loop; report its models and the data source's state."""
        from cnn_tui.ml.models import MODEL_HELP
        from cnn_tui.ml.train import OPTIMIZERS

        self.post_message(Capabilities(dict(MODEL_HELP), tuple(OPTIMIZERS)))
        self._check_source_now(data)

    @work(thread=True, exclusive=True, exit_on_error=False, group="training-source")
    def _check_source(self, data: str) -> None:
        self._check_source_now(data)

    def _check_source_now(self, data: str) -> None:
        from cnn_tui.ml.source_state import source_state

        self.post_message(SourceChecked(data, source_state(None if data == "cifar10" else data, self.data_dir)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="training")
    def _train(self, job: TrainingJob) -> None:
        job.run()

    @work(thread=True, exclusive=True, exit_on_error=False, group="training-save")
    def _save(self, job: TrainingJob) -> None:
        job.save_now()

    @work(thread=True, exclusive=True, exit_on_error=False, group="training")
    def _checkpoint_results(self, run_id: int, settings: TrainingSettings, cached: Dataset | None) -> None:
        checkpoint_results(run_id, settings, self.data_dir, self.post_message, cached)

    # -- messages -------------------------------------------------------------------------

    @property
    def run_id(self) -> int:
        """The run whose messages the tab shows (another run's are ignored)."""
        return self._run_id

    def _current(self, run_id: int) -> bool:
        return run_id == self._run_id

    def on_capabilities(self, message: Capabilities) -> None:
        self.models = message.models
        if self.shared.network:  # the learner's own network stays among the form's choices
            self.models = {**message.models, self.shared.network: ""}
        self.optimizers = message.optimizers
        self._draw_settings()

    def on_network_changed(self, message: NetworkChanged) -> None:
        """A network was saved in the Model tab's editor: offer it in the form and train it from the next run."""
        self.models = {**self.models, message.model: ""}
        self.apply_settings(replace(self.settings, model=message.model))
        if self.running:
            self.notify(tr("training.next_run"))

    def on_source_checked(self, message: SourceChecked) -> None:
        self.sources[message.data] = message.state
        self._draw_settings()

    def on_job_status(self, message: JobStatus) -> None:
        if self._current(message.run_id):
            set_together(self, **({"phase": Phase(message.phase)} if message.phase else {}), note=Said(message.text, "dim"))

    def on_run_started(self, message: RunStarted) -> None:
        if not self._current(message.run_id):
            return
        self._data_cache = {message.data_key: message.data}
        paused = self.job is not None and self.job.controller.paused
        set_together(self, phase=Phase.PAUSED if paused else Phase.TRAINING, note=Said())
        notes = [*map(safe_text, message.facts), tr(
                "training.live.model_note", model=self.settings.model, params=f"{message.parameters:,}",
                device=message.device, threads=message.threads,
            )]
        self.query_one(TrainingLive).reset(message.epochs, notes)

    def on_batch_update(self, message: BatchUpdate) -> None:
        if self._current(message.run_id):
            self.query_one(TrainingLive).show_batch(message.progress, message.series)

    def on_epoch_done(self, message: EpochDone) -> None:
        if self._current(message.run_id):
            self.query_one(TrainingLive).add_epoch(message.result)

    def on_inner_update(self, message: InnerUpdate) -> None:
        if self._current(message.run_id):
            self.query_one(TrainingInner).snapshot = message.snapshot

    def on_run_ended(self, message: RunEnded) -> None:
        if not self._current(message.run_id):
            return
        self.query_one(TrainingLive).ended()
        set_together(self, phase=Phase.IDLE, note=Ended(message.status, message.epochs_done, message.reason, message.checkpoint))
        if message.checkpoint:
            self.post_message(UseCheckpoint(Path(message.checkpoint)))  # the network just trained is the active one
        if message.report is not None:
            source = training_text.results_source(self.settings.model, message.epochs_done, message.unsaved)
            self._show_report(message.report, source)

    def on_run_failed(self, message: RunFailed) -> None:
        if not self._current(message.run_id):
            return
        self.query_one(TrainingLive).ended()
        said = described(message.reason, training_text.SETTING_CHARS)  # a pasted path in it shortened, the sentence whole
        set_together(self, phase=Phase.IDLE, note=Failed(message.reason))
        self.notify(said, title=tr("training.failed_title"), severity="error", timeout=8, markup=False)

    def on_checkpoint_saved(self, message: CheckpointSaved) -> None:
        if message.error:
            self.notify(safe_text(message.error), title=tr("training.save_failed"), severity="error", markup=False)
        else:
            self.notify(tr("training.saved", path=safe_text(message.path), epoch=message.epoch, batch=message.batch), markup=False)
            if self.app.is_web:  # in a browser (cnn-tui serve) the server's folders are out of reach: download it
                self.app.deliver_binary(Path(message.path))

    def on_report_ready(self, message: ReportReady) -> None:
        if not self._current(message.run_id):
            return
        self.post_message(UseCheckpoint(Path(message.checkpoint)))  # the network just loaded is the active one
        path = safe_text(message.checkpoint)
        set_together(self, phase=Phase.IDLE, note=Said(Phrase("training.checkpoint_loaded", path=path, epoch=message.epoch), "bold"))
        epochs = max([message.epoch, *(r.epochs for r in message.history)], default=1)
        self.query_one(TrainingLive).reset(epochs, [tr("training.live.history", path=path)], list(message.history))
        self._show_report(message.report, message.checkpoint)

    def _show_report(self, report: RunReport, source: str) -> None:
        self.query_one(TrainingResults).show(report, source)
        self.query_one(TrainingGallery).show(report)
        self.view = "results"

    # -- actions --------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.running

    def action_start(self) -> None:
        if self.running or self.phase.active:
            self.notify(tr("training.refuse.running"), severity="warning")
            return
        state = self.sources.get(self.settings.data)
        if state is not None and state.state == "missing":
            self.notify(tr("training.refuse.missing"), severity="error", timeout=8)
            return
        self._run_id += 1
        cached = self._data_cache.get(data_key(self.settings, self.data_dir))
        self.job = TrainingJob(self._run_id, self.settings, self.data_dir, self.post_message, cached)
        set_together(self, phase=Phase.LOADING, note=Said(Phrase("training.loading_data"), "dim"))
        self.query_one(TrainingLive).reset(self.settings.epochs, [])
        self.query_one(TrainingInner).snapshot = None
        self.view = "live"
        self._train(self.job)

    def action_pause(self) -> None:
        job = self.job
        if job is None or not job.running or self.phase == Phase.STOPPING:
            self.notify(tr("training.refuse.not_running"), severity="warning")
            return
        if job.controller.paused:
            job.resume()
            self.phase = Phase.TRAINING
        else:
            job.pause()
            self.phase = Phase.PAUSED

    def action_stop(self) -> None:
        if self.query_one(DataDownload).cancel():  # `x` stops a download first
            return
        job = self.job
        if job is None or not job.running:
            self.notify(tr("training.refuse.not_running"), severity="warning")
            return
        job.stop()
        self.phase = Phase.STOPPING

    def action_save(self) -> None:
        job = self.job
        if job is None or not job.has_model:
            self.notify(tr("training.refuse.no_model"), severity="warning")
        elif job.running:
            job.save_between_batches()
            self.notify(tr("training.saving"))
        else:
            self._save(job)

    def action_edit(self) -> None:
        from cnn_tui.ui.tabs.training.form import TrainingForm

        def edited(settings: TrainingSettings | None) -> None:
            if settings is not None and settings != self.settings:
                self.apply_settings(settings)
                if self.running:
                    self.notify(tr("training.next_run"))

        self.app.push_screen(TrainingForm(self.settings, list(self.models), self.optimizers, self.shared.confinement), edited)

    def action_lecture_recipe(self) -> None:
        """Train as the lecture's code does: its network and its loop (batch 8, Adam 0.001)."""
        self.apply_settings(replace(self.settings.with_recipe("lecture"), model="lecture"))

    def action_download(self) -> None:
        """Download CIFAR-10 into the data home (unless it is there already) and train on it once it is."""
        state = self.sources.get(CIFAR10)
        present = state is not None and state.state in ("found", "cached") and state.kind == "batches"
        if self.query_one(DataDownload).offer(present):
            self.apply_settings(replace(self.settings, data=CIFAR10))

    def on_download_ended(self, message: DownloadEnded) -> None:
        """The panel has said how the download ended; a finished one is the data from now on."""
        if message.folder:
            self.sources.clear()
            self._data_cache.clear()
            self.apply_settings(replace(self.settings, data=CIFAR10))
            self._check_source(CIFAR10)
        elif not message.cancelled:
            self.note = DownloadFailed(message.error)

    def action_use_synthetic(self) -> None:
        self.apply_settings(replace(self.settings, data=SYNTHETIC))

    def action_checkpoint_results(self) -> None:
        if self.running or self.phase.active:
            self.notify(tr("training.refuse.running"), severity="warning")
            return
        self._run_id += 1
        self.job = None
        path = safe_text(self.settings.checkpoint)
        set_together(self, phase=Phase.TESTING, note=Said(Phrase("training.loading_checkpoint", path=path), "dim"))
        self._checkpoint_results(self._run_id, self.settings, self._data_cache.get(data_key(self.settings, self.data_dir)))

    def action_next_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]

    def action_compare_runs(self) -> None:
        """Open the recorded runs (beside the checkpoint, as the trainer records them) side by side."""
        from cnn_tui.ml.runs import RUNS_FOLDER
        from cnn_tui.ui.screens.runs_screen import RunsScreen

        self.app.push_screen(RunsScreen(Path(self.settings.checkpoint).parent / RUNS_FOLDER))

    # -- drawing --------------------------------------------------------------------------

    def apply_settings(self, settings: TrainingSettings) -> None:
        """Take `settings` for the next run, as the settings form (`e`) does when it closes: show them and,
        when the data setting changed, tell the app and check the new source."""
        changed_data = settings.data != self.settings.data
        self.settings = settings
        if changed_data:
            self.post_message(UseData(settings.data))
            if settings.data not in self.sources:
                self._check_source(settings.data)
        self._draw_settings()

    def watch_view(self, view: str) -> None:
        self.query_one(ContentSwitcher).current = f"training-{view}"
        self._focus_view()

    def _focus_view(self) -> None:
        take_focus(self.query_one(TrainingGallery) if self.view == "gallery" else self)

    def localize(self) -> None:
        self._draw_settings()
        self.lang = language()

    def compute_views_part(self) -> tuple[str, str]:
        return (self.lang, self.view)

    def watch_views_part(self) -> None:
        if not self.lang:  # not mounted yet: Localized.on_mount sets it
            return
        self.query_one("#training-views", Static).update(training_text.views_text(VIEWS, self.view))

    def compute_status_part(self) -> tuple[str, Phase, StatusNote]:
        return (self.lang, self.phase, self.note)

    def watch_status_part(self) -> None:
        if not self.lang:  # not mounted yet: Localized.on_mount sets it
            return
        status = training_text.status_text(self.phase, self.phase.active, self.note.text())
        self.query_one("#training-status", Static).update(status)

    def _draw_settings(self) -> None:
        self.query_one("#training-settings", Static).update(training_text.settings_panel(self.settings))
        self.query_one("#training-source", Static).update(
            training_text.source_text(self.settings.data, self.sources.get(self.settings.data))
        )
