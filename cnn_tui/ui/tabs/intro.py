"""A tab's introduction in the lecture's words, shown until the tab's own view is built."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Static

from cnn_tui.i18n import tr
from cnn_tui.ui.localized import Localized


class TabIntro(Localized, VerticalScroll):
    """Shows the catalogue's `intro.<key>` text (Textual markup)."""

    def __init__(self, key: str) -> None:
        super().__init__(classes="tab-intro")
        self.key = key
        self._text = Static(id=f"intro-{key}", classes="intro-text")

    def compose(self):
        yield self._text

    def localize(self) -> None:
        self._text.update(tr(f"intro.{self.key}"))
