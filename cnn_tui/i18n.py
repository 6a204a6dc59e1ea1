"""The message catalogue: every user-visible string, in English and Chinese.

Messages live in `cnn_tui/locales/*.toml`, one file per part of the app, each
key a table with an `en` and a `zh` entry. `tr(key, **fields)` returns the text
in the current language with `str.format` fields filled in. A message may also give `en_one` (and `zh_one`) with
`one_if = "FIELD"`: that text is used when FIELD is 1 ("1 epoch", not "1 epochs").
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
# key -> (field, {lang: text}) for messages with a singular form (`one_if`, `en_one`).
_one_forms: dict[str, tuple[str, dict[str, str]]] = {}
_current = "en"


class CatalogueError(ValueError):
    """A locale file is malformed: a key is repeated or lacks a language."""


def load_catalogue(
    directory: Path = _LOCALE_DIR, one_forms: dict[str, tuple[str, dict[str, str]]] | None = None
) -> dict[str, dict[str, str]]:
    """Read and check every locale file in `directory` (singular forms go to `one_forms` when given)."""
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
            if "one_if" in texts and one_forms is not None:
                ones = {lang: str(texts[f"{lang}_one"]) for lang in LANGUAGES if f"{lang}_one" in texts}
                one_forms[key] = (str(texts["one_if"]), ones)
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
        _catalogue = load_catalogue(one_forms=_one_forms)
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
    lang = lang or _current
    try:
        text = catalogue()[key][lang]
    except KeyError:
        raise KeyError(f"no message {key!r} in the catalogue") from None
    if key in _one_forms:
        field, ones = _one_forms[key]
        if fields.get(field) == 1 and lang in ones:
            text = ones[lang]
    return text.format(**fields) if fields else text


class Phrase:
    """A catalogue message and its fields, put into words when shown: `str()` gives the English (the command
    line's language), `describe()` the app's current language. For what a lower layer reports to a person
    (a progress note, why a run stopped) without knowing the language it will be read in."""

    __slots__ = ("key", "fields")

    def __init__(self, key: str, /, **fields: object) -> None:
        tr(key, lang="en", **fields)  # a wrong key or a missing field fails here, where the phrase is made
        self.key = key
        self.fields = fields

    def __str__(self) -> str:
        return self.in_language("en")

    def __repr__(self) -> str:
        return f"Phrase({self.key!r}, {self.fields!r})"

    def in_language(self, lang: str | None = None) -> str:
        return _words(self.key, self.fields, lang)


class LocalizedError(Exception):
    """An error whose sentence is the catalogue message `key` filled with `fields`.

    `str(error)` is the English sentence (the command line's language); `describe(error)` gives it in the
    app's current language. Subclasses keep their own base classes (`class CheckpointError(LocalizedError,
    ValueError)`), so callers catch them as before."""

    def __init__(self, key: str, /, **fields: object) -> None:
        self.key = key
        self.fields = fields
        super().__init__(tr(key, lang="en", **fields))

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), self.key, self.fields))

    def in_language(self, lang: str | None = None) -> str:
        """The sentence in `lang` (default: the current language)."""
        return _words(self.key, self.fields, lang)


def _words(key: str, fields: dict[str, object], lang: str | None) -> str:
    """Message `key` in `lang`; a field that is itself a Phrase or a LocalizedError is given in the same language."""
    shown = {k: v.in_language(lang) if isinstance(v, Phrase | LocalizedError) else v for k, v in fields.items()}
    return tr(key, lang=lang, **shown)


def _rebuild(cls: type[LocalizedError], key: str, fields: dict[str, object]) -> LocalizedError:
    error = cls.__new__(cls)
    LocalizedError.__init__(error, key, **fields)
    return error


def describe(said: object) -> str:
    """A Phrase or a LocalizedError in the current language; anything else (another error, a plain string) as
    its own text."""
    return said.in_language() if isinstance(said, Phrase | LocalizedError) else str(said)


def class_label(name: str, lang: str | None = None) -> str:
    """A class name as the learner reads it: in Chinese the catalogue's gloss before the data's own name
    ("飞机 airplane", "圆环 ring"); in English, or for a class the catalogue does not know (own data), the
    data's own name. The app and the command line both show class names through this."""
    head = class_head(name, lang)
    return name if head == name else f"{head} {name}"


def class_head(name: str, lang: str | None = None) -> str:
    """A class's shortest readable name, for a column head: the Chinese gloss alone in Chinese ("飞机"), else
    the data's own name (English, or a class the catalogue does not know)."""
    lang = lang or _current
    texts = catalogue().get(f"class_name.{name}")
    return name if lang == "en" or texts is None else texts[lang]
