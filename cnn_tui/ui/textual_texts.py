"""Textual's own texts in the app's language: the palette, the theme picker, the screen's keys, Select's menu key,
Input's keys."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import CommandInput, CommandList, CommandPalette, SearchIcon
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen, ScreenResultType
from textual.widgets import Button, Input, LoadingIndicator, Select
from textual.widgets.option_list import Option

from cnn_tui.i18n import tr
from cnn_tui.ui.localized import Localized
from cnn_tui.ui.textual_adapter import SelectOverlay
from cnn_tui.ui.widgets.lab_fields import translated_bindings

NO_MATCHES_ID = "--no-matches"  # the id Textual gives its "No matches found" line in the palette


def screen_keys() -> list[Binding]:
    """Screen's own keys (Textual's "Focus Next", "Focus Previous", "Copy selected text") with catalogue keys."""
    return [
        Binding("tab", "app.focus_next", "textual.focus_next", show=False),
        Binding("shift+tab", "app.focus_previous", "textual.focus_previous", show=False),
        Binding("ctrl+c,super+c", "screen.copy_text", "textual.copy_text", show=False),
    ]


class KeysScreen(Screen[ScreenResultType]):
    """A screen whose Textual keys are described by catalogue keys (mix in Localized to translate them)."""

    BINDINGS = screen_keys()


class KeysModalScreen(ModalScreen[ScreenResultType]):
    """A modal screen whose Textual keys are described by catalogue keys (mix in Localized to translate them).
    A modal screen hides the app's keys: the language key (L) is given again here, so the open screen switches."""

    BINDINGS = [*screen_keys(), Binding("L", "app.toggle_language", "bind.language", show=False)]


class LabScreen(Localized, KeysScreen[None]):
    """The app's default screen: Textual's Screen with its keys described in the app's language."""


class LabInput(Localized, Input):
    """Textual's Input, whose keys the keys panel lists in the app's language."""

    BINDINGS = translated_bindings(Input)


class LabCommandInput(Localized, CommandInput):
    """The palette's Input, whose keys the keys panel lists in the app's language."""

    BINDINGS = translated_bindings(CommandInput)


class LabCommandList(CommandList):
    """The palette's list of hits, whose "No matches found" line is the catalogue's."""

    def add_options(self, new_options: Iterable[Option | object | None]) -> LabCommandList:
        shown = [
            Option(tr("textual.no_matches"), disabled=True, id=NO_MATCHES_ID)
            if isinstance(option, Option) and option.id == NO_MATCHES_ID
            else option
            for option in new_options
        ]
        return super().add_options(shown)  # type: ignore[arg-type,return-value]


class LabPalette(CommandPalette):
    """Textual's command palette with the catalogue's placeholder and "no matches" line."""

    def __init__(self, providers=None, *, placeholder: str | None = None, id: str | None = None) -> None:
        self._lab_placeholder = placeholder or tr("textual.palette_placeholder")
        super().__init__(providers, placeholder=self._lab_placeholder, id=id)

    def compose(self) -> ComposeResult:
        """CommandPalette's own layout, with LabCommandList for its list."""
        with Vertical(id="--container"):
            with Horizontal(id="--input"):
                yield SearchIcon()
                yield LabCommandInput(placeholder=self._lab_placeholder, select_on_focus=False)
                if not self.run_on_select:
                    yield Button("\u25b6")
            with Vertical(id="--results"):
                yield LabCommandList()
                yield LoadingIndicator()


class LabSelectOverlay(Localized, SelectOverlay):
    """Select's pop-up list with its Escape key described in the app's language."""

    BINDINGS = [Binding("escape", "dismiss", "textual.dismiss_menu")]


class LabSelect(Select):
    """Textual's Select, whose open menu says "esc 关闭菜单" in Chinese."""

    def compose(self) -> ComposeResult:
        for child in super().compose():
            yield LabSelectOverlay().data_bind(compact=Select.compact) if isinstance(child, SelectOverlay) else child
