"""The cnn-tui app: one tab per part of the lecture, keyboard first, in English or Chinese."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.dom import DOMNode
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Footer, Header, TabbedContent, TabPane

from cnn_tui.config import AppConfig
from cnn_tui.i18n import set_language, tr
from cnn_tui.ui.help_screen import HelpScreen, HelpSection
from cnn_tui.ui.localized import Localized
from cnn_tui.ui.palette import LabCommands
from cnn_tui.ui.tabs import TABS


def _tab_bindings() -> list[Binding]:
    return [
        Binding(str(number), f"show_tab('{spec.id}')", f"bind.tab_{spec.key}", show=False)
        for number, spec in enumerate(TABS, start=1)
    ]


class CnnTuiApp(Localized, App[int]):
    """The full-screen lab."""

    CSS_PATH = "app.tcss"
    TITLE = "cnn-tui"
    COMMANDS = App.COMMANDS | {LabCommands}
    BINDINGS = [
        *_tab_bindings(),
        Binding("question_mark", "help", "bind.help"),
        Binding("L", "toggle_language", "bind.language"),
        Binding("q", "quit", "bind.quit"),
    ]

    lang: var[str] = var("en", init=False)

    def __init__(self, config: AppConfig | None = None) -> None:
        self.config = config or AppConfig()
        super().__init__()
        set_language(self.config.lang)
        self.set_reactive(CnnTuiApp.lang, self.config.lang)

    @property
    def image_path(self) -> Path | None:
        return self.config.image

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="tabs"):
            for spec in TABS:
                with TabPane(tr(spec.title_key), id=spec.id):
                    yield spec.build()
        yield Footer()

    # -- language -----------------------------------------------------------------

    def localize(self) -> None:
        self.sub_title = tr("app.subtitle")
        if self.is_mounted:
            tabs = self.query_one(TabbedContent)
            for spec in TABS:
                tabs.get_tab(spec.id).label = tr(spec.title_key)

    def watch_lang(self, lang: str) -> None:
        set_language(lang)
        self.apply_language()
        for screen in self.screen_stack:
            for node in screen.walk_children(with_self=True):
                if isinstance(node, Localized):
                    node.apply_language()
            screen.refresh_bindings()

    def action_toggle_language(self) -> None:
        self.lang = "zh" if self.lang == "en" else "en"

    # -- tabs ---------------------------------------------------------------------

    def action_show_tab(self, tab_id: str) -> None:
        self.query_one(TabbedContent).active = tab_id

    def tab_titles(self) -> Iterator[tuple[str, str, Widget]]:
        """(tab id, title in the current language, the tab's content widget) for each tab."""
        tabs = self.query_one(TabbedContent)
        for spec in TABS:
            pane = tabs.get_pane(spec.id)
            yield spec.id, tr(spec.title_key), pane.children[0]

    def tab_bindings(self, widget: Widget) -> Iterator[tuple[DOMNode, Binding]]:
        """Every shown binding of `widget` and its descendants, each (key, action) once."""
        seen: set[tuple[str, str]] = set()
        for node in widget.walk_children(with_self=True):
            for key, binding in node._bindings:
                if binding.show and binding.description and (key, binding.action) not in seen:
                    seen.add((key, binding.action))
                    yield node, binding

    async def run_tab_action(self, tab_id: str, node: DOMNode, action: str) -> None:
        self.action_show_tab(tab_id)
        await self.run_action(action, node)

    # -- help ---------------------------------------------------------------------

    def help_sections(self) -> list[HelpSection]:
        """The current tab's keys, then the global ones."""
        active = self.query_one(TabbedContent).active
        sections: list[HelpSection] = []
        for tab_id, title, widget in self.tab_titles():
            if tab_id == active:
                rows = [(self.get_key_display(b), b.description) for _, b in self.tab_bindings(widget)]
                sections.append((tr("help.this_tab", tab=title), rows))
        everywhere = [
            ("1 … 6", tr("help.jump_tabs")),
            ("tab / shift+tab", tr("help.focus_next")),
            ("^p", tr("help.palette")),
        ]
        everywhere += [
            (self.get_key_display(b), b.description)
            for _, b in self._bindings
            if b.description and not b.action.startswith("show_tab") and b.action != "command_palette"
        ]
        sections.append((tr("help.everywhere"), everywhere))
        return sections

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            self.push_screen(HelpScreen(self.help_sections))


def run_app(config: AppConfig) -> int:
    """Run the app in the terminal; returns its exit status."""
    app = CnnTuiApp(config)
    result = app.run()
    return int(result or app.return_code or 0)
