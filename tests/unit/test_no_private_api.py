"""No private Textual, plotext or Rich API in cnn_tui/ outside cnn_tui/ui/textual_adapter.py."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "cnn_tui"
ADAPTER = PACKAGE / "ui" / "textual_adapter.py"
LIBRARIES = ("textual", "textual_plotext", "plotext", "rich", "textual_serve")

# Private attributes read on other objects that are not Textual's, plotext's or Rich's, each with its owner.
ALLOWED_ATTRIBUTES = {
    ("cli.py", "_run"): "cnn-tui's own argparse default (cli.build_command_parser sets it)",
    ("commands/argparse_words.py", "_"): "argparse's gettext, the one reach into argparse (its docstring)",
    ("commands/argparse_words.py", "_split_lines"): "argparse's HelpFormatter hook",
    ("ml/download.py", "_Environ"): "os.environ's type",
    ("ml/train.py", "_is_mkldnn_bf16_supported"): "torch: no public probe for bf16 on CPU",
    ("ml/unit_field.py", "_forward_hooks"): "torch: no public way to drop hooks whose handles another run holds",
    ("ml/train_step.py", "_BatchNorm"): "torch: the base class of every batch norm",
    ("ml/train_step.py", "_DropoutNd"): "torch: the base class of every dropout",
    ("web/session.py", "_build_environment"): "textual-serve's AppService hook (web/, not the UI)",
    ("ui/app.py", "_replace"): "NamedTuple's public _replace (SystemCommand)",
    ("ui/system_commands.py", "_replace"): "NamedTuple's public _replace (SystemCommand)",
}
# Names of Textual's private attributes that cnn-tui's own classes used, shadowing them; the owner's to rename.
KNOWN_SHADOWS: set[tuple[str, str, str]] = set()


def _modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if path != ADAPTER)


def _name(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_imports(tree: ast.AST) -> list[str]:
    """Imports of a private module of a guarded library (`from textual.widgets._select import …`)."""
    found = []
    for node in ast.walk(tree):
        modules = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module]
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        for module in modules:
            parts = module.split(".")
            if parts[0] in LIBRARIES and any(_is_private(part) for part in parts[1:]):
                found.append(module)
    return found


def private_attributes(tree: ast.AST) -> list[tuple[int, str]]:
    """`x._y` where x is not self or cls (a library object's private attribute, or another object's)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _is_private(node.attr):
            if not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                found.append((node.lineno, node.attr))
    return found


def test_the_scanner_sees_private_imports_and_attributes():
    tree = ast.parse("from textual.widgets._select import SelectOverlay\nimport rich._loop\nbar._highlight_active()\n")
    assert private_imports(tree) == ["textual.widgets._select", "rich._loop"]
    assert private_attributes(tree) == [(3, "_highlight_active")]
    assert private_attributes(ast.parse("self._mine = 1\ncls._also\nx.__class__\n")) == []


def test_no_module_imports_a_private_library_module():
    found = {_name(path): private_imports(ast.parse(path.read_text())) for path in _modules()}
    assert {name: modules for name, modules in found.items() if modules} == {}


def test_no_module_reads_a_private_attribute_of_another_object():
    found = [
        f"{_name(path)}:{line} .{attr}"
        for path in _modules()
        for line, attr in private_attributes(ast.parse(path.read_text()))
        if (_name(path), attr) not in ALLOWED_ATTRIBUTES
    ]
    assert found == [], "use public API, or put the call in cnn_tui/ui/textual_adapter.py"


def _library_private_names(cls: type) -> set[str]:
    """Private names Textual (or textual-plotext) defines on `cls`'s library bases or sets on their instances."""
    from textual.app import App
    from textual.screen import Screen
    from textual.widget import Widget

    names = {
        name
        for base in cls.__mro__
        if base.__module__.split(".")[0] in LIBRARIES
        for name in vars(base)
        if _is_private(name)
    }
    for library_class in (App, Screen, Widget):
        if issubclass(cls, library_class):
            names |= {name for name in vars(library_class()) if _is_private(name)}
    return names


def _own_private_names(node: ast.ClassDef) -> set[str]:
    names = {item.name for item in node.body if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)}
    names |= {
        target.attr
        for sub in ast.walk(node)
        if isinstance(sub, ast.Assign | ast.AnnAssign | ast.AugAssign)
        for target in (sub.targets if isinstance(sub, ast.Assign) else [sub.target])
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self"
    }
    return {name for name in names if _is_private(name)}


@pytest.mark.parametrize("path", sorted((PACKAGE / "ui").rglob("*.py")), ids=_name)
def test_no_widget_overrides_a_private_textual_name(path: Path):
    """A `self._running` of our own silently replaces Textual's (MessagePump uses `_running` for its loop)."""
    module = importlib.import_module(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
    shadows = set()
    for node in ast.parse(path.read_text()).body:
        cls = getattr(module, node.name, None) if isinstance(node, ast.ClassDef) else None
        if isinstance(cls, type) and any(base.__module__.split(".")[0] in LIBRARIES for base in cls.__mro__):
            for name in _own_private_names(node) & _library_private_names(cls):
                shadows.add((_name(path), node.name, name))
    assert shadows - KNOWN_SHADOWS == set()


TESTS = PACKAGE.parent / "tests"
# What tests read that has no public reader, each in one helper.
TEST_HELPERS_ALLOWED = {
    ("shown.py", "_notifications"): "Textual 8 has no public reader of the notifications shown (tests.shown.notifications)",
    ("waiting.py", "_current_frames"): "the standard library's documented sys._current_frames",
}


def test_tests_read_what_is_shown_not_private_attributes():
    found = [
        f"{path.relative_to(TESTS).as_posix()}:{line} .{attr}"
        for path in sorted(TESTS.rglob("*.py"))
        for line, attr in private_attributes(ast.parse(path.read_text()))
        if (path.relative_to(TESTS).as_posix(), attr) not in TEST_HELPERS_ALLOWED
    ]
    assert found == [], "read what the app shows (tests/shown.py), or public API"
