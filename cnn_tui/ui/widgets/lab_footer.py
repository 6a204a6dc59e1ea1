"""The footer: Textual's, but a key that does not fit whole is left out instead of shown cut ("p 网络看到了什").

Every key is still listed by ? (help) and in the command palette; the footer shows, in order, those that fit.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from rich.cells import cell_len

PALETTE_KEY = "-command-palette"  # the class Textual gives the palette's key, docked right
# FooterKey's cells around its key and label: " key " then "label " (the palette's key, docked right: its left
# border, "key label" and its right padding: as many).
KEY_PADDING = 3


def key_width(key: Widget) -> int:
    """The cells a FooterKey takes (its key, its label and Textual's padding around them)."""
    return cell_len(getattr(key, "key_display", "")) + cell_len(getattr(key, "description", "")) + KEY_PADDING


class LabFooter(Footer):
    """A Footer that leaves out, from the first key that would be cut, every key after it, and is rebuilt only when
    what it shows changes (Textual rebuilds it for every change of the bindings, often several times a frame)."""

    _fitted_width = 0
    _shown: tuple | None = None

    def _what_it_shows(self) -> tuple:
        """Everything its keys are built from: the width, and each shown binding as the footer would draw it."""
        keys = tuple(
            (binding.key, self.app.get_key_display(binding), binding.description, binding.action, binding.group,
             enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )
        return self.size.width, self.compact, self.show_command_palette, keys

    async def recompose(self) -> None:
        shown = self._what_it_shows() if self.is_attached else None
        if shown is not None and shown == self._shown:
            return
        self._shown = shown
        await super().recompose()
        if not self.children:  # built before Textual had the bindings ready: build again on the next change
            self._shown = None

    def compose(self) -> ComposeResult:
        self._fitted_width = self.size.width
        children = list(super().compose())
        palette = [child for child in children if child.has_class(PALETTE_KEY)]
        room = self.size.width - sum(key_width(key) for key in palette)
        used, full = 0, False
        for child in children:
            if child not in palette and hasattr(child, "key_display"):  # a key (the app uses no key groups)
                used += key_width(child)
                full = full or (self.size.width > 0 and used > room)
                if full:
                    continue
            yield child

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._fitted_width:
            self._fitted_width = event.size.width
            self.call_after_refresh(self.recompose)
