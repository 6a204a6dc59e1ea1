"""The homework's path in the app (issue 26): the network edited in the Model tab, saved, summarised at once, then
offered by the Training tab's form and trained on the synthetic data, with nothing typed in between; in a served
session the file stays in the session's folder and that file is the one trained."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select, TextArea

from cnn_tui.config import AppConfig
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.tabs.model.network_editor import NetworkEditor
from cnn_tui.ui.tabs.training.form import TrainingForm
from cnn_tui.ui.tabs.model.tab import ModelTab
from cnn_tui.ui.tabs.training.tab import TrainingTab
from tests.conftest import SNAPSHOT_SIZE
from tests.shown import notified, text_of
from tests.ui.training_helpers import cached_synthetic  # noqa: F401 (an autouse fixture)
from tests.ui.training_helpers import finish, make_app, open_training, until

OWN = "my_network.py:ImageClassification"
# One small epoch: 256 synthetic images in batches of 32, 100 to test.
QUICK_FORM = {"data": "synthetic", "epochs": "1", "batch_size": "32", "train_limit": "256", "test_limit": "100"}


def _wider(lecture: str) -> str:
    """The homework's change: 32 channels in the second convolution, and the first Linear layer to match."""
    return lecture.replace("Conv2d(6, 16,", "Conv2d(6, 32,").replace("in_features=576", "in_features=1152")


async def _edit_and_save(pilot) -> ModelTab:
    """In the Model tab: e, the lecture's network made wider, ctrl+s; returns the tab once it describes the file."""
    await pilot.press("5")
    tab = pilot.app.query_one(ModelTab)
    await until(pilot, lambda: tab.described is not None)
    await pilot.press("e")
    await until(pilot, lambda: isinstance(pilot.app.screen, NetworkEditor))
    area = pilot.app.screen.query_one(TextArea)
    area.load_text(_wider(area.text))
    await pilot.press("ctrl+s")
    await until(pilot, lambda: tab.described is not None and tab.described.name.endswith(OWN.partition(":")[2]))
    return tab


async def _train_from_the_form(pilot, tab: TrainingTab) -> None:
    """e in the Training tab: the form offers the saved network (already chosen); one small synthetic epoch; s."""
    await pilot.press("e")
    await until(pilot, lambda: isinstance(pilot.app.screen, TrainingForm))
    form = pilot.app.screen
    model = form.query_one("#training-field-model", Select)
    assert model.value == tab.settings.model and tab.settings.model in form.models
    for name, value in QUICK_FORM.items():
        form.query_one(f"#training-field-{name}", Input).value = value
    await pilot.click("#training-form-apply")
    await until(pilot, lambda: not isinstance(pilot.app.screen, TrainingForm))
    await until(pilot, lambda: "synthetic" in tab.sources)
    await pilot.press("s")
    await finish(pilot, tab)


@pytest.mark.slow
async def test_save_summary_then_the_training_tab_trains_the_saved_network(scratch_folder):
    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        training = await open_training(pilot)  # built before the save: the app's announcement reaches it
        assert training.settings.model == "lecture"
        model = await _edit_and_save(pilot)
        assert notified(app, f"the Training tab (6) trains {OWN} from now on")
        chain = " ".join(text_of(model, "#model-chain").split())
        assert "32×6×6" in chain and "1152" in chain  # the new summary and shape chain, at once
        assert "Conv2d" in text_of(model, "#model-table") and model.error is None
        assert app.shared.network == OWN

        await pilot.press("6")
        await until(pilot, lambda: training.settings.model == OWN)
        assert OWN in text_of(training, "#training-settings")
        await _train_from_the_form(pilot, training)
        status = " ".join(text_of(training, "#training-status").split())
        assert "Finished 1 epoch." in status, status
        assert f"model {OWN} after 1 epoch" in " ".join(text_of(app, "#results-headline").split())
        assert training.settings.data == "synthetic" and training.settings.epochs == 1


@pytest.mark.slow
async def test_a_served_session_trains_the_network_saved_in_its_own_folder(tmp_path, monkeypatch):
    folder, elsewhere = tmp_path / "session", tmp_path / "server"
    folder.mkdir()
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the server's working folder: nothing is written there
    app = CnnTuiApp(AppConfig(lang="en", confine=folder))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await _edit_and_save(pilot)
        saved = folder / "my_network.py"
        assert saved.is_file() and not (elsewhere / "my_network.py").exists()
        assert app.shared.network == f"{saved.resolve()}:ImageClassification"
        training = await open_training(pilot)  # built after the save: it reads the app's state
        assert training.settings.model == app.shared.network
        await _train_from_the_form(pilot, training)
        status = " ".join(text_of(training, "#training-status").split())
        assert "Finished 1 epoch." in status, status
