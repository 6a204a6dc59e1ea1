"""The lecture beside the tabs (key t): the lecture's own text for the tab on screen, in the current language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import var
from textual.widgets import Static

from cnn_tui.i18n import catalogue, language, tr
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

    tab: var[tuple[str, str]] = var(("", ""), init=False)
    """The tab's key and its title's catalogue key."""
    lang: var[str] = var("", init=False)
    text_width: var[int] = var(0, init=False)
    shown: var[tuple[object, ...]] = var((), init=False)
    """What the panel shows, computed: its watcher draws it."""

    def __init__(self, tab_key: str, tab_title_key: str) -> None:
        super().__init__(id="lecture-panel")
        self.set_reactive(LecturePanel.tab, (tab_key, tab_title_key))
        self._text = Static(id="lecture-text")

    def compose(self) -> ComposeResult:
        yield self._text

    def show_tab(self, tab_key: str, tab_title_key: str) -> None:
        """Show the lecture's section for another tab, from its top."""
        self.tab = (tab_key, tab_title_key)
        self.scroll_home(animate=False)

    def localize(self) -> None:
        self.lang = language()

    def on_resize(self) -> None:
        self.text_width = self.scrollable_content_region.width

    def compute_shown(self) -> tuple[object, ...]:
        return (self.lang, self.tab, self.text_width)

    def watch_shown(self) -> None:
        """The titles, and the text broken for the panel's width (its scrollbar's gutter is always kept: the
        width never changes when the text starts to scroll)."""
        if not self.lang:  # not mounted yet: Localized.on_mount sets it
            return
        tab_key, tab_title_key = self.tab
        self.border_title = tr("lecture.panel.title", tab=tr(tab_title_key))
        self.border_subtitle = tr("lecture.panel.hint")
        key = f"lecture.{tab_key}"
        markup = tr(key) if key in catalogue() else tr("lecture.panel.missing")
        self._text.update(wrapped(markup, self.scrollable_content_region.width))
