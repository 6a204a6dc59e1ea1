"""Text read from files shown as text: never parsed as markup, never written as terminal control sequences."""

from __future__ import annotations

import copy
import re
from pathlib import PurePath

from rich.text import Text

from cnn_tui.i18n import LocalizedError, Phrase

_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_BRACKET = re.compile(r"(\\*)\[")
_TRAILING_BACKSLASHES = re.compile(r"\\+$")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_text(value: object) -> str:
    """`str(value)` with every control character replaced by a visible escape (`\\x1b`, `\\n`, `\\u202e`)."""
    text = str(value)
    return _CONTROLS.sub(_visible, text) if _CONTROLS.search(text) else text


def safe_markup(value: object) -> str:
    """`safe_text(value)` escaped for Rich or Textual markup (every `[` escaped: no tag in it is ever applied)."""
    text = _BRACKET.sub(lambda m: m.group(1) * 2 + "\\[", safe_text(value))
    trailing = _TRAILING_BACKSLASHES.search(text)
    return text + trailing.group() if trailing else text


def elided(value: object, limit: int) -> str:
    """`safe_text(value)` with its middle replaced by `…` when longer than `limit` characters: its start and end
    stay readable, and a pasted 100 KB path cannot push what follows it off the screen."""
    text = safe_text(value)
    if len(text) <= limit:
        return text
    head = (limit - 1) // 2
    return text[:head] + "…" + text[len(text) - (limit - 1 - head) :]


def described(said: object, limit: int, whole: int = 400) -> str:
    """A Phrase's or a LocalizedError's sentence in the current language with each text field (a path, a pasted
    value) `elided` to `limit` characters, so the sentence and its advice stay whole; any other error's text
    elided to `whole`. Control characters are escaped."""
    if isinstance(said, Phrase | LocalizedError):
        shown = copy.copy(said)  # the same message; only its fields shortened
        shown.fields = {k: elided(v, limit) if isinstance(v, str | PurePath) else v for k, v in said.fields.items()}
        return safe_text(shown.in_language())
    return elided(said, whole)


def plain(value: object, style: str = "") -> Text:
    """A Rich Text of `safe_text(value)`: styled as a whole, never parsed as markup."""
    return Text(safe_text(value), style=style)
