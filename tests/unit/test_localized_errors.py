"""Errors the app shows are catalogue messages: each raise names a message that exists in English and Chinese
with the fields it fills, `str()` stays English for the command line, and `describe` follows the app's language."""

from __future__ import annotations

import ast
import importlib
import pickle
import pkgutil
import string
from pathlib import Path

import pytest

import cnn_tui
from cnn_tui.i18n import LocalizedError, catalogue, describe, set_language

PACKAGE = Path(cnn_tui.__file__).parent


def _localized_error_names() -> set[str]:
    """Every LocalizedError subclass in the core and ml layers, by class name."""
    for layer in ("core", "ml"):
        package = importlib.import_module(f"cnn_tui.{layer}")
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(info.name)
    names, todo = set(), [LocalizedError]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub.__module__.startswith("cnn_tui."):
                names.add(sub.__name__)
            todo.append(sub)
    return names


def _fields(text: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


def _raises() -> list[tuple[str, ast.Call]]:
    names = _localized_error_names() | {"Phrase"}
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names:
                found.append((f"{path.relative_to(PACKAGE.parent)}:{node.lineno}", node))
    return found


def test_every_localized_error_names_a_message_with_the_fields_it_fills():
    messages = catalogue()
    raises = _raises()
    assert raises, "no LocalizedError is raised anywhere"
    problems = []
    for where, call in raises:
        first = call.args[0] if call.args else None
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            problems.append(f"{where}: the message key is not a literal string")
            continue
        key = first.value
        if key not in messages:
            problems.append(f"{where}: no message {key!r} in the catalogue")
            continue
        if any(k.arg is None for k in call.keywords):
            continue  # **fields: checked where they are built
        given = {k.arg for k in call.keywords}
        for lang, text in messages[key].items():
            if _fields(text) != given:
                problems.append(f"{where}: {key!r} ({lang}) needs {sorted(_fields(text))}, the call gives {sorted(given)}")
    assert not problems, "\n".join(problems)


class _Example(LocalizedError, ValueError):
    pass


def test_str_is_english_and_describe_follows_the_language():
    error = _Example("pixels.readout.loading", name="cat.png")
    try:
        set_language("zh")
        assert str(error) == "Loading cat.png …"
        assert describe(error) == "正在加载 cat.png …"
        assert describe(ValueError("plain words")) == "plain words"
    finally:
        set_language("en")
    assert describe(error) == "Loading cat.png …"
    assert isinstance(error, ValueError)


def test_a_localized_error_survives_pickling_with_its_key():
    error = pickle.loads(pickle.dumps(_Example("pixels.readout.loading", name="cat.png")))
    assert type(error) is _Example and error.key == "pixels.readout.loading" and str(error) == "Loading cat.png …"


def test_a_message_key_that_is_not_in_the_catalogue_fails_at_once():
    with pytest.raises(KeyError, match="no message"):
        _Example("no.such.message")
