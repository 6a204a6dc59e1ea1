"""The UI names real types: `Any` at most 5 times in cnn_tui/ui/ (types from torch under TYPE_CHECKING)."""

from __future__ import annotations

import re
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "cnn_tui" / "ui"
MAX_ANY_LINES = 5


def lines_with_any() -> list[str]:
    word = re.compile(r"\bAny\b")
    return [
        f"{path.relative_to(UI).as_posix()}:{number}"
        for path in sorted(UI.rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if word.search(line)
    ]


def test_the_ui_says_what_its_values_are():
    found = lines_with_any()
    assert len(found) <= MAX_ANY_LINES, found
