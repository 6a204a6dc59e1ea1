"""Pilot tests of the Training tab: real (tiny, synthetic) runs started, paused, stopped and quit from the keyboard."""

from __future__ import annotations

import asyncio
import re
import threading
from pathlib import Path

import pytest

from cnn_tui.config import AppConfig
from cnn_tui.ml.checkpoints import load_model
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.widgets.metric_chart import MetricChart
from cnn_tui.ui.screens.image_detail import ImageDetail
from cnn_tui.ui.tabs.training.gallery import TrainingGallery
from cnn_tui.ui.tabs.training.live import TrainingLive
from tests.conftest import SNAPSHOT_SIZE
from tests.ui.training_helpers import cached_synthetic  # noqa: F401 (an autouse fixture)
from tests.ui.training_helpers import LONG, QUICK, finish, hold_trainer, make_app, open_training, start_run, until, use
from tests.shown import notified, text_of

pytestmark = pytest.mark.usefixtures("scratch_folder")


async def test_missing_cifar_is_explained_and_synthetic_offered():
    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_training(pilot)
        source = text_of(app, "#training-source")
        assert "missing: /home/learner/.local/share/cnn-tui/cifar-10-batches-py" in source and "d: use the synthetic data set" in source
        assert "--data PATH" in source
        await pilot.press("s")
        assert tab.job is None and notified(app, "data set is missing")
        await pilot.press("d")
        await until(pilot, lambda: "synthetic" in tab.sources)
        assert tab.settings.data == "synthetic" and "built in" in text_of(app, "#training-source")


async def test_start_updates_bar_and_charts_then_stop_ends_the_run(monkeypatch):
    gate = hold_trainer(monkeypatch, before_batch=6)  # held with five batches of epoch 1 done
    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab, live = await start_run(pilot, LONG)
        await until(pilot, gate.reached.is_set)
        chart = app.query_one("#chart-batch-loss", MetricChart)
        # The bar shows the last batch done and the chart draws the series (both at most a few times a second).
        await until(pilot, lambda: live.progress is not None and live.progress.batch == 5 and chart.lines and chart.lines[0].xs)
        progress = text_of(app, "#live-progress")
        assert re.search(r"epoch 1/200 · 5/128 · 4%", progress) and "img/s" in progress and "ETA " in progress, progress
        assert chart.lines[0].xs[-1] <= live.series.xs[-1] and len(live.series) >= 3
        assert tab.phase == "training", (tab.phase, tab.note.text().plain)
        await pilot.press("x")
        assert tab.job.controller.stopped and tab.phase in ("stopping", "testing", "idle")
        gate.release()
        await finish(pilot, tab)
        assert re.search(r"Stopped after 0 complete epochs?\b", text_of(app, "#training-status"))
        assert tab.view == "results"  # the results of the model as it was when stopped


async def test_pause_holds_the_trainer_and_resume_continues(monkeypatch):
    gate = hold_trainer(monkeypatch, before_batch=6)
    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab, live = await start_run(pilot, LONG)
        await until(pilot, gate.reached.is_set)
        await pilot.press("space")
        assert tab.phase == "paused" and tab.job.controller.paused
        assert "Paused" in text_of(app, "#training-status")
        gate.release()  # the trainer goes on into the pause, before batch 6
        await pilot.pause(0.5)  # time it would need to go on, if the pause did not hold it
        assert tab.job.controller.batches == 6, "the trainer went on while paused"
        await pilot.press("space")
        assert tab.phase == "training" and not tab.job.controller.paused
        await until(pilot, lambda: tab.job.controller.batches > 6 and (live.progress.epoch, live.progress.batch) > (1, 5))
        await pilot.press("x")
        await finish(pilot, tab)


@pytest.mark.slow
async def test_a_second_start_is_refused_politely():
    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_training(pilot)
        await use(pilot, tab, LONG)
        await pilot.press("s")
        first = tab.job
        await until(pilot, lambda: app.query_one(TrainingLive).progress is not None)
        await pilot.press("s")
        assert tab.job is first and first.running
        assert notified(app, "already going")
        assert len([w for w in app.workers if w.group == "training" and not w.is_finished]) == 1
        await pilot.press("x")
        await finish(pilot, tab)


@pytest.mark.slow
async def test_save_now_writes_a_loadable_checkpoint_between_batches():
    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_training(pilot)
        await use(pilot, tab, LONG)
        await pilot.press("w")
        assert notified(app, "No model to save")
        await pilot.press("s")
        await until(pilot, lambda: app.query_one(TrainingLive).progress is not None)
        await pilot.press("w")
        await until(pilot, lambda: notified(app, "saved models/image_classification-epoch"))
        saved = sorted(Path("models").glob("image_classification-epoch*.pth"))
        assert len(saved) == 1 and re.fullmatch(r"image_classification-epoch\d+(-batch\d+)?\.pth", saved[0].name)
        model, meta = load_model(saved[0])
        assert meta.classes[0] == "disc" and meta.recipe.batch_size == 16 and len(meta.metrics) == meta.epoch
        await pilot.press("x")
        await finish(pilot, tab)


@pytest.mark.slow
def test_quitting_while_training_stops_the_thread_and_keeps_the_checkpoint(tmp_path: Path):
    """Quit in the middle of epoch 2: the worker ends within a batch, no thread is left, epoch 1's checkpoint loads."""
    before = set(threading.enumerate())
    seen: dict[str, object] = {}

    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            tab, live = await start_run(pilot, LONG)
            await until(pilot, lambda: live.history and live.progress is not None and live.progress.epoch >= 2)
            seen["job"] = tab.job
            await pilot.press("q")
        seen["finished"] = seen["job"].finished.is_set()

    runner = threading.Thread(target=lambda: asyncio.run(scenario()))
    runner.start()
    runner.join(120)
    assert not runner.is_alive(), "the app did not exit after q while training"
    assert seen["finished"] is True
    left = [t for t in set(threading.enumerate()) - before if t.is_alive()]
    assert left == [], f"threads left behind: {left}"
    model, meta = load_model(tmp_path / "models" / "image_classification.pth")
    assert meta.epoch >= 1 and len(meta.metrics) == meta.epoch


async def test_results_gallery_mistakes_and_top3_after_a_run():
    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_training(pilot)
        await use(pilot, tab, QUICK)
        await pilot.press("s")
        await finish(pilot, tab)
        live = app.query_one(TrainingLive)
        assert [r.epoch for r in live.history] == [1, 2]
        assert "Finished 2 epochs" in text_of(app, "#training-status")
        log = "\n".join(app.query_one("#live-log").lines)
        assert "epoch: 1 loss:" in log and "epoch: 2 loss:" in log and " acc:" in log and " time:" in log
        report = app.query_one("#training-results").report
        assert report.evaluation.accuracy == pytest.approx(live.history[-1].test_accuracy)
        headline = text_of(app, "#results-headline")
        assert f"Acc: {report.evaluation.accuracy:.2f}" in headline and "100 test images" in headline
        confusion = text_of(app, "#results-confusion")
        assert "true \\ pred" in confusion and "triangle" in confusion and "h-stripes" in confusion
        assert tab.view == "results"
        await pilot.press("v")
        gallery = app.query_one(TrainingGallery)
        assert tab.view == "gallery" and app.focused is gallery
        assert len(gallery.indices) == 100 and gallery.page_size >= 4
        await pilot.press("f")
        mistakes = report.mistakes()
        assert gallery.mistakes_only and list(gallery.indices) == list(mistakes)
        if len(mistakes) > 1:
            await pilot.press("right")
            assert gallery.selected_image == int(mistakes[1])
        await pilot.press("enter")
        assert isinstance(app.screen, ImageDetail)
        top = text_of(app.screen, "#detail-top")
        index = gallery.selected_image
        names = [report.classes[int(c)] for c in report.top_classes[index]]
        assert all(name in top for name in names) and "%" in top
        await pilot.press("escape")
        assert not isinstance(app.screen, ImageDetail)


async def test_results_of_the_saved_checkpoint_match_the_run():
    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_training(pilot)
        await use(pilot, tab, QUICK)
        await pilot.press("s")
        await finish(pilot, tab)
        accuracy = app.query_one("#training-results").report.evaluation.accuracy
        app.query_one("#training-results").show(None)
        await pilot.press("c")
        await until(pilot, lambda: tab.phase == "idle" and app.query_one("#training-results").report is not None)
        assert app.query_one("#training-results").report.evaluation.accuracy == pytest.approx(accuracy)
        assert "results of models/image_classification.pth (epoch 2)" in text_of(app, "#training-status")
        assert [r.epoch for r in app.query_one(TrainingLive).history] == [1, 2]


async def test_a_missing_checkpoint_is_one_clear_line_in_the_apps_language_and_again_after_a_switch():
    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_training(pilot)
        await use(pilot, tab, QUICK)
        await pilot.press("c")
        await until(pilot, lambda: tab.phase == "idle")
        status = text_of(app, "#training-status")
        assert "无法运行：models/image_classification.pth 处没有检查点" in status
        await pilot.press("L")  # the line is said again in the new language
        await until(pilot, lambda: "could not run: no checkpoint at models/image_classification.pth" in text_of(app, "#training-status"))


async def test_the_form_checks_fields_and_a_recipe_fills_its_values():
    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_training(pilot)
        await pilot.press("e")
        form = app.screen
        epochs = form.query_one("#training-field-epochs")
        epochs.value = "many"
        form.query_one("#training-field-lr").value = "-1"
        form.apply()
        await pilot.pause()
        problems = text_of(form, "#training-form-problems")
        assert "epochs: 'many' is not a whole number" in problems and "learning rate: must be a number above 0" in problems
        form.query_one("#training-field-recipe").value = "lecture"
        await pilot.pause()
        assert epochs.value == "10" and form.query_one("#training-field-lr").value == "0.001"
        assert form.query_one("#training-field-batch_size").value == "8"
        form.query_one("#training-field-data").value = "synthetic"
        form.query_one("#training-field-train_limit").value = "300"
        form.query_one("#training-field-data").focus()
        await pilot.press("enter")
        await until(pilot, lambda: tab.settings.data == "synthetic" and "synthetic" in tab.sources)
        assert (tab.settings.recipe, tab.settings.epochs, tab.settings.batch_size, tab.settings.train_limit) == ("lecture", 10, 8, 300)
        assert "300" in text_of(app, "#training-settings")


async def test_keys_are_listed_in_help_and_the_tab_speaks_chinese():
    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_training(pilot)
        keys = {b.key for _, b in app.tab_bindings(app.slot("training"))}
        assert {"s", "space", "x", "w", "e"} <= keys
        await pilot.press("L")
        assert "训练轮数" in text_of(app, "#training-settings")
        assert "缺失" in text_of(app, "#training-source")
        assert app.query_one("#chart-epoch-loss", MetricChart).title_key == "training.chart.epoch_loss"
        assert tab.phase == "idle"


async def test_a_diverging_run_says_so_and_what_to_change_in_the_tab():
    from dataclasses import replace

    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab, _ = await start_run(pilot, replace(QUICK, optimizer="sgd", lr=1e9, epochs=1))
        await finish(pilot, tab)
        status = " ".join(text_of(app, "#training-status").split())
        assert "Training diverged after 0 complete epochs." in status and ": training diverged" in status
        assert "Lower the learning rate (e: settings) and start again." in status and "--lr" not in status
        await pilot.press("L")
        await until(pilot, lambda: "请调低学习率（e：设置）后重新开始。" in text_of(app, "#training-status"))
        assert "训练发散了" in text_of(app, "#training-status")
