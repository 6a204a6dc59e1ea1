"""Pilot tests of the Training tab's inner-numbers view (`v`): per layer the norms and histograms of weights and
gradients, redrawn from the trainer's messages while a run trains and kept after it."""

from __future__ import annotations

import pytest
import torch

from cnn_tui.ml.inner_numbers import weighted_layers
from cnn_tui.ui.messages import InnerUpdate
from cnn_tui.ui.tabs.training.inner import TrainingInner
from tests.conftest import SNAPSHOT_SIZE
from tests.shown import text_of
from tests.ui.training_helpers import QUICK, cached_synthetic  # noqa: F401 (an autouse fixture)
from tests.ui.training_helpers import finish, make_app, open_training, start_run, until


@pytest.fixture(autouse=True)
def _scratch(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


async def test_v_shows_each_layers_weights_and_gradients_after_a_run():
    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab, _live = await start_run(pilot, QUICK)
        await finish(pilot, tab)
        while tab.view != "inner":
            await pilot.press("v")
        view = app.query_one(TrainingInner)
        snapshot = view.snapshot
        assert snapshot is not None and snapshot.batch == 0 and snapshot.epoch == QUICK.epochs
        model = tab.job.prepared.model
        layers = weighted_layers(model)
        weighted = [row for row in snapshot.layers if row.weights is not None]
        assert [row.layer for row in weighted] == [name for name, _ in layers]
        assert [row.layer for row in snapshot.layers if row.weights is None] == ["pool1", "pool2"]  # ReLUs after pooling
        dead = {row.layer: row.dead for row in snapshot.layers if row.dead is not None}
        assert set(dead) == {"pool1", "pool2", "linear1", "linear2"} and all(0 <= share <= 1 for share in dead.values())
        for row, (_name, weight) in zip(weighted, layers):
            assert row.weight_norm == pytest.approx(float(weight.detach().norm()), rel=1e-5)
            assert int(row.weights.counts.sum()) == weight.numel()
            assert row.weights.edge == pytest.approx(float(weight.detach().abs().max()), rel=1e-6)
            assert row.grads is not None and int(row.grads.counts.sum()) == weight.numel()
            assert row.grad_norm is not None and row.grad_norm >= 0
            assert row.change is not None and row.change > 0  # an epoch of training moved every layer
        shown = text_of(app, "#training-inner-table")
        assert f"Inner numbers at the end of epoch {QUICK.epochs}" in shown
        assert all(row.layer in shown for row in snapshot.layers)
        assert "dead ReLU" in shown and "gradients" in shown


async def test_the_view_follows_the_trainers_messages_of_its_own_run_only():
    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_training(pilot)
        await pilot.press("v")
        assert tab.view == "inner"
        view = app.query_one(TrainingInner)
        assert "While a run trains, each layer's weights and gradients appear here" in text_of(app, "#training-inner-table")
        from cnn_tui.ml.inner_histograms import snapshot

        layer = torch.nn.Conv2d(1, 2, 3)
        tab.post_message(InnerUpdate(tab.run_id + 1, snapshot(layer, 1, 5)))  # another run's: ignored
        await pilot.pause()
        assert view.snapshot is None
        model = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3))
        tab.post_message(InnerUpdate(tab.run_id, snapshot(model, 1, 5)))
        await until(pilot, lambda: view.snapshot is not None)
        assert "Inner numbers after batch 5 of epoch 1" in text_of(app, "#training-inner-table")
        await pilot.press("L")  # the other language: the same numbers in Chinese
        await until(pilot, lambda: "第 1 轮第 5 批之后的内部数值" in text_of(app, "#training-inner-table"))


async def test_the_view_redraws_between_batches_while_a_run_trains(monkeypatch):
    """With no time between snapshots, the view shows the batch the trainer is held after, and its gradients."""
    from cnn_tui.ml import inner_histograms
    from tests.ui.training_helpers import LONG, hold_trainer

    original = inner_histograms.watch_run
    monkeypatch.setattr(inner_histograms, "watch_run", lambda run, data, interval_s=2.0: original(run, data, 0.0))
    gate = hold_trainer(monkeypatch, before_batch=6)  # held with five batches of epoch 1 done
    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab, _live = await start_run(pilot, LONG)
        await pilot.press("v")
        assert tab.view == "inner"
        view = app.query_one(TrainingInner)
        await until(pilot, gate.reached.is_set)
        await until(pilot, lambda: view.snapshot is not None and view.snapshot.batch == 5)
        assert view.snapshot.epoch == 1 and all(row.grads is not None for row in view.snapshot.layers)
        await until(pilot, lambda: "Inner numbers after batch 5 of epoch 1" in text_of(app, "#training-inner-table"))
        gate.release()
        await pilot.press("x")
        await finish(pilot, tab)
