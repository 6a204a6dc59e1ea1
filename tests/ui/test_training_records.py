"""The Training tab reports what it saved: stop mid-epoch, save while paused, an unwritable checkpoint path."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from cnn_tui.ui.tabs.training.live import TrainingLive
from tests.conftest import SNAPSHOT_SIZE
from tests.ui.training_helpers import cached_synthetic  # noqa: F401 - an autouse fixture
from tests.ui.training_helpers import LONG, finish, hold_trainer, make_app, open_training, start_run, until, use
from tests.shown import notified, text_of
from tests.waiting import wait_for_workers

pytestmark = pytest.mark.usefixtures("scratch_folder")

# 16 batches an epoch: a stop lands in the middle of epoch 2 or later.
MEDIUM = replace(LONG, train_limit=256, batch_size=16)


def _accuracy(app) -> str:
    found = re.search(r"accuracy (\d\.\d{4})", text_of(app, "#results-headline"))
    assert found, text_of(app, "#results-headline")
    return found.group(1)


async def test_stop_mid_epoch_reports_the_saved_checkpoint_and_c_agrees(monkeypatch):
    gate = hold_trainer(monkeypatch, before_batch=16 + 4)  # held with three batches of epoch 2 done
    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab, live = await start_run(pilot, MEDIUM)
        await until(pilot, gate.reached.is_set)
        await pilot.press("x")
        await until(pilot, lambda: tab.job.controller.stopped)
        gate.release()
        await finish(pilot, tab)
        assert "Stopped after 1 complete epoch" in text_of(app, "#training-status")
        assert "after 1 epoch" in text_of(app, "#results-headline")
        after_stop = _accuracy(app)
        await pilot.press("c")  # the saved checkpoint's results
        await until(pilot, lambda: tab.phase == "idle" and "results of" in text_of(app, "#training-status"), 120)
        await wait_for_workers(pilot)
        assert _accuracy(app) == after_stop, "the stop reported other weights than the ones saved"


async def test_save_while_paused_is_named_by_the_epoch_the_bar_shows(monkeypatch):
    gate = hold_trainer(monkeypatch, before_batch=16 + 5)  # held with four batches of epoch 2 done
    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab, live = await start_run(pilot, MEDIUM)
        await until(pilot, gate.reached.is_set)
        await pilot.press("space")
        await until(pilot, lambda: tab.phase == "paused")
        gate.release()  # the trainer goes on into the pause
        await pilot.press("w")
        await until(pilot, lambda: notified(app, "saved models/"))
        shown = text_of(app, "#live-progress")
        assert re.search(r"epoch 2/\d+ · 4/16", shown), shown  # the bar shows the batch it saved
        assert [path.name for path in Path("models").glob("image_classification-epoch*.pth")] == [
            "image_classification-epoch2-batch4.pth"
        ]
        await pilot.press("x")
        await finish(pilot, tab)


async def test_an_unwritable_checkpoint_is_refused_before_training():
    Path("models").mkdir()
    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_training(pilot)
        await use(pilot, tab, MEDIUM)
        await pilot.press("e")  # the settings form takes a file name (it refuses a folder) ...
        app.screen.query_one("#training-field-checkpoint").value = "models/mine.pth"
        await pilot.press("enter")
        await until(pilot, lambda: tab.settings.checkpoint == "models/mine.pth")
        Path("models/mine.pth").mkdir()  # ... that is a folder by the time training starts
        await pilot.press("s")
        await finish(pilot, tab)
        status = text_of(app, "#training-status")
        assert "Cannot save to models/mine.pth (is a folder, not a file)" in status and "Press e" in status
        assert app.query_one(TrainingLive).progress is None, "training started before the path was checked"


async def test_the_log_names_the_data_in_the_lectures_chinese_and_wraps_class_to_idx():
    from rich.cells import cell_len
    from textual.widgets import Log

    from cnn_tui.config import AppConfig
    from cnn_tui.ui.app import CnnTuiApp
    from tests.ui.training_helpers import QUICK

    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_training(pilot)
        await use(pilot, tab, QUICK)
        await pilot.press("s")
        await finish(pilot, tab)
        lines = list(app.query_one(TrainingLive).query_one(Log).lines)
        text = "\n".join(lines)
        assert "数据集类别：{" in text and "训练集数据集：(" in text and "测试集数据集：(" in text, text
        assert "classes:" not in text and "train:" not in text
        closing = next(i for i, line in enumerate(lines) if line.rstrip().endswith("}"))
        assert all(cell_len(line) <= 72 for line in lines[: closing + 1]), lines
