"""The help screen: every key of the current tab and every global key, in the current language."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from cnn_tui.i18n import tr
from cnn_tui.ui.localized import Localized
from cnn_tui.ui.textual_texts import KeysModalScreen

# A help section: a heading and its (key, description) rows.
HelpSection = tuple[str, list[tuple[str, str]]]


class HelpScreen(Localized, KeysModalScreen[None]):
    """A modal list of keys; `sections` is called again whenever the language changes."""

    BINDINGS = [
        ("escape", "dismiss", "bind.close"),
        ("question_mark", "dismiss", "bind.close"),
        ("q", "dismiss", "bind.close"),
    ]

    def __init__(self, sections: Callable[[], list[HelpSection]]) -> None:
        super().__init__()
        self._sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            yield Static(id="help-title")
            with VerticalScroll(id="help-body"):
                yield Static(id="help-table")
            yield Static(id="help-hint")

    def localize(self) -> None:
        self.query_one("#help-title", Static).update(Text(tr("help.title"), style="bold"))
        self.query_one("#help-hint", Static).update(Text(tr("help.close_hint"), style="dim"))
        parts = []
        for heading, rows in self._sections():
            table = Table(title=heading, title_justify="left", title_style="bold", expand=True, box=None)
            table.add_column(tr("help.key"), style="bold cyan", no_wrap=True, width=18)
            table.add_column(tr("help.action"), ratio=1)
            for key, description in rows or [("", tr("help.no_keys"))]:
                table.add_row(key, description)
            parts += [table, Text("")]
        self.query_one("#help-table", Static).update(Group(*parts))
