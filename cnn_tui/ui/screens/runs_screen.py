"""The runs screen: the homework lab's recorded runs, compared in one view (opened from the Training tab)."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from cnn_tui.i18n import tr
from cnn_tui.render.safe_text import safe_markup
from cnn_tui.ui.localized import Localized
from cnn_tui.ui.textual_texts import KeysScreen
from cnn_tui.ui.widgets.lab_footer import LabFooter
from cnn_tui.ui.widgets.runs_view import RunsView


class RunsScreen(Localized, KeysScreen[None]):
    """Full-screen RunsView over `runs_dir`; escape goes back to the Training tab."""

    BINDINGS = [
        Binding("escape", "dismiss", "bind.close"),
        Binding("L", "app.toggle_language", "bind.language"),
    ]

    def __init__(self, runs_dir: Path) -> None:
        super().__init__(id="runs-screen")
        self.runs_dir = runs_dir

    def compose(self) -> ComposeResult:
        yield Static(id="runs-screen-title")
        yield RunsView(self.runs_dir, id="runs-view")
        yield LabFooter()

    def on_mount(self) -> None:
        self.query_one(RunsView).focus()

    def localize(self) -> None:
        self.query_one("#runs-screen-title", Static).update(tr("runs_screen.title", folder=safe_markup(self.runs_dir)))
