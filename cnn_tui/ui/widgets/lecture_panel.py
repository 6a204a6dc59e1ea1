"""The lecture beside the tabs (key t): the lecture's own text for the tab on screen, in the current language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from cnn_tui.i18n import catalogue, tr
from cnn_tui.ui.localized import Localized


class LecturePanel(Localized, VerticalScroll):
    """Shows the catalogue's `lecture.<tab key>` text (Textual markup) for the tab it is told about."""

    def __init__(self, tab_key: str, tab_title_key: str) -> None:
        super().__init__(id="lecture-panel")
        self.tab_key = tab_key
        self.tab_title_key = tab_title_key
        self._text = Static(id="lecture-text")

    def compose(self) -> ComposeResult:
        yield self._text

    def show_tab(self, tab_key: str, tab_title_key: str) -> None:
        """Show the lecture's section for another tab, from its top."""
        self.tab_key, self.tab_title_key = tab_key, tab_title_key
        self.localize()
        self.scroll_home(animate=False)

    def localize(self) -> None:
        self.border_title = tr("lecture.panel.title", tab=tr(self.tab_title_key))
        self.border_subtitle = tr("lecture.panel.hint")
        key = f"lecture.{self.tab_key}"
        self._text.update(tr(key) if key in catalogue() else tr("lecture.panel.missing"))
