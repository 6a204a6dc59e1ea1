"""A small form for a step tab's settings: one labelled input per setting, checked on enter.

The tab passes the fields and an `apply` callback; `apply(values)` returns None when the
settings were taken, or the message to show under the form (a typo, or the engine's rule).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from cnn_tui.i18n import tr
from cnn_tui.ui.localized import Localized
from cnn_tui.ui.textual_texts import KeysModalScreen, LabInput


@dataclass(frozen=True)
class FormField:
    """One setting: its name (the Input's id), its label's catalogue key, and its current value."""

    name: str
    label_key: str
    value: str


class SettingsForm(Localized, KeysModalScreen[None]):
    """A modal form; enter applies, escape closes without a change."""

    BINDINGS = [("escape", "dismiss", "convpool.form.cancel")]

    def __init__(self, title_key: str, fields: list[FormField], apply: Callable[[dict[str, str]], str | None]) -> None:
        super().__init__(classes="convpool-form-screen")
        self.title_key = title_key
        self.fields = fields
        self.apply = apply

    def compose(self) -> ComposeResult:
        with Vertical(id="convpool-form"):
            yield Static(id="convpool-form-title")
            for field in self.fields:
                with Horizontal(classes="convpool-form-row"):
                    yield Label(id=f"label-{field.name}", classes="convpool-form-label")
                    yield LabInput(field.value, id=f"field-{field.name}", classes="convpool-form-input")
            yield Static(id="convpool-form-message")
            yield Static(id="convpool-form-hint")

    def localize(self) -> None:
        self.query_one("#convpool-form-title", Static).update(tr(self.title_key))
        for field in self.fields:
            self.query_one(f"#label-{field.name}", Label).update(tr(field.label_key))
        self.query_one("#convpool-form-hint", Static).update(tr("convpool.form.hint"))

    def values(self) -> dict[str, str]:
        return {field.name: self.query_one(f"#field-{field.name}", Input).value for field in self.fields}

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        problem = self.apply(self.values())
        if problem is None:
            self.dismiss()
        else:
            self.query_one("#convpool-form-message", Static).update(problem)
