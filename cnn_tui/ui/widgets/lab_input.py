"""Textual's Input with its editing keys described in the app's language (Textual's keys panel lists every one)."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.widgets import Input

from cnn_tui.ui.localized import Localized

# Textual's description of each of Input's keys (its own and its scrolling base's) -> the catalogue's key.
KEY_TEXTS: dict[str, str] = {
    "Scroll Up": "lab_input.scroll_up",
    "Scroll Down": "lab_input.scroll_down",
    "Scroll Left": "lab_input.scroll_left",
    "Scroll Right": "lab_input.scroll_right",
    "Scroll Home": "lab_input.scroll_home",
    "Scroll End": "lab_input.scroll_end",
    "Page Up": "lab_input.page_up",
    "Page Down": "lab_input.page_down",
    "Page Left": "lab_input.page_left",
    "Page Right": "lab_input.page_right",
    "Move cursor left": "lab_input.cursor_left",
    "Move cursor left and select": "lab_input.cursor_left_select",
    "Move cursor left a word": "lab_input.cursor_left_word",
    "Move cursor left a word and select": "lab_input.cursor_left_word_select",
    "Move cursor right or accept the completion suggestion": "lab_input.cursor_right",
    "Move cursor right and select": "lab_input.cursor_right_select",
    "Move cursor right a word": "lab_input.cursor_right_word",
    "Move cursor right a word and select": "lab_input.cursor_right_word_select",
    "Delete character left": "lab_input.delete_left",
    "Select all": "lab_input.select_all",
    "Go to start": "lab_input.home",
    "Go to end": "lab_input.end",
    "Select line start": "lab_input.select_home",
    "Select line end": "lab_input.select_end",
    "Delete character right": "lab_input.delete_right",
    "Submit": "lab_input.submit",
    "Delete left to start of word": "lab_input.delete_left_word",
    "Delete all to the left": "lab_input.delete_left_all",
    "Delete right to start of word": "lab_input.delete_right_word",
    "Delete all to the right": "lab_input.delete_right_all",
    "Cut selected text": "lab_input.cut",
    "Copy selected text": "lab_input.copy",
    "Paste text from the clipboard": "lab_input.paste",
}


def input_bindings() -> list[Binding]:
    """Every key Input answers (a key of its own hides its base's binding of that key), described by catalogue keys."""
    bound: set[str] = set()
    chosen: list[Binding] = []
    for cls in Input.__mro__:  # Input first, then its bases
        for item in cls.__dict__.get("BINDINGS", ()):
            binding = item if isinstance(item, Binding) else Binding(*item)
            keys = set(binding.key.split(","))
            if not keys & bound:
                bound |= keys
                chosen.append(replace(binding, description=KEY_TEXTS.get(binding.description, binding.description)))
    return chosen


class LabInput(Localized, Input):
    """An Input whose keys, listed in the keys panel, follow the app's language."""

    BINDINGS = input_bindings()
