"""What the app shows, read the way tests need it: a widget's text, the notifications it raised."""

from __future__ import annotations

import io

from rich.console import Console
from textual.app import App
from textual.dom import DOMNode
from textual.notifications import Notification


def text_of(node: DOMNode, selector: str, width: int = 200) -> str:
    """The plain text the Static that `selector` finds under `node` (the app, a screen) shows: its content
    rendered by Rich at `width` columns."""
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(node.query_one(selector).content)
    return console.export_text()


def notifications(app: App) -> list[Notification]:
    """The notifications shown now (each a title and a message). Textual 8 has no public accessor: run_test
    switches the toasts off, and `App._notifications` holds what they would show, so this is the one place
    that reads it."""
    return list(app._notifications)


def notified(app: App, text: str) -> bool:
    """Whether a notification shown now says `text` in its message or title."""
    return any(text in str(note.message) or text in str(note.title) for note in notifications(app))
