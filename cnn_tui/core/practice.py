"""Exercises by topic, seed and level, and worksheets from easy to hard (the topics are in exercise_topics)."""

from __future__ import annotations

import random
from collections.abc import Callable

import numpy as np

from cnn_tui.core.exercise_topics import MAKERS
from cnn_tui.core.exercises import LEVELS, Exercise


def topics() -> tuple[str, ...]:
    """Every topic, in the lecture's order."""
    return tuple(MAKERS)


def make(name: str, seed: int, level: int) -> Exercise:
    """The exercise of topic `name` at `level` (1–3) drawn from `seed`: the same arguments give the same exercise."""
    if name not in MAKERS:
        raise KeyError(name)
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level}")
    rng = np.random.default_rng([seed, topics().index(name), level])
    made = MAKERS[name](rng, level)
    return Exercise(made.topic, level, made.prompt, made.ask, made.setting, made.answer, made.at, seed)


def worksheet(count: int, seed: int, only: str | None = None) -> list[Exercise]:
    """`count` exercises from easy to hard: the topics in turn (or `only` that one), the level rising by thirds."""
    names = (only,) if only else topics()
    sheet = []
    for index in range(count):
        level = 1 + (3 * index) // max(count, 1)
        sheet.append(make(names[index % len(names)], seed * 100_003 + index, level))
    return sheet


class Turns:
    """What a learner is asked next: every topic in turn (or `only` that one), starting with the one answered
    least, at the level the learner's record has reached there; `seed` None draws new exercises each time."""

    def __init__(self, first: int = 0, seed: int | None = None, only: str | None = None) -> None:
        self.turn, self.only = first, only
        self.seeds = random.Random(seed)

    def next(self, level_of: Callable[[str], int]) -> Exercise:
        """The next exercise; `level_of(topic)` says the level to ask there."""
        names = topics()
        name = self.only or names[self.turn % len(names)]
        self.turn += 1
        return make(name, self.seeds.randrange(2**31), level_of(name))
