"""Exercises made from a seed, easy to hard, whose answers the step engine computes: the registry and the worksheet.

An `Exercise` carries its question as a catalogue `Phrase` (English and Chinese), what is asked ("shape",
"value" or "count"), the setting in PyTorch's own argument names (so anyone can check it with torch), the
cell asked for a value, and the answer. Each topic lives in `cnn_tui.core.exercise_topics`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from cnn_tui.i18n import Phrase

LEVELS = (1, 2, 3)  # easy, medium, hard
ASKS = ("shape", "value", "count")
Answer = int | float | tuple[int, ...]


@dataclass(frozen=True)
class Exercise:
    """One question: its topic and level, the words, what is asked, the setting, the cell asked and the answer."""

    topic: str
    level: int
    prompt: Phrase
    ask: str
    setting: dict[str, Any]
    answer: Answer
    at: tuple[int, ...] | None = None
    seed: int = 0

    def question(self, lang: str | None = None) -> str:
        """The question in `lang` (default: the current language)."""
        return self.prompt.in_language(lang)

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        """The worksheet line: topic, question, ask, setting, at (values only) and answer."""
        line: dict[str, Any] = {
            "topic": self.topic,
            "level": self.level,
            "question": self.question(lang),
            "ask": self.ask,
            "setting": self.setting,
        }
        if self.at is not None:
            line["at"] = list(self.at)
        line["answer"] = list(self.answer) if isinstance(self.answer, tuple) else self.answer
        return line


Maker = Callable[[np.random.Generator, int], Exercise]
_MAKERS: dict[str, Maker] = {}


def topic(name: str) -> Callable[[Maker], Maker]:
    """Register a maker `(rng, level) -> Exercise` under `name` (the order of registration is the lecture's)."""

    def register(maker: Maker) -> Maker:
        _MAKERS[name] = maker
        return maker

    return register


def topics() -> tuple[str, ...]:
    """Every topic, in the lecture's order."""
    import cnn_tui.core.exercise_topics  # noqa: F401 - registers the topics

    return tuple(_MAKERS)


def make(name: str, seed: int, level: int) -> Exercise:
    """The exercise of topic `name` at `level` (1–3) drawn from `seed`: the same arguments give the same exercise."""
    names = topics()
    if name not in names:
        raise KeyError(name)
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level}")
    rng = np.random.default_rng([seed, names.index(name), level])
    made = _MAKERS[name](rng, level)
    return Exercise(made.topic, level, made.prompt, made.ask, made.setting, made.answer, made.at, seed)


def worksheet(count: int, seed: int, only: str | None = None) -> list[Exercise]:
    """`count` exercises from easy to hard: the topics in turn (or `only` that one), the level rising by thirds."""
    names = (only,) if only else topics()
    sheet = []
    for index in range(count):
        level = 1 + (3 * index) // max(count, 1)
        sheet.append(make(names[index % len(names)], seed * 100_003 + index, level))
    return sheet


def level_for(right: int) -> int:
    """The level a learner gets next in a topic after `right` right answers there: a step up every three."""
    return min(1 + right // 3, LEVELS[-1])
