"""argparse in the command line's language: its own words (usage:, options, error: …) from the catalogue, and
help text wrapped by terminal cells, so Chinese lines break between characters and fit the width."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable

from cnn_tui.commands.text_cells import cells
from cnn_tui.i18n import catalogue, language

PREFIX = "cli.argparse."
# argparse looks its words up through this module-level gettext function when it builds and prints a parser, and
# wraps help in HelpFormatter._split_lines: the two places cnn-tui reaches into argparse
# (tests/unit/test_cli_language.py fails if argparse stops using them).
_ENGLISH: Callable[[str], str] = argparse._  # type: ignore[attr-defined]

_WIDE = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"
_CLOSING = "，。；：、！？）」』》〉】"
_TOKEN = re.compile(rf"(?:[{_WIDE}]|[^\s{_WIDE}]+)[{_CLOSING}]*|\s+")


def _in_language(message: str) -> str:
    lang = language()
    if lang != "en":
        for key, texts in catalogue().items():
            if key.startswith(PREFIX) and texts["en"] == message:
                return texts[lang]
    return _ENGLISH(message)


def use_catalogue() -> None:
    """From now on argparse speaks the current language (English words stay argparse's own)."""
    argparse._ = _in_language  # type: ignore[attr-defined]


def wrap_cells(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` cells, broken at spaces or between wide characters (never before a
    closing mark such as ，。）); an unbreakable word longer than the width keeps its own line."""
    lines: list[str] = []
    line, used, space = "", 0, False
    for token in _TOKEN.findall(" ".join(text.split())):
        if token.isspace():
            space = True
            continue
        gap = " " if space and line else ""
        size = cells(token)
        if line and used + len(gap) + size > width:
            lines.append(line)
            line, used = token, size
        else:
            line, used = line + gap + token, used + len(gap) + size
        space = False
    if line:
        lines.append(line)
    return lines


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions as written; option help wrapped by argparse in English, by terminal cells otherwise."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        if language() == "en":
            return super()._split_lines(text, width)
        return wrap_cells(text, width)
