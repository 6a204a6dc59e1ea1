"""The learner's own network file in the Model tab (`f`): a missing file and a missing class are one sentence each,
a good file is described like a built-in model and stays among the choices."""

from __future__ import annotations

from cnn_tui.config import AppConfig
from cnn_tui.ui.app import CnnTuiApp
from tests.conftest import SNAPSHOT_SIZE
from tests.shown import text_of
from tests.ui.training_helpers import until
from tests.waiting import mounted


async def test_the_model_tab_describes_an_own_network_file(tmp_path):
    from textual.widgets import Input

    from cnn_tui.ui.tabs.model.tab import ModelTab

    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await pilot.press("5")
        tab = await mounted(pilot, ModelTab)
        await until(pilot, lambda: tab.described is not None)
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one(Input).value = str(tmp_path / "missing.py") + ":Net"
        await pilot.press("enter")
        await pilot.pause()
        assert "there is no file" in text_of(app.screen, "#convpool-form-message")
        app.screen.query_one(Input).value = "examples/my_network.py:Nope"
        await pilot.press("enter")
        await until(pilot, lambda: "my_network.py has no class 'Nope'; it defines MyNetwork" in text_of(tab, "#model-chain"))
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one(Input).value = "examples/my_network.py:MyNetwork"
        await pilot.press("enter")
        await until(pilot, lambda: tab.described is not None and tab.described.name == "examples/my_network.py:MyNetwork")
        await pilot.pause()
        assert "→ bn1 → 16×32×32 →" in " ".join(text_of(app, "#model-chain").split())
        assert "examples/my_network.py:MyNetwork" in tab.models
