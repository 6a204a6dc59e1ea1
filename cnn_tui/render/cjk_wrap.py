"""Line breaking for mixed Chinese and English text by terminal cells, keeping formulas, lists and matrices whole."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.cells import cell_len

OPENING = "（([{【《「『“‘"
CLOSING = "，。、；：！？）)]}】》」』”’,.;:!?…%·"  # · separates a list: it ends a line, never starts one
OPERATORS = frozenset("= + − - × / ÷ → ← ⇄ * < > ≤ ≥ ≈".split()) | {"→", "=>", "->", "==", "+=", "**"}
ASCII_OPEN, ASCII_CLOSE = "([{", ")]}"
NO_BREAK = "\u00a0"
_LEAD = re.compile(r" *(?:(?:•|-|\d+\.) +)?")  # leading spaces and a list marker: what continuation lines indent by
_NUMBER_COMMA = re.compile(r"^[\d.]+,$")


@dataclass(frozen=True)
class Line:
    """One line of output: text[start:end] of the input, shown after `indent` spaces."""

    start: int
    end: int
    indent: int


@dataclass
class _Atom:
    start: int
    end: int
    space_before: int  # the spaces between it and the atom before (dropped where the line breaks)
    glued: int = 0  # how firmly it holds to the atom before (0: a break may come before it)


def _atoms(text: str, offset: int) -> list[_Atom]:
    """Words (runs of narrow characters), single wide characters and the spaces between them."""
    atoms: list[_Atom] = []
    i, spaced = 0, 0
    while i < len(text):
        char = text[i]
        if char == " ":
            spaced, i = spaced + 1, i + 1
            continue
        if cell_len(char) == 2:
            atoms.append(_Atom(offset + i, offset + i + 1, spaced))
            i += 1
        else:
            j = i
            while j < len(text) and text[j] != " " and cell_len(text[j]) != 2:
                j += 1
            atoms.append(_Atom(offset + i, offset + j, spaced))
            i = j
        spaced = 0
    return atoms


SOFT, HARD = 1, 2  # how firmly an atom holds to the one before: an operator's side, or anything else listed


def _glue(text: str, atoms: list[_Atom]) -> None:
    """Mark the atoms that must stay on the line of the atom before them (SOFT: the sides of an operator, given
    up first when the whole does not fit; HARD: inside brackets, punctuation, lists of numbers)."""
    depth = 0
    for index, atom in enumerate(atoms):
        word = text[atom.start:atom.end]
        if index:
            before = text[atoms[index - 1].start:atoms[index - 1].end]
            if (
                depth > 0  # inside ASCII brackets: a tuple, a matrix, a call
                or word[0] in CLOSING  # no line starts with closing punctuation
                or before[-1] in OPENING  # no line ends with opening punctuation
                or (bool(_NUMBER_COMMA.match(before)) and word[0].isdigit())  # 3, 5, 7…
                or (word[0].isdigit() and cell_len(before[-1]) == 2)  # a number stays with its word: 为 3x3
                or NO_BREAK in (before[-1], word[0])  # a no-break space joins a name to its value: ceil_mode 否
            ):
                atom.glued = HARD
            elif word in OPERATORS or before in OPERATORS:  # a formula: N = (W − F + 2P) / S + 1
                atom.glued = SOFT
        depth = max(0, depth + sum(word.count(c) for c in ASCII_OPEN) - sum(word.count(c) for c in ASCII_CLOSE))


def _units(atoms: list[_Atom], level: int = SOFT) -> list[list[_Atom]]:
    """The atoms in groups no break may split: held together by glue of at least `level`."""
    units: list[list[_Atom]] = []
    for atom in atoms:
        if atom.glued >= level and units:
            units[-1].append(atom)
        else:
            units.append([atom])
    return units


def _width(text: str, atoms: list[_Atom], first: bool = True) -> int:
    """Cells of `atoms` laid out on one line (the first atom's space counted unless `first`)."""
    cells = 0
    for index, atom in enumerate(atoms):
        if index or not first:
            cells += atom.space_before
        cells += cell_len(text[atom.start:atom.end])
    return cells


def _fold(text: str, atom: _Atom, width: int) -> list[_Atom]:
    """A word wider than a line, cut into pieces of `width` cells."""
    pieces, start, cells = [], atom.start, 0
    for i in range(atom.start, atom.end):
        char_cells = cell_len(text[i])
        if cells + char_cells > width and i > start:
            pieces.append(_Atom(start, i, atom.space_before if start == atom.start else 0))
            start, cells = i, 0
        cells += char_cells
    pieces.append(_Atom(start, atom.end, atom.space_before if start == atom.start else 0))
    return pieces


def wrap_paragraph(text: str, start: int, end: int, width: int) -> list[Line]:
    """The lines of text[start:end] (no newline inside) in `width` cells."""
    lead = _LEAD.match(text, start, end)
    indent = cell_len(lead.group(0)) if lead else 0
    atoms = _atoms(text[lead.end():end], lead.end()) if lead else []
    if not atoms:
        return [Line(start, start, 0)]
    _glue(text, atoms)
    room = max(1, width - indent)
    lines: list[Line] = []
    current: list[_Atom] = []

    def place(piece: list[_Atom]) -> None:
        if current and _width(text, current) + _width(text, piece, first=False) > room:
            lines.append(Line(start if not lines else current[0].start, current[-1].end, indent if lines else 0))
            current.clear()
        current.extend(piece)

    for unit in _units(atoms):
        if _width(text, unit) <= room:
            place(unit)
            continue
        for part in _units(unit, HARD):  # wider than a line: break beside its operators first,
            if _width(text, part) <= room:
                place(part)
                continue
            for atom in part:  # then at its spaces, and fold a word wider still
                if cell_len(text[atom.start:atom.end]) <= room:
                    place([atom])
                else:
                    for fold in _fold(text, atom, room):
                        place([fold])
    lines.append(Line(start if not lines else current[0].start, current[-1].end, indent if lines else 0))
    return lines


def wrap(text: str, width: int) -> list[Line]:
    """Every line of `text` (its own newlines kept) in `width` cells."""
    lines: list[Line] = []
    start = 0
    for paragraph in text.split("\n"):
        lines.extend(wrap_paragraph(text, start, start + len(paragraph), width))
        start += len(paragraph) + 1
    return lines
