"""Text measured in terminal cells, where a Chinese character takes two: for the commands' aligned columns."""

from __future__ import annotations

import unicodedata


def cells(text: str) -> int:
    """Terminal cells `text` takes: two for each wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def ljust(text: str, width: int) -> str:
    """`text` followed by spaces to `width` cells (as `f"{text:<{width}}"` does for narrow text)."""
    return text + " " * max(0, width - cells(text))


def rjust(text: str, width: int) -> str:
    """Spaces, then `text`, to `width` cells (as `f"{text:>{width}}"` does for narrow text)."""
    return " " * max(0, width - cells(text)) + text
