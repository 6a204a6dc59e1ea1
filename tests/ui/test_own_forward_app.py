"""An own network whose forward never returns on the batches the app runs but not on the model-file check's: the
Predict tab says so in one sentence within the own-code time limit, and quitting while the Training tab's run is
stuck inside the forward ends the app at once with the run recorded as stopped and its last checkpoint intact."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import replace

from textual.widgets import TabbedContent

from cnn_tui import config as settings
from cnn_tui.config import AppConfig, Paths
from cnn_tui.ml.checkpoints import read_meta
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.tabs.predict.tab import PredictTab
from tests.conftest import SNAPSHOT_SIZE
from tests.own_networks import IN_EPOCH_TWO, ON_ONE_IMAGE, spinning, untrained_checkpoint, write_net
from tests.shown import text_of
from tests.tiny_network import CHECKPOINT_NAME
from tests.ui.training_helpers import cached_synthetic  # noqa: F401 (an autouse fixture)
from tests.ui.training_helpers import QUICK, finish, make_app, start_run, until
from tests.waiting import mounted


async def test_the_predict_tab_says_when_the_forward_on_one_image_never_returns(tmp_path, monkeypatch, endless_loop):
    monkeypatch.setattr(settings, "LIMITS", dataclasses.replace(settings.LIMITS, own_code_seconds=0.5))
    untrained_checkpoint(tmp_path, write_net(tmp_path, ON_ONE_IMAGE, endless_loop), CHECKPOINT_NAME)
    app = CnnTuiApp(AppConfig(lang="en", paths=Paths(models_dir=tmp_path)))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await until(pilot, lambda: app.shared.image is not None)
        await pilot.press("7")
        tab = await mounted(pilot, PredictTab)
        await until(pilot, lambda: tab.network_missing)
        assert spinning()
        info = " ".join(text_of(app, "#predict-info").split())
        assert (
            "net.py:Net: its forward on a [1, 3, 32, 32] batch did not finish within 0.5 s (an endless loop?); "
            "cnn-tui stopped waiting for it" in info
        ), info
        await pilot.press("1")  # the app still answers keys
        await until(pilot, lambda: app.query_one(TabbedContent).active != "predict")


async def test_quitting_while_a_training_forward_never_returns_records_the_run_as_stopped(scratch_folder, endless_loop):
    net = write_net(scratch_folder, IN_EPOCH_TWO, endless_loop)  # the first batch of epoch 2, after one checkpoint
    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab, _ = await start_run(pilot, replace(QUICK, model=f"{net}:Net", train_limit=64, batch_size=16, epochs=3))
        await until(pilot, spinning)
        job = tab.job
        await pilot.press("q")
    # Quitting waits for the trainer a bounded time (TRAINING_TAB_DEFAULTS.quit_wait_s): it has ended within it.
    assert job.finished.is_set()
    checkpoint = scratch_folder / tab.settings.checkpoint
    assert read_meta(checkpoint).epoch == 1
    (record,) = (scratch_folder / checkpoint.parent / "runs").glob("*/run.json")
    run = json.loads(record.read_text())
    assert (run["status"], run["reason"]) == ("stopped", "stopped by request during epoch 2, before batch 1"), run


async def test_the_predict_tab_says_when_the_model_file_was_replaced_by_an_endless_loop(tmp_path, monkeypatch, endless_loop):
    """The issue's case: a model file replaced by `while True: pass` after training left the Predict tab waiting
    forever; now reading the checkpoint ends within the own-code time limit, with the sentence in the tab."""
    monkeypatch.setattr(settings, "LIMITS", dataclasses.replace(settings.LIMITS, own_code_seconds=0.5))
    net = write_net(tmp_path, "False", "pass")
    untrained_checkpoint(tmp_path, net, CHECKPOINT_NAME)
    net.write_text(net.read_text().replace("    def forward(self, x):\n", f"    def forward(self, x):\n        {endless_loop}\n"))
    app = CnnTuiApp(AppConfig(lang="en", paths=Paths(models_dir=tmp_path)))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await until(pilot, lambda: app.shared.image is not None)
        await pilot.press("7")
        tab = await mounted(pilot, PredictTab)
        await until(pilot, lambda: tab.network_missing)
        info = " ".join(text_of(app, "#predict-info").split())
        assert (
            "net.py:Net: importing, building and checking it on a dummy batch did not finish within 0.5 s "
            "(an endless loop?); cnn-tui stopped waiting for it" in info
        ), info


async def test_a_model_file_that_calls_exit_is_a_sentence_in_the_training_tab(scratch_folder):
    """The issue's case: `s` with a model file ending in exit() ended the whole app with a SystemExit traceback."""
    net = write_net(scratch_folder, "False", "pass")
    net.write_text(net.read_text() + "\nexit()\n")
    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab, _ = await start_run(pilot, replace(QUICK, model=f"{net}:Net", epochs=1))
        await finish(pilot, tab)
        status = " ".join(text_of(app, "#training-status").split())
        line = net.read_text().splitlines().index("exit()") + 1
        assert status.endswith(
            f"net.py ended the program at net.py:{line} (exit() or sys.exit(), no code); a model file must only define "
            "the network, so remove that call"
        ), status
        assert app.is_running  # the app is still there


async def test_the_learned_feature_maps_say_when_the_forward_on_one_image_never_returns(tmp_path, monkeypatch, endless_loop):
    monkeypatch.setattr(settings, "LIMITS", dataclasses.replace(settings.LIMITS, own_code_seconds=0.5))
    untrained_checkpoint(tmp_path, write_net(tmp_path, ON_ONE_IMAGE, endless_loop), CHECKPOINT_NAME)
    app = CnnTuiApp(AppConfig(lang="en", paths=Paths(models_dir=tmp_path, data_dir=tmp_path / "no-data")))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await until(pilot, lambda: app.shared.image is not None)
        await pilot.press("4", "l")
        sentence = (
            "net.py:Net: its forward on a [1, 3, 32, 32] batch did not finish within 0.5 s (an endless loop?); "
            "cnn-tui stopped waiting for it"
        )
        await until(pilot, lambda: sentence in " ".join(text_of(app, "#fl-info").split()))
        assert spinning()
