"""A list of presets to pick from (lecture examples, kernels, random input, an image crop)."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from cnn_tui.i18n import tr
from cnn_tui.ui.localized import Localized
from cnn_tui.ui.textual_texts import KeysModalScreen


class PresetPicker(Localized, KeysModalScreen[str | None]):
    """Dismisses with the chosen preset's id, or None on escape."""

    BINDINGS = [("escape", "cancel", "convpool.form.cancel")]

    def __init__(self, presets: Callable[[], list[tuple[str, str]]]) -> None:
        """`presets` gives (id, label in the current language) in menu order; called again when the language changes."""
        super().__init__(classes="convpool-form-screen")
        self._presets = presets

    @property
    def presets(self) -> list[tuple[str, str]]:
        """(id, label in the current language) of each row."""
        return self._presets()

    def compose(self) -> ComposeResult:
        with Vertical(id="convpool-presets"):
            yield Static(id="convpool-presets-title")
            yield OptionList(*[Option(label, id=preset_id) for preset_id, label in self.presets], id="convpool-preset-list")

    def localize(self) -> None:
        self.query_one("#convpool-presets-title", Static).update(tr("convpool.presets.title"))
        rows = self.query_one(OptionList)
        for preset_id, label in self.presets:
            rows.replace_option_prompt(preset_id, label)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option_id)

    def action_cancel(self) -> None:
        self.dismiss(None)
