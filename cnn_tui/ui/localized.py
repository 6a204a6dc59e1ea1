"""A mixin for widgets and screens whose text and key descriptions follow the app's language."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding, BindingsMap

from cnn_tui.i18n import catalogue, tr
from cnn_tui.ui.textual_adapter import node_bindings, set_node_bindings


def translate_binding(binding: Binding) -> Binding:
    """The binding with its description looked up in the catalogue (descriptions are message keys)."""
    if binding.description and binding.description in catalogue():
        return replace(binding, description=tr(binding.description))
    return binding


class Localized:
    """Mix into a Widget, Screen or App: binding descriptions are catalogue keys, translated on mount
    and on every language switch; override `localize()` to redraw text."""

    def on_mount(self) -> None:
        self.apply_language()

    def apply_language(self) -> None:
        """Translate binding descriptions, then let the node redraw its own text."""
        # Keep the bindings as first declared (descriptions are keys), including any that
        # Textual added at run time, such as the App's command-palette key.
        original: BindingsMap = self.__dict__.setdefault("_untranslated_bindings", node_bindings(self))  # type: ignore[arg-type]
        translated = {key: [translate_binding(b) for b in bindings] for key, bindings in original.key_to_bindings.items()}
        set_node_bindings(self, BindingsMap.from_keys(translated))  # type: ignore[arg-type]
        self.localize()

    def localize(self) -> None:
        """Redraw user-visible text in the current language (override)."""
