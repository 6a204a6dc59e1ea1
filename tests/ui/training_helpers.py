"""Shared helpers for the Training tab's tests: an app in a scratch folder, small synthetic runs, waiting."""

from __future__ import annotations

import functools
import threading
from dataclasses import replace

import pytest

from cnn_tui.config import AppConfig
from cnn_tui.core.training_settings import TrainingSettings
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.tabs.training.tab import TrainingTab
from tests.waiting import mounted, until, wait_for_workers

# Small enough for a few seconds per test: 256 images in batches of 32 (8 batches an epoch).
QUICK = replace(
    TrainingSettings().with_recipe("lecture"), data="synthetic", train_limit=256, test_limit=100, batch_size=32, epochs=2
)
# Long enough to still be running when a test pauses, stops or quits it: 128 batches an epoch.
LONG = replace(QUICK, train_limit=2048, batch_size=16, epochs=200)


@functools.cache
def _synthetic(train: int, test: int, seed: int):
    from cnn_tui.ml import synthetic

    return synthetic.__dict__["_original_make_synthetic"](train, test, seed)


@pytest.fixture(autouse=True)
def cached_synthetic(monkeypatch):
    """Generate the synthetic data set once per session (6,000 images take a second or more on a busy CI core).

    Import this fixture into a test module to use it there."""
    from cnn_tui.ml import synthetic

    synthetic.__dict__.setdefault("_original_make_synthetic", synthetic.make_synthetic)
    defaults = (synthetic.TRAIN_SIZE, synthetic.TEST_SIZE, 0)
    monkeypatch.setattr(
        synthetic, "make_synthetic", lambda train=defaults[0], test=defaults[1], seed=defaults[2]: _synthetic(train, test, seed)
    )


def make_app() -> CnnTuiApp:
    """The app with relative data/ and models/ (tests chdir to a temporary folder first)."""
    return CnnTuiApp(AppConfig(lang="en"))


async def open_training(pilot) -> TrainingTab:
    """Show the Training tab and wait for its first probe (models, data source state)."""
    await pilot.pause()
    await pilot.press("6")
    tab = await mounted(pilot, TrainingTab)
    await until(pilot, lambda: tab.settings.data in tab.sources and len(tab.optimizers) > 1)
    # Its keys (s, space, x …) work with the focus inside it: a wait that fails here says so, instead of a
    # later wait for a run that `s` never started (seen twice in CI runs).
    await until(pilot, lambda: pilot.app.focused is not None and tab in pilot.app.focused.ancestors_with_self, 10)
    return tab


async def use(pilot, tab: TrainingTab, settings: TrainingSettings) -> None:
    """Take `settings` as the settings form does when it closes (the tab's public `apply_settings`; typing every
    field would only slow the tests) and wait for the data source's state."""
    tab.apply_settings(replace(settings, checkpoint=tab.settings.checkpoint))
    await until(pilot, lambda: settings.data in tab.sources)


async def finish(pilot, tab: TrainingTab, timeout: float = 90.0) -> None:
    """Wait until the run has ended and its messages are handled."""
    await until(pilot, lambda: tab.job is not None and not tab.job.running and tab.phase == "idle", timeout)
    await wait_for_workers(pilot)


async def start_run(pilot, settings: TrainingSettings):
    """Open the Training tab, take `settings` and press `s`: returns the tab and its live view."""
    from cnn_tui.ui.tabs.training.live import TrainingLive

    tab = await open_training(pilot)
    await use(pilot, tab, settings)
    await pilot.press("s")
    return tab, pilot.app.query_one(TrainingLive)


class TrainerGate:
    """Holds the training thread before one batch of the run until the test lets it go: a test that needs a run
    at a certain batch waits for `reached` instead of racing the trainer (a fast CPU never shows a short window)."""

    def __init__(self, before_batch: int) -> None:
        self.before_batch = before_batch  # 1-based, counted over the whole run
        self.reached = threading.Event()
        self.released = threading.Event()

    def release(self) -> None:
        self.released.set()


def hold_trainer(monkeypatch, before_batch: int) -> TrainerGate:
    """The Training tab's next runs stop before batch `before_batch` (of the run) until `gate.release()`; the batches
    before it are done and each one is reported (the bar's 4-a-second limit is lifted, so it shows the batch the
    trainer is held after). A stopped run (the app quitting) is let go at once."""
    from dataclasses import replace

    from cnn_tui.ml.live_control import LiveController
    from cnn_tui.ui.tabs.training import job as training_job

    gate = TrainerGate(before_batch)

    class HeldController(LiveController):
        batches = 0

        def checkpoint(self, timeout: float | None = None) -> float:
            self.batches += 1  # the trainer asks once before every batch
            if self.batches == gate.before_batch:
                gate.reached.set()
                while not gate.released.wait(0.05) and not self.stopped:
                    pass
            return super().checkpoint(timeout)

    monkeypatch.setattr(training_job, "LiveController", HeldController)
    monkeypatch.setattr(training_job, "TRAINING_TAB_DEFAULTS", replace(training_job.TRAINING_TAB_DEFAULTS, update_interval_s=0.0))
    return gate
