"""A small dialog asking for an image path, completing directory and file names as you type."""

from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.suggester import Suggester
from textual.widgets import Input, Static

from cnn_tui.core.confinement import Confinement
from cnn_tui.i18n import tr
from cnn_tui.ui.localized import Localized
from cnn_tui.ui.textual_texts import KeysModalScreen, LabInput


class PathSuggester(Suggester):
    """Suggests the first file or directory whose name starts with what was typed (no I/O errors shown); in a
    served session only names in the folders its confinement lets it read."""

    def __init__(self, confinement: Confinement = Confinement()) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.confinement = confinement

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        typed, prefix = os.path.split(value)
        directory = self.confinement.listing(typed or ".")
        if directory is None:
            return None
        try:
            names = sorted(os.listdir(directory))
        except OSError:
            return None
        for name in names:
            if name.startswith(prefix) and name != prefix and (prefix.startswith(".") or not name.startswith(".")):
                if self.confinement.listing(os.path.join(typed, name)) is None:
                    continue  # a link that leads out
                suffix = "/" if os.path.isdir(directory / name) else ""
                return value + name[len(prefix) :] + suffix
        return None


class OpenImageScreen(Localized, KeysModalScreen[Path | None]):
    """Returns the path typed (enter) or None (escape)."""

    BINDINGS = [Binding("escape", "cancel", "bind.close")]

    def __init__(self, start: str = "", confinement: Confinement = Confinement()) -> None:
        super().__init__()
        self._start = start
        self.confinement = confinement

    def compose(self) -> ComposeResult:
        with Vertical(id="open-dialog"):
            yield Static(id="open-title")
            yield LabInput(value=self._start, suggester=PathSuggester(self.confinement), id="open-path")
            yield Static(id="open-hint")

    def localize(self) -> None:
        self.query_one("#open-title", Static).update(Text(tr("pixels.open.title"), style="bold"))
        self.query_one("#open-hint", Static).update(Text(tr("pixels.open.hint"), style="dim"))
        self.query_one("#open-path", Input).placeholder = tr("pixels.open.placeholder")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value:
            self.notify(tr("pixels.open.empty"), severity="warning")
            return
        self.dismiss(Path(os.path.expanduser(value)))

    def action_cancel(self) -> None:
        self.dismiss(None)
