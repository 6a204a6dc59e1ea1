"""The cnn-tui app: one tab per part of the lecture, keyboard first, in English or Chinese."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from copy import copy
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.dom import DOMNode
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Header, TabbedContent, TabPane, Tabs
from textual.worker import get_current_worker

from cnn_tui.config import AppConfig
from cnn_tui.core.own_code import abandon_own_code
from cnn_tui.ml.gc_freeze import freeze_loaded_libraries
from cnn_tui.render.safe_text import safe_text
from cnn_tui.ui.messages import (
    CheckpointChanged,
    DataChanged,
    GoTo,
    ImageChanged,
    ImageFailed,
    OpenImage,
    PointAt,
    ShowInLab,
    UseCheckpoint,
    UseData,
    UseImage,
    UseNetwork,
    NetworkChanged,
)
from cnn_tui.ui.state import CurrentImage, LabState, confinement
from cnn_tui.ui.stop_signals import exit_on_signals, restore_signals
from cnn_tui.ui.system_commands import localized

if TYPE_CHECKING:
    from cnn_tui.core.images import LoadedImage
    from cnn_tui.ui.screens.help_screen import HelpSection
from cnn_tui.i18n import set_language, tr
from cnn_tui.ui.localized import Localized
from cnn_tui.ui.localized import translate_binding
from cnn_tui.ui.tabs import TABS
from cnn_tui.ui.textual_adapter import class_bindings, node_bindings, remeasure_underline
from cnn_tui.ui.textual_texts import LabPalette, LabScreen
from cnn_tui.ui.tabs.slot import TabSlot
from cnn_tui.ui.widgets.lab_footer import LabFooter
from cnn_tui.ui.widgets.lab_tabs import LabTabs
from cnn_tui.ui.widgets.lecture_panel import LecturePanel


GC_FREEZE_CHECK_S = 2.0  # how often the app looks whether libraries were loaded since the last freeze
# Notes worth a notification when an image file opens (the Pixels readout lists them all).
ANNOUNCED_NOTES = ("large", "tiny", "animated", "rotated", "alpha", "scaled16", "float")


@dataclass
class ImageDecoded(Message):
    """The image worker's result: the decoded image, or why it failed (in the current language)."""

    image: LoadedImage | None
    source: str | Path
    announce: bool
    reason: str


def _lab_commands():
    """The palette's provider, imported when the palette first opens."""
    from cnn_tui.ui.palette import LabCommands

    return LabCommands


def _tab_bindings() -> list[Binding]:
    return [
        Binding(str(number), f"show_tab('{spec.id}')", f"bind.tab_{spec.key}", show=False)
        for number, spec in enumerate(TABS, start=1)
    ]


class CnnTuiApp(Localized, App[int]):
    """The full-screen lab."""

    CSS_PATH = "app.tcss"
    TITLE = "cnn-tui"
    COMMANDS = App.COMMANDS | {_lab_commands}
    BINDINGS = [
        *_tab_bindings(),
        Binding("question_mark", "help", "bind.help"),
        Binding("t", "toggle_lecture", "lecture.bind.toggle"),
        Binding("L", "toggle_language", "bind.language"),
        Binding("P", "practice", "practice.app.bind.open", show=False),  # in the help (?); the footer stays as it was
        Binding("q", "quit", "bind.quit"),
        Binding("ctrl+q", "quit", "bind.quit", show=False, priority=True),  # Textual's own, with its description translated
        # Textual adds this key itself unless the app declares it; declared here, its description is translated.
        Binding(App.COMMAND_PALETTE_BINDING, "command_palette", "palette.bind", show=False, priority=True),
    ]

    lang: var[str] = var("en", init=False)

    def __init__(self, config: AppConfig | None = None) -> None:
        config = config or AppConfig()
        super().__init__()
        self.config = config
        # The one owner of what several tabs share; tabs get this object and only read it.
        self.shared = LabState(
            paths=config.paths, lang=config.lang, checkpoint=config.active_checkpoint, confinement=confinement(config)
        )
        set_language(config.lang)
        self.set_reactive(CnnTuiApp.lang, config.lang)
        self._stop_signals: list[int] = []  # SIGTERM, SIGHUP while running: they quit as q does

    def compose(self) -> ComposeResult:
        yield Header()
        # The lecture sits beside the tabs, between the header and the footer, never over them: Textual cuts a
        # wide character in two (and draws neither half) where another widget's edge crosses it.
        with Horizontal(id="lab-body"):
            with LabTabs(id="tabs"):
                for index, spec in enumerate(TABS):
                    with TabPane(tr(spec.title_key), id=spec.id):
                        yield TabSlot(spec, self.shared, eager=index == 0)
            lecture = LecturePanel(TABS[0].key, TABS[0].title_key)  # hidden until t
            lecture.display = False
            yield lecture
        yield LabFooter()

    def on_mount(self) -> None:
        # The first image: the command line's IMAGE (its notes announced, as for `o`), else the test image.
        image = self.config.image
        self.post_message(OpenImage(image) if image else OpenImage("test", announce=False))
        # Libraries load in workers (torch: seconds, when first needed); once many have, full garbage
        # collections stop walking their objects (cnn_tui.ml.gc_freeze: pauses of 240–613 ms otherwise).
        self.set_interval(GC_FREEZE_CHECK_S, freeze_loaded_libraries)

        self._stop_signals = exit_on_signals(self.exit)

    def on_unmount(self) -> None:
        restore_signals(self._stop_signals)
        # A learner's model file may loop forever in a thread nobody can stop: stop waiting for it, so that the
        # workers waiting on it end and quitting never hangs (its daemon thread does not hold up the exit).
        abandon_own_code()

    # -- language -----------------------------------------------------------------

    def localize(self) -> None:
        self.sub_title = tr("app.subtitle")
        if self.is_mounted:
            tabs = self.query_one(TabbedContent)
            for spec in TABS:
                tabs.get_tab(spec.id).label = tr(spec.title_key)
            # Tabs re-measures its underline when a label changes, but can do so before the new
            # labels are laid out; measure again once they are (no animation, so it is exact).
            bar = tabs.query_one(Tabs)
            bar.call_after_refresh(remeasure_underline, bar)

    def watch_lang(self, lang: str) -> None:
        set_language(lang)
        self.shared.lang = lang
        self.apply_language()
        for screen in self.screen_stack:
            for node in screen.walk_children(with_self=True):
                if isinstance(node, Localized):
                    node.apply_language()
            screen.refresh_bindings()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own palette commands (Theme, Quit, Keys …), in the app's language; Screenshot saves
        in the working folder (cnn_tui.ui.screenshot), after the palette has closed."""
        for command in localized(super().get_system_commands(screen)):
            if command.title == tr("palette.screenshot.title"):
                command = command._replace(callback=lambda: self.set_timer(0.1, self.action_screenshot))
            yield command

    # -- Textual's own screens and texts, in the app's language (cnn_tui.ui.textual_texts) ----------

    def get_default_screen(self) -> Screen:
        return LabScreen(id="_default")

    def action_command_palette(self) -> None:
        if self.use_command_palette and not LabPalette.is_open(self):
            self.push_screen(LabPalette(id="--command-palette"))

    def search_themes(self) -> None:
        from textual.theme import ThemeProvider

        self.push_screen(LabPalette(providers=[ThemeProvider], placeholder=tr("textual.theme_placeholder")))

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        from cnn_tui.ui.screenshot import save_screenshot

        save_screenshot(self, Path(path) if path else None)

    def on_delivery_complete(self, event: events.DeliveryComplete) -> None:
        from cnn_tui.ui.screenshot import announce_delivery

        announce_delivery(self, event)

    def on_delivery_failed(self, event: events.DeliveryFailed) -> None:
        from cnn_tui.ui.screenshot import announce_delivery

        announce_delivery(self, event)

    def action_toggle_language(self) -> None:
        self.lang = "zh" if self.lang == "en" else "en"

    # -- tabs ---------------------------------------------------------------------

    def action_show_tab(self, tab_id: str) -> None:
        """Show a tab and focus its first focusable widget (the tab bar while it is being built).

        Focus moves now, not later: Textual would otherwise refocus a widget in the pane that was
        just hidden, and TabbedContent follows focus back to that pane."""
        tabs = self.query_one(LabTabs)
        tabs.active = tab_id
        tabs.focus_into(tabs.get_pane(tab_id), or_else=tabs.query_one(Tabs))

    async def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """Build a tab's content the first time it is shown, then move the focus from the tab bar into it
        (the content's own focus call can come before its pane is shown, and its keys only work with the
        focus inside); the lecture panel follows the tab."""
        slot = event.pane.query_one(TabSlot)
        self.query_one(LecturePanel).show_tab(slot.spec.key, slot.spec.title_key)
        if slot.content is None:
            await slot.ensure_built()
            tabs = self.query_one(LabTabs)
            if tabs.active == event.pane.id and (self.focused is None or isinstance(self.focused, Tabs)):
                tabs.focus_into(event.pane)

    def action_toggle_lecture(self) -> None:
        """Show or hide the lecture's text for the current tab beside it."""
        panel = self.query_one(LecturePanel)
        panel.display = not panel.display

    def slot(self, tab_id: str) -> TabSlot:
        return self.query_one(TabbedContent).get_pane(tab_id).query_one(TabSlot)

    def tab_titles(self) -> Iterator[tuple[str, str, TabSlot]]:
        """(tab id, title in the current language, the tab's slot) for each tab."""
        for spec in TABS:
            yield spec.id, tr(spec.title_key), self.slot(spec.id)

    def tab_bindings(self, slot: TabSlot) -> Iterator[tuple[DOMNode | None, Binding]]:
        """Every shown binding of a tab's content and its descendants, each (key, action) once.

        For a tab not built yet, the content class's own bindings, with no node."""
        seen: set[tuple[str, str]] = set()
        if slot.content is None:
            pairs = [(None, key, translate_binding(b)) for key, b in class_bindings(slot.spec.widget_class())]
        else:
            pairs = [(node, key, b) for node in slot.content.walk_children(with_self=True) for key, b in node_bindings(node)]
        for node, key, binding in pairs:
            if binding.show and binding.description and (key, binding.action) not in seen:
                seen.add((key, binding.action))
                yield node, binding

    async def run_tab_action(self, tab_id: str, node: DOMNode | None, action: str) -> None:
        """Show the tab (building it if needed), then run `action` on `node` or the tab's content."""
        self.action_show_tab(tab_id)
        slot = self.slot(tab_id)
        await slot.ensure_built()
        await self.run_action(action, node or slot.content)

    # -- shared state: requests in, announcements out ---------------------------------------

    def announce(self, message: Message) -> None:
        """Tell every built tab (and every screen over them) about a change of the shared state. Walks the slots
        there are: a worker's result can arrive while the app is closing and its tabs are going."""
        for slot in self.query(TabSlot):
            if slot.content is not None:
                slot.content.post_message(copy(message))
        for screen in self.screen_stack[1:]:
            screen.post_message(copy(message))

    def on_open_image(self, request: OpenImage) -> None:
        self._decode_image(request.source, request.announce)

    @work(thread=True, exclusive=True, exit_on_error=False, group="current-image")
    def _decode_image(self, source: str | Path, announce: bool) -> None:
        """The app's one image-loading worker: decode a file or build a built-in image, then post it."""
        from cnn_tui.core.images import ImageLoadError
        from cnn_tui.core.prepare import open_source

        from cnn_tui.core.confinement import ConfinementError

        worker = get_current_worker()
        try:
            image = open_source(self.shared.confinement.resolve(source) if isinstance(source, Path) else source)
        except ConfinementError as error:
            result: Message = ImageDecoded(None, source, announce, error.in_language())
        except ImageLoadError as error:
            result = ImageDecoded(None, source, announce, tr(f"pixels.error.{error.code}", **error.fields))
        except (OSError, ValueError, MemoryError) as error:  # anything else a bad file can raise
            result = ImageDecoded(None, source, announce, tr("pixels.error.io", detail=str(error) or type(error).__name__))
        else:
            result = ImageDecoded(image, source, announce, "")
        if not worker.is_cancelled:
            self.post_message(result)

    def on_image_decoded(self, result: ImageDecoded) -> None:
        if result.image is None:
            self.notify(
                safe_text(tr("pixels.notify.kept", reason=result.reason)),
                title=tr("pixels.notify.failed", name=safe_text(result.source)),
                severity="error",
                timeout=8,
                markup=False,
            )
            self.announce(ImageFailed(str(result.source), result.reason))
            if self.shared.image is None and result.source != "test":  # a bad IMAGE at start: show the default
                self.post_message(OpenImage("test", announce=False))
            return
        self._set_image(CurrentImage(result.image, result.source), result.announce)

    def on_use_image(self, request: UseImage) -> None:
        self._set_image(CurrentImage(request.image, request.source), announce=False)

    def _set_image(self, current: CurrentImage, announce: bool) -> None:
        self.shared.image = current
        self.shared.point = None
        self.announce(ImageChanged(current))
        notes = [n for n in current.image.notes if n.code in ANNOUNCED_NOTES]
        if announce and notes:
            self.notify(
                "\n".join(safe_text(tr(f"pixels.note.{n.code}", **n.fields)) for n in notes),
                title=tr("pixels.notify.loaded", name=safe_text(current.name)),
                markup=False,
            )

    def on_point_at(self, request: PointAt) -> None:
        self.shared.point = (request.row, request.col)

    def on_use_checkpoint(self, request: UseCheckpoint) -> None:
        # Announced even for the same path: a run just wrote new weights there.
        self.shared.checkpoint = request.path
        self.announce(CheckpointChanged(request.path))

    def on_use_data(self, request: UseData) -> None:
        if request.data != self.shared.data:
            self.shared.data = request.data
            self.announce(DataChanged(request.data))

    def on_use_network(self, request: UseNetwork) -> None:
        # Announced even for the same name: the file was just saved again, with other code in it.
        self.shared.network = request.model
        self.announce(NetworkChanged(request.model))

    async def on_go_to(self, request: GoTo) -> None:
        """A link along the journey: show the tab (building it), then run its action."""
        self.action_show_tab(request.tab)
        slot = self.slot(request.tab)
        await slot.ensure_built()
        if request.action:
            await self.run_action(request.action, slot.content)

    # -- practice -------------------------------------------------------------------

    def action_practice(self) -> None:
        """Open the Practice screen; the same one comes back, at the same exercise, after h or escape."""
        from cnn_tui.config import PRACTICE_DEFAULTS, user_data_dir
        from cnn_tui.ui.screens.practice_screen import PracticeScreen

        if isinstance(self.screen, PracticeScreen):
            return
        if not self.is_screen_installed("practice"):
            record = self.config.practice_record or user_data_dir() / PRACTICE_DEFAULTS.progress_file
            self.install_screen(PracticeScreen(record), "practice")
        self.push_screen("practice")

    async def on_show_in_lab(self, request: ShowInLab) -> None:
        """An exercise, step by step: show its tab (building it) on the exercise's lab and cell."""
        self.action_show_tab(request.tab)
        slot = self.slot(request.tab)
        await slot.ensure_built()
        slot.content.show_lab(request.lab, request.cell)  # type: ignore[union-attr]
        self.notify(tr("practice.app.back"), timeout=6)

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
            (f"1 … {len(TABS)}", tr("help.jump_tabs", count=len(TABS))),
            ("tab / shift+tab", tr("help.focus_next")),
            ("^p", tr("help.palette")),
        ]
        everywhere += [
            (self.get_key_display(b), b.description)
            for _, b in node_bindings(self)
            if b.description and not b.action.startswith("show_tab") and b.action != "command_palette"
        ]
        sections.append((tr("help.everywhere"), everywhere))
        return sections

    def action_help(self) -> None:
        from cnn_tui.ui.screens.help_screen import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            self.push_screen(HelpScreen(self.help_sections))


def run_app(config: AppConfig) -> int:
    """Run the app in the terminal; returns its exit status."""
    # OpenMP reads its waiting policy when torch loads (in a worker, later): choose it now as
    # `cnn-tui train` would for the default recipe on this machine (passive on busy cores).
    # Its Training tab reuses freed memory for the next batch as `cnn-tui train` does (cnn_tui.ml.memory_reuse).
    from cnn_tui.config import RECIPES, TRAIN_DEFAULTS
    from cnn_tui.ml.memory_reuse import reuse_freed_memory
    from cnn_tui.ml.threads import apply_wait_policy, machine_load, plan_for_run

    apply_wait_policy(plan_for_run(RECIPES[TRAIN_DEFAULTS.recipe].batch_size, load=machine_load()))
    reuse_freed_memory()
    app = CnnTuiApp(config)
    result = app.run()
    return int(result or app.return_code or 0)
