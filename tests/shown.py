"""What the app shows, read the way tests need it: the notifications it raised."""

from __future__ import annotations

from textual.app import App
from textual.notifications import Notification


def notifications(app: App) -> list[Notification]:
    """The notifications shown now (each a title and a message). Textual 8 has no public accessor: run_test
    switches the toasts off, and `App._notifications` holds what they would show, so this is the one place
    that reads it."""
    return list(app._notifications)


def notified(app: App, text: str) -> bool:
    """Whether a notification shown now says `text` in its message or title."""
    return any(text in str(note.message) or text in str(note.title) for note in notifications(app))
