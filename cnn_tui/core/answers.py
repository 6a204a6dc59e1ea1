"""Read a learner's answer and check it: numbers (`3`, `-2.5`, `13/4`) and shapes (`2×4×4`, `2,4,4`, `[2, 4, 4]`).

Shapes and counts must be exact; values may be off by the rounding a person writes (two decimals are enough).
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

from cnn_tui.core.exercises import Answer, Exercise
from cnn_tui.i18n import LocalizedError

# |given − answer| may be this much, or this fraction of the answer, whichever is larger.
ABSOLUTE_TOLERANCE = 0.005
RELATIVE_TOLERANCE = 0.001
_SEPARATORS = re.compile(r"[×xX*,，\s]+")
_BRACKETS = "[]()（）【】"
_SIDE = re.compile(r"[0-9]{1,9}")  # ASCII digits only ("²".isdigit() is true), and no number int() refuses


class AnswerError(LocalizedError, ValueError):
    """The text is not an answer of the kind asked; the message says what one looks like."""


def parse_number(text: str) -> float:
    """`3`, `-2.5`, `13/4` or `1e3` as a float; anything else raises AnswerError."""
    cleaned = text.strip().replace("−", "-")
    try:
        if "/" in cleaned:
            value = float(Fraction(cleaned.replace(" ", "")))
        else:
            value = float(cleaned)
    except (ValueError, ZeroDivisionError):
        raise AnswerError("practice.error.not_number", text=text.strip()) from None
    if not math.isfinite(value):
        raise AnswerError("practice.error.not_number", text=text.strip())
    return value


def parse_shape(text: str) -> tuple[int, ...]:
    """`2×4×4`, `2x4x4`, `2,4,4`, `2 4 4`, `[2, 4, 4]` or `(2, 4, 4)` as a tuple of ints."""
    cleaned = text.strip()
    for bracket in _BRACKETS:
        cleaned = cleaned.replace(bracket, " ")
    parts = [p for p in _SEPARATORS.split(cleaned) if p]
    if not parts or not all(_SIDE.fullmatch(p) for p in parts):
        raise AnswerError("practice.error.not_shape", text=text.strip())
    return tuple(int(p) for p in parts)


def parse_answer(text: str, ask: str) -> Answer:
    """The answer typed for a question that asks for a "shape", a "value" or a "count"."""
    if ask == "shape":
        return parse_shape(text)
    value = parse_number(text)
    if ask == "count":
        if not value.is_integer():
            raise AnswerError("practice.error.not_count", text=text.strip())
        return int(value)
    return value


def is_right(exercise: Exercise, given: Answer) -> bool:
    """Whether `given` answers `exercise`: shapes and counts exactly, values within the tolerance."""
    expected = exercise.answer
    if isinstance(expected, tuple) or isinstance(given, tuple):
        return isinstance(expected, tuple) and isinstance(given, tuple) and tuple(given) == expected
    if exercise.ask == "count":
        return int(given) == int(expected)
    tolerance = max(ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE * abs(float(expected)))
    return abs(float(given) - float(expected)) <= tolerance


def check(exercise: Exercise, text: str) -> bool:
    """Parse `text` for `exercise` and check it (AnswerError when it is not an answer of the right kind)."""
    return is_right(exercise, parse_answer(text, exercise.ask))


def answer_text(exercise: Exercise) -> str:
    """The answer as a person writes it: `6×30×30`, `81302`, `3.25`, `0.5843`."""
    answer = exercise.answer
    if isinstance(answer, tuple):
        return "×".join(str(n) for n in answer)
    if isinstance(answer, int) or float(answer).is_integer():
        return str(int(answer))
    return f"{answer:.4g}"
