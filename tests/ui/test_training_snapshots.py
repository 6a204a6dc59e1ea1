"""SVG snapshots of the Model and Training tabs, taken after the workers have finished.

A finished run is a recorded one replayed (tests/ui/recorded_run.py): a run trained here would show other
digits on another CPU. Times and speeds are fixed text here because they vary from run to run.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from cnn_tui.config import TRAINING_TAB_DEFAULTS
from cnn_tui.core.training_settings import TrainingSettings
from cnn_tui.i18n import tr
from cnn_tui.ui.tabs.training import job as training_job
from cnn_tui.ui.tabs.training import tab as training
from cnn_tui.ui.tabs.model.tab import ModelTab
from cnn_tui.render import training_text
from tests.conftest import SNAPSHOT_SIZE
from tests.ui.recorded_run import SNAP, replay
from tests.ui.training_helpers import cached_synthetic  # noqa: F401 (an autouse fixture)
from tests.ui.training_helpers import finish, make_app, open_training, until, use
from tests.waiting import mounted, wait_for_workers



@pytest.fixture(autouse=True)
def _repeatable(tmp_path, monkeypatch):
    """A scratch folder (no CIFAR-10), the lecture recipe by default, fixed times, one CPU thread, the recorded run."""
    import torch

    from cnn_tui.ml import train as ml_train

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(training, "default_settings", lambda: TrainingSettings().with_recipe("lecture"))
    monkeypatch.setattr(training_text, "seconds_text", lambda seconds: "0.50s")
    monkeypatch.setattr(training_text, "speed_text", lambda speed: tr("training.live.speed", speed="2,000"))
    monkeypatch.setattr(training_job, "TRAINING_TAB_DEFAULTS", replace(TRAINING_TAB_DEFAULTS, threads=1))
    monkeypatch.setattr(ml_train, "pick_device", lambda name="auto": torch.device("cpu"))
    replay(monkeypatch)
    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)


def _after_run(*keys: str):
    async def run_before(pilot) -> None:
        tab = await open_training(pilot)
        await use(pilot, tab, SNAP)
        await pilot.press("s")
        await finish(pilot, tab)
        for key in keys:
            await pilot.press(key)
        await wait_for_workers(pilot)

    return run_before


def test_idle_form_with_cifar_missing(snap_compare):
    async def run_before(pilot) -> None:
        await open_training(pilot)
        await pilot.pause()

    assert snap_compare(make_app(), run_before=run_before, terminal_size=SNAPSHOT_SIZE)


def test_settings_form(snap_compare):
    async def run_before(pilot) -> None:
        await open_training(pilot)
        await pilot.press("e")
        await pilot.pause()

    assert snap_compare(make_app(), run_before=run_before, terminal_size=SNAPSHOT_SIZE)


def test_finished_run_with_charts(snap_compare):
    """The live view after four epochs: the last progress line, three charts and the epoch log."""
    assert snap_compare(make_app(), run_before=_after_run("v", "v"), terminal_size=SNAPSHOT_SIZE)


def test_results_with_confusion_matrix(snap_compare):
    assert snap_compare(make_app(), run_before=_after_run(), terminal_size=SNAPSHOT_SIZE)


def test_gallery_of_mistakes(snap_compare):
    assert snap_compare(make_app(), run_before=_after_run("v", "f", "right"), terminal_size=SNAPSHOT_SIZE)


def test_model_tab_for_the_lecture(snap_compare):
    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press("5")
        tab = await mounted(pilot, ModelTab)
        await until(pilot, lambda: tab.described is not None)
        await pilot.pause()

    assert snap_compare(make_app(), run_before=run_before, terminal_size=SNAPSHOT_SIZE)
