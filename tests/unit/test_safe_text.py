"""safe_text and safe_markup: text from files is shown as it is, and nothing in it is obeyed."""

from __future__ import annotations

from rich.console import Console
from rich.markup import render
from textual.content import Content

from cnn_tui.render.safe_text import plain, safe_markup, safe_text

HOSTILE = ["lr [/b]", "[$accent]x[/]", "[@click=app.quit]q", "end\\", "a\\[b]c", "tab\there", "bidi\u202eevil"]


def test_controls_are_shown_escaped():
    assert safe_text("t\x1b]0;x\x07\x1b[2J\n\x9b") == "t\\x1b]0;x\\x07\\x1b[2J\\n\\x9b"
    assert safe_text("bidi\u202eevil") == "bidi\\u202eevil" and safe_text("飞机 cat") == "飞机 cat"


def test_markup_is_never_applied_by_rich_or_textual():
    for text in HOSTILE:
        shown = safe_text(text)
        assert render("[b]" + safe_markup(text) + "[/b]").plain == shown
        assert "[" not in text or Content.from_markup(safe_markup(text)).plain.replace("\\\\", "\\") == shown
    console = Console(record=True, width=80)
    console.print(plain("evil\x1b]2;title\x1b\\"))
    assert "\x1b" not in console.export_text()
