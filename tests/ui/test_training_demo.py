"""The Training tab's synthetic run with its default settings learns visibly: 0.90 test accuracy or more."""

from __future__ import annotations

import pytest

from cnn_tui.ui.tabs.training.live import TrainingLive
from tests.ui.training_helpers import cached_synthetic  # noqa: F401 (an autouse fixture)
from tests.ui.training_helpers import finish, make_app, open_training, until


@pytest.mark.slow
async def test_synthetic_run_with_the_tab_defaults_reaches_090(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        tab = await open_training(pilot)
        await pilot.press("d")
        await until(pilot, lambda: "synthetic" in tab.sources)
        await pilot.press("s")
        await finish(pilot, tab, timeout=300)
        history = tab.query_one(TrainingLive).history
        assert tab.settings.recipe == "fast" and len(history) == tab.settings.epochs
        assert history[-1].test_accuracy >= 0.90
        assert "batch 64 instead of 256" in "\n".join(str(line) for line in tab.query_one(TrainingLive).query("Log").first().lines)
