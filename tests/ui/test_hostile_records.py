"""The app on hostile records: a run labelled `lr [/b]` or holding escape sequences, a `[1,2,3]` run.json, a FIFO."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, SelectionList, Static

from cnn_tui.config import AppConfig, Paths
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.screens.runs_screen import RunsScreen
from cnn_tui.ui.widgets.runs_view import RunsView
from tests.conftest import SNAPSHOT_SIZE
from tests.hostile import ESCAPE_SHOWN, MARKUP_LABEL, write_hostile_runs
from tests.waiting import wait_for_workers


async def test_training_runs_view_shows_hostile_labels_as_text_and_says_what_it_skipped(tmp_path: Path):
    models_dir = tmp_path / "[b]"  # a models folder whose name is markup too
    write_hostile_runs(models_dir / "runs")
    app = CnnTuiApp(AppConfig(paths=Paths(models_dir=models_dir)))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await pilot.press("6")
        await wait_for_workers(pilot)
        await pilot.press("R")
        await pilot.pause()
        await wait_for_workers(pilot)
        assert isinstance(app.screen, RunsScreen), "the app left the runs screen (crashed?)"
        view = app.screen.query_one(RunsView)
        assert view.loaded, "the view still says it is reading the runs"
        hint = str(view.query_one("#runs-hint", Static).render())
        assert "2 folders could not be read and are left out" in hint and "is a named pipe (FIFO)" in hint
        prompts = [str(option.prompt) for option in view.query_one(SelectionList).options]
        assert any(MARKUP_LABEL in p for p in prompts) and any(ESCAPE_SHOWN[:12] in p for p in prompts)
        table = view.query_one("#runs-diff", DataTable)
        cells = [str(table.get_cell_at((row, col))) for row in range(table.row_count) for col in range(len(table.columns))]
        assert any("[red]\\x1b]2;PWNED-TITLE\\x1b\\" in cell for cell in cells), cells
        assert not any("\x1b" in text for text in (hint, *prompts, *cells))
