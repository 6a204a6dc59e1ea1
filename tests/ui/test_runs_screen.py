"""The Training tab opens the recorded runs side by side (R) and goes back (esc)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cnn_tui.config import AppConfig, Paths
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.screens.runs_screen import RunsScreen
from cnn_tui.ui.widgets.runs_view import RunsView
from tests.conftest import SNAPSHOT_SIZE
from tests.waiting import wait_for_workers


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory) -> Path:
    """A models folder with two real one-epoch runs on a small synthetic set, recorded by run_training."""
    import torch

    from cnn_tui.config import TrainRecipe
    from cnn_tui.ml.models import model_config
    from cnn_tui.ml.runs import RUNS_FOLDER
    from cnn_tui.ml.session import prepare_run, run_training
    from cnn_tui.ml.synthetic import make_synthetic

    folder = tmp_path_factory.mktemp("models")
    data = make_synthetic(train=120, test=60, seed=1)
    recipe = TrainRecipe(name="tiny", epochs=1, batch_size=30, lr=4e-3, seed=0)
    for label in ("first", "second"):
        run = prepare_run(data, model_config("lecture"), recipe, checkpoint=None, runs_dir=folder / RUNS_FOLDER, label=label)
        run_training(data, run, device=torch.device("cpu"))
    return folder


async def test_training_tab_opens_the_recorded_runs_and_goes_back(models_dir):
    app = CnnTuiApp(AppConfig(paths=Paths(models_dir=models_dir)))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await pilot.press("6")
        await wait_for_workers(pilot)
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, RunsScreen)
        await wait_for_workers(pilot)
        view = app.screen.query_one(RunsView)
        assert sorted(record.label for record in view.records) == ["first", "second"]
        assert str(models_dir / "runs") in str(app.screen.query_one("#runs-screen-title").render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, RunsScreen)
        assert app.query_one("TabbedContent").active == "training"


async def test_the_pick_list_follows_the_language_key(models_dir, tmp_path):
    """A homework run's label is recorded in English and shown in the learner's language: L switches the pick
    list's rows at once, with no reload."""
    import json
    import shutil

    from textual.widgets import SelectionList

    from cnn_tui.ml.runs import RUN_FILE

    folder = tmp_path / "models"
    shutil.copytree(models_dir, folder)
    for path in (folder / "runs").glob(f"*/{RUN_FILE}"):
        record = json.loads(path.read_text(encoding="utf-8"))
        if record["label"] == "first":
            record["label"] = "homework: more conv output channels"
            path.write_text(json.dumps(record), encoding="utf-8")
    app = CnnTuiApp(AppConfig(paths=Paths(models_dir=folder)))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await pilot.press("6")
        await wait_for_workers(pilot)
        await pilot.press("R")
        await pilot.pause()
        await wait_for_workers(pilot)
        chooser = app.screen.query_one(SelectionList)

        def rows() -> list[str]:
            return [str(option.prompt) for option in chooser.options]

        english = rows()
        assert any("homework: more conv" in row for row in english) and any("second" in row for row in english), english
        await pilot.press("L")
        assert app.lang == "zh"
        chinese = rows()
        assert any("作业：更多的卷积输出" in row for row in chinese) and not any("homework" in row for row in chinese), chinese
        assert any("second" in row for row in chinese) and len(chinese) == len(english)
        await pilot.press("L")
        assert rows() == english
