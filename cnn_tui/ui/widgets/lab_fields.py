"""The editing keys of Textual's Input and TextArea described in the app's language (as the keys panel lists them)."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import TextArea

from cnn_tui.ui.localized import Localized

# Textual's description of each key of Input and TextArea (their own and their scrolling base's) -> the catalogue's key.
KEY_TEXTS: dict[str, str] = {
    "Scroll Up": "lab_fields.scroll_up",
    "Scroll Down": "lab_fields.scroll_down",
    "Scroll Left": "lab_fields.scroll_left",
    "Scroll Right": "lab_fields.scroll_right",
    "Scroll Home": "lab_fields.scroll_home",
    "Scroll End": "lab_fields.scroll_end",
    "Page Up": "lab_fields.page_up",
    "Page Down": "lab_fields.page_down",
    "Page Left": "lab_fields.page_left",
    "Page Right": "lab_fields.page_right",
    "Move cursor left": "lab_fields.cursor_left",
    "Move cursor left and select": "lab_fields.cursor_left_select",
    "Move cursor left a word": "lab_fields.cursor_left_word",
    "Move cursor left a word and select": "lab_fields.cursor_left_word_select",
    "Move cursor right or accept the completion suggestion": "lab_fields.cursor_right",
    "Move cursor right and select": "lab_fields.cursor_right_select",
    "Move cursor right a word": "lab_fields.cursor_right_word",
    "Move cursor right a word and select": "lab_fields.cursor_right_word_select",
    "Delete character left": "lab_fields.delete_left",
    "Select all": "lab_fields.select_all",
    "Go to start": "lab_fields.home",
    "Go to end": "lab_fields.end",
    "Select line start": "lab_fields.select_home",
    "Select line end": "lab_fields.select_end",
    "Delete character right": "lab_fields.delete_right",
    "Submit": "lab_fields.submit",
    "Delete left to start of word": "lab_fields.delete_left_word",
    "Delete all to the left": "lab_fields.delete_left_all",
    "Delete right to start of word": "lab_fields.delete_right_word",
    "Delete all to the right": "lab_fields.delete_right_all",
    "Cut selected text": "lab_fields.cut",
    "Copy selected text": "lab_fields.copy",
    "Paste text from the clipboard": "lab_fields.paste",
    "Cursor up": "lab_fields.area_up",
    "Cursor down": "lab_fields.area_down",
    "Cursor left": "lab_fields.area_left",
    "Cursor right": "lab_fields.area_right",
    "Cursor word left": "lab_fields.area_word_left",
    "Cursor word right": "lab_fields.area_word_right",
    "Cursor line start": "lab_fields.area_line_start",
    "Cursor line end": "lab_fields.area_line_end",
    "Cursor page up": "lab_fields.area_page_up",
    "Cursor page down": "lab_fields.area_page_down",
    "Cursor left word select": "lab_fields.area_word_left_select",
    "Cursor right word select": "lab_fields.area_word_right_select",
    "Cursor line start select": "lab_fields.area_line_start_select",
    "Cursor line end select": "lab_fields.area_line_end_select",
    "Cursor up select": "lab_fields.area_up_select",
    "Cursor down select": "lab_fields.area_down_select",
    "Cursor left select": "lab_fields.area_left_select",
    "Cursor right select": "lab_fields.area_right_select",
    "Select line": "lab_fields.area_select_line",
    "Cut": "lab_fields.area_cut",
    "Copy": "lab_fields.area_copy",
    "Paste": "lab_fields.area_paste",
    "Delete to line start": "lab_fields.area_delete_line_start",
    "Delete to line end": "lab_fields.area_delete_line_end",
    "Delete line": "lab_fields.area_delete_line",
    "Undo": "lab_fields.area_undo",
    "Redo": "lab_fields.area_redo",
}


def translated_bindings(widget: type[Widget]) -> list[Binding]:
    """Every key `widget` answers (a key of its own hides its base's binding of that key), described by catalogue keys."""
    bound: set[str] = set()
    chosen: list[Binding] = []
    for cls in widget.__mro__:  # the widget first, then its bases
        for item in cls.__dict__.get("BINDINGS", ()):
            binding = item if isinstance(item, Binding) else Binding(*item)
            keys = set(binding.key.split(","))
            if not keys & bound:
                bound |= keys
                chosen.append(replace(binding, description=KEY_TEXTS.get(binding.description, binding.description)))
    return chosen


class LabTextArea(Localized, TextArea):
    """A TextArea whose keys, listed in the keys panel, follow the app's language."""

    BINDINGS = translated_bindings(TextArea)
