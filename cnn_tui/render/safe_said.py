"""A catalogue message shown safely: its own line breaks kept, what its fields quote from files made inert."""

from __future__ import annotations

from cnn_tui.i18n import LocalizedError, Phrase, describe, tr
from cnn_tui.render.safe_text import safe_text


class _Inert:
    """A field value that formats as its text with every control character escaped (`{name}`, `{name!r}`, `{n:,}`)."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __format__(self, spec: str) -> str:
        return safe_text(format(self.value, spec))

    def __repr__(self) -> str:
        return safe_text(repr(self.value))

    def __eq__(self, other: object) -> bool:  # a singular form's `one_if` compares the field with 1
        return bool(self.value == other)

    __hash__ = None  # type: ignore[assignment]

    def __str__(self) -> str:
        return safe_text(str(self.value))

    def __getattr__(self, name: str) -> _Inert:
        return _Inert(getattr(self.value, name))

    def __getitem__(self, key: object) -> _Inert:
        return _Inert(self.value[key])  # type: ignore[index]


def safe_said(said: object, lang: str | None = None) -> str:
    """`describe(said)` in `lang` (default: the current one) for a terminal: a Phrase's or a LocalizedError's
    catalogue text as written (its line breaks too), each field escaped by safe_text; anything else escaped whole."""
    if isinstance(said, Phrase | LocalizedError):
        fields = {
            name: safe_said(value, lang) if isinstance(value, Phrase | LocalizedError) else _Inert(value)
            for name, value in said.fields.items()
        }
        return tr(said.key, lang=lang, **fields)
    return safe_text(describe(said))
