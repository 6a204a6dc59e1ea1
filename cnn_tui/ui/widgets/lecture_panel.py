"""The lecture beside the tabs (key t): the lecture's own text for the tab on screen, in the current language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from cnn_tui.i18n import catalogue, tr
from cnn_tui.render.cjk_wrap import wrap
from cnn_tui.ui.localized import Localized


def wrapped(markup: str, width: int) -> Content:
    """The markup's text broken into lines of `width` cells the way Chinese is set (cnn_tui.render.cjk_wrap):
    no bullet alone on its line, no break inside a formula, a list of numbers or a matrix."""
    content = Content.from_markup(markup)
    if width <= 0:
        return content
    return Content("\n").join(Content(" " * line.indent) + content[line.start:line.end] for line in wrap(content.plain, width))


class LecturePanel(Localized, VerticalScroll):
    """Shows the catalogue's `lecture.<tab key>` text (Textual markup) for the tab it is told about."""

    def __init__(self, tab_key: str, tab_title_key: str) -> None:
        super().__init__(id="lecture-panel")
        self.tab_key = tab_key
        self.tab_title_key = tab_title_key
        self._text = Static(id="lecture-text")
        self._markup = ""

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
        self._markup = tr(key) if key in catalogue() else tr("lecture.panel.missing")
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        """Break the text for the panel's width (its scrollbar's gutter is always kept: the width never changes
        when the text starts to scroll)."""
        self._text.update(wrapped(self._markup, self.scrollable_content_region.width))
