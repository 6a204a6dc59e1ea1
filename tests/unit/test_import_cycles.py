"""No import cycles inside cnn_tui: read every module's imports with ast (top-level, inside functions and under
TYPE_CHECKING alike, since a lazy import is still a dependency) and look for a loop in the graph."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "cnn_tui"


def module_name(path: Path, root: Path) -> str:
    """`root/ml/data.py` -> `cnn_tui.ml.data` (for root `cnn_tui`); a package's `__init__.py` -> the package."""
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(tree: ast.AST, package: str) -> set[str]:
    """Every dotted name an import statement in `tree` may load (`from a import b` may load `a.b`)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the cnn_tui modules it imports (a name resolves to its longest known module prefix)."""
    paths = {module_name(path, root): path for path in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for imported in imported_names(ast.parse(path.read_text(encoding="utf-8")), package):
            while imported and imported not in paths:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as [a, b, …, a], or None (depth-first search, colouring modules in progress)."""
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def visit(node: str) -> list[str] | None:
        path.append(node)
        on_path.add(node)
        for target in sorted(graph.get(node, ())):
            if target in on_path:
                return path[path.index(target):] + [target]
            if target not in done:
                found = visit(target)
                if found:
                    return found
        path.pop()
        on_path.discard(node)
        done.add(node)
        return None

    for start in sorted(graph):
        if start not in done:
            found = visit(start)
            if found:
                return found
    return None


def test_cnn_tui_has_no_import_cycles():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"a.py": "from . import b", "b.py": "def f():\n    from pkg.a import x"}, ["pkg.a", "pkg.b", "pkg.a"]),
        ({"a.py": "import pkg.b", "b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import a"}, ["pkg.a", "pkg.b", "pkg.a"]),
        ({"a.py": "from pkg.b import y", "b.py": "import os"}, None),
    ],
)
def test_the_detector_finds_lazy_and_type_checking_cycles(tmp_path, files, expected):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, text in files.items():
        (package / name).write_text(text)
    assert find_cycle(import_graph(package)) == expected
