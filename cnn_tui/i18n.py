"""The message catalogue: every user-visible string, in English and Chinese.

Messages live in `cnn_tui/locales/*.toml`, one file per part of the app, each
key a table with an `en` and a `zh` entry. `tr(key, **fields)` returns the text
in the current language with `str.format` fields filled in.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path

LANGUAGES: tuple[str, ...] = ("en", "zh")
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "zh": "中文"}
_LOCALE_DIR = Path(__file__).with_name("locales")

_catalogue: dict[str, dict[str, str]] | None = None
_current = "en"


class CatalogueError(ValueError):
    """A locale file is malformed: a key is repeated or lacks a language."""


def load_catalogue(directory: Path = _LOCALE_DIR) -> dict[str, dict[str, str]]:
    """Read and check every locale file in `directory`."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as handle:
            table = tomllib.load(handle)
        for key, texts in _flatten(table):
            if key in merged:
                raise CatalogueError(f"{path.name}: message {key!r} is defined twice")
            missing = [lang for lang in LANGUAGES if lang not in texts]
            if missing:
                raise CatalogueError(f"{path.name}: message {key!r} lacks {', '.join(missing)}")
            merged[key] = {lang: str(texts[lang]) for lang in LANGUAGES}
    return merged


def _flatten(table: Mapping[str, object], prefix: str = ""):
    """Yield (dotted key, {lang: text}) for every leaf message table."""
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping) and all(isinstance(v, str) for v in value.values()):
            yield key, value
        elif isinstance(value, Mapping):
            yield from _flatten(value, key + ".")
        else:
            raise CatalogueError(f"message {key!r} must be a table with en and zh")


def catalogue() -> dict[str, dict[str, str]]:
    """The merged catalogue, loaded once."""
    global _catalogue
    if _catalogue is None:
        _catalogue = load_catalogue()
    return _catalogue


def language() -> str:
    """The current language code."""
    return _current


def set_language(lang: str) -> None:
    """Switch the language used by `tr`."""
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    _current = lang


def detect_language(environ: Mapping[str, str] | None = None) -> str:
    """Pick the default language from LC_ALL, LC_MESSAGES or LANG (zh_* gives Chinese)."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def tr(key: str, /, lang: str | None = None, **fields: object) -> str:
    """The message `key` in `lang` (default: the current language), formatted with `fields`."""
    try:
        text = catalogue()[key][lang or _current]
    except KeyError:
        raise KeyError(f"no message {key!r} in the catalogue") from None
    return text.format(**fields) if fields else text
