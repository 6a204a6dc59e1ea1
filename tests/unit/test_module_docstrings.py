"""Module docstrings are short: a line or a few; design notes live in docs/design.md and benchmarks/README.md."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "cnn_tui"
MAX_LINES = 6
# Docstrings still longer, each named (the issue allows at most 10): their modules are being reworked elsewhere.
LONG_ALLOWED = {"ui/tabs/feature_maps/tab.py", "ui/widgets/runs_view.py"}


def long_docstrings() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        docstring = ast.get_docstring(ast.parse(path.read_text()), clean=False)
        if docstring and len(docstring.strip().splitlines()) > MAX_LINES:
            found.add(path.relative_to(PACKAGE).as_posix())
    return found


def test_module_docstrings_are_short_but_for_the_named_few():
    assert long_docstrings() - LONG_ALLOWED == set(), "move the notes to docs/design.md (numbers: benchmarks/README.md)"
    assert len(LONG_ALLOWED) <= 10


def test_the_allowed_list_names_only_long_docstrings():
    assert LONG_ALLOWED <= long_docstrings(), "shortened: take it off LONG_ALLOWED"


def test_the_moved_notes_are_kept():
    design = (PACKAGE.parent / "docs" / "design.md").read_text()
    assert "## `cnn_tui.ml.threads`" in design and "OMP_WAIT_POLICY" in design
    assert "### `cnn_tui.ml.gc_freeze`" in (PACKAGE.parent / "benchmarks" / "README.md").read_text()
