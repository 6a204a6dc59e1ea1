"""The runs view in a small test app: two recorded synthetic runs, their overlaid curves and their differences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, SelectionList, Static

from cnn_tui import i18n
from cnn_tui.ui.widgets.metric_chart import MetricChart
from cnn_tui.ui.widgets.runs_view import RunsView
from tests.conftest import SNAPSHOT_SIZE
from tests.waiting import wait_for_workers


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> Path:
    """Two real runs on synthetic data (4 epochs each), recorded by run_training."""
    import torch

    from cnn_tui.config import TrainRecipe
    from cnn_tui.ml.models import model_config
    from cnn_tui.ml.session import prepare_run, run_training
    from cnn_tui.ml.synthetic import make_synthetic
    from cnn_tui.ml.variants import edit_config

    runs_dir = tmp_path_factory.mktemp("records") / "runs"
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        data = make_synthetic(train=600, test=200, seed=4)
        recipe = TrainRecipe(name="tiny", epochs=4, batch_size=30, lr=4e-3, seed=0)
        lecture = model_config("lecture")
        for label, config in (("baseline", lecture), ("wider + gelu", edit_config(lecture, channels=(12, 24), activation="gelu"))):
            run = prepare_run(data, config, recipe, checkpoint=None, runs_dir=runs_dir, label=label)
            run_training(data, run, device=torch.device("cpu"))
    finally:
        torch.set_num_threads(threads)
    return runs_dir


# Per-epoch (train loss, train accuracy, test loss, test accuracy) for the snapshot, by label.
FIXED_CURVES = {
    "baseline": [(2.29, 0.12, 2.25, 0.11), (2.02, 0.24, 1.85, 0.28), (1.68, 0.36, 1.56, 0.32), (1.41, 0.47, 1.31, 0.39)],
    "wider + gelu": [(2.21, 0.16, 2.17, 0.16), (1.75, 0.33, 1.62, 0.36), (1.39, 0.47, 1.28, 0.46), (1.14, 0.58, 1.19, 0.51)],
}


@pytest.fixture
def fixed_records(recorded, tmp_path) -> Path:
    """The recorded runs with their metrics replaced by FIXED_CURVES: a picture that does not depend on
    floating-point details of the machine (the same run gave 0.39 and 0.405 here in different processes)."""
    import shutil

    from cnn_tui.ml.runs import RUN_FILE

    runs_dir = tmp_path / "runs"
    shutil.copytree(recorded, runs_dir)
    for path in runs_dir.glob(f"*/{RUN_FILE}"):
        record = json.loads(path.read_text(encoding="utf-8"))
        for epoch, values in zip(record["epochs"], FIXED_CURVES[record["label"]], strict=True):
            epoch.update(zip(("train_loss", "train_accuracy", "test_loss", "test_accuracy"), values))
        path.write_text(json.dumps(record), encoding="utf-8")
    return runs_dir


class RunsApp(App):
    """Only the runs view and a footer; remembers every RunsView.Changed."""

    def __init__(self, runs_dir: Path) -> None:
        super().__init__()
        self.runs_dir = runs_dir
        self.changes: list[tuple[str, ...]] = []

    def compose(self) -> ComposeResult:
        yield RunsView(self.runs_dir)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(RunsView).focus()

    def on_runs_view_changed(self, message: RunsView.Changed) -> None:
        self.changes.append(message.run_ids)


async def _loaded(pilot) -> RunsView:
    view = pilot.app.query_one(RunsView)
    await wait_for_workers(pilot)
    assert view.loaded
    return view


async def test_two_runs_are_picked_overlaid_and_compared(recorded):
    app = RunsApp(recorded)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        view = await _loaded(pilot)
        assert app.focused is view.query_one(SelectionList)
        assert {r.label for r in view.records} == {"baseline", "wider + gelu"}
        assert view.records[0].best_accuracy >= view.records[1].best_accuracy
        assert len(view.selected_runs) == 2
        accuracy, loss = view.query_one("#runs-accuracy", MetricChart), view.query_one("#runs-loss", MetricChart)
        assert [c.label[3:] for c in accuracy.lines] == [r.label for r in view.records]
        assert len({c.colour for c in accuracy.lines}) == 2 and all(len(c.xs) == 4 for c in loss.lines)
        assert accuracy.lines[0].ys == tuple(e.test_accuracy for e in view.records[0].epochs)
        table = view.query_one("#runs-diff", DataTable)
        keys = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert keys == ["model.name", "model.conv_channels", "model.activation"]
        assert "best:" in str(table.ordered_columns[1].label)

        await pilot.press("t")
        assert accuracy.lines[0].ys == tuple(e.train_accuracy for e in view.records[0].epochs)
        assert "train" in str(view.query_one("#runs-hint", Static).render())

        await pilot.press("c")
        await pilot.pause()
        assert view.selected_runs == [] and accuracy.lines == () and not table.display
        assert app.changes[-1] == ()
        await pilot.press("space")  # the highlighted run: the best one
        await pilot.pause()
        assert [r.run_id for r in view.selected_runs] == [view.records[0].run_id]
        await pilot.press("b")
        await pilot.pause()
        assert len(view.selected_runs) == 2 and table.display

        view.select([view.records[1].run_id])
        await pilot.pause()
        view.reload()
        await _loaded(pilot)
        assert [r.run_id for r in view.selected_runs] == [view.records[1].run_id]


async def test_an_empty_folder_says_how_runs_get_there(tmp_path):
    async with RunsApp(tmp_path / "none").run_test(size=SNAPSHOT_SIZE) as pilot:
        view = await _loaded(pilot)
        assert view.records == [] and "No recorded runs" in str(view.query_one("#runs-hint", Static).render())


async def test_unreadable_runs_are_counted_and_chinese_follows_the_language(recorded, tmp_path):
    import shutil

    runs_dir = tmp_path / "runs"
    shutil.copytree(recorded, runs_dir)
    (runs_dir / "broken").mkdir()
    (runs_dir / "broken" / "run.json").write_text("{", encoding="utf-8")
    async with RunsApp(runs_dir).run_test(size=SNAPSHOT_SIZE) as pilot:
        view = await _loaded(pilot)
        assert len(view.records) == 2 and "1 folders could not be read" in str(view.query_one("#runs-hint", Static).render())
        i18n.set_language("zh")
        view.apply_language()
        await pilot.pause()
        assert "次训练" in str(view.query_one("#runs-hint", Static).render())
        header = view.query_one("#runs-accuracy .chart-header", Static)
        assert str(header.render()).startswith("每轮测试准确率")


def test_overlay_of_two_recorded_runs(snap_compare, fixed_records, monkeypatch):
    monkeypatch.chdir(fixed_records.parent)  # the view names its folder: keep the temporary path out of the picture

    async def run_before(pilot) -> None:
        await _loaded(pilot)

    assert snap_compare(RunsApp(Path("runs")), run_before=run_before, terminal_size=SNAPSHOT_SIZE)


def test_overlay_in_chinese_keeps_the_plots_rows(snap_compare, fixed_records, monkeypatch):
    """Chinese title and legend sit in a Rich line above each plot (plotext counts characters, not cells)."""
    monkeypatch.chdir(fixed_records.parent)
    i18n.set_language("zh")

    async def run_before(pilot) -> None:
        await _loaded(pilot)

    assert snap_compare(RunsApp(Path("runs")), run_before=run_before, terminal_size=SNAPSHOT_SIZE)
