"""An exercise: its question in both languages, what is asked, the setting in PyTorch's names, and the answer.

An `Exercise` carries its question as a catalogue `Phrase` (English and Chinese), what is asked ("shape",
"value" or "count"), the setting in PyTorch's own argument names (so anyone can check it with torch), the
cell asked for a value, and the answer. The topics are in `cnn_tui.core.exercise_topics`, the worksheet in
`cnn_tui.core.practice`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cnn_tui.i18n import Phrase

LEVELS = (1, 2, 3)  # easy, medium, hard
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
        """The worksheet line (issue 26's contract): topic, question, ask, setting, at (values only) and answer."""
        line: dict[str, Any] = {
            "topic": self.topic,
            "question": self.question(lang),
            "ask": self.ask,
            "setting": self.setting,
        }
        if self.at is not None:
            line["at"] = list(self.at)
        line["answer"] = list(self.answer) if isinstance(self.answer, tuple) else self.answer
        return line


def level_for(right: int) -> int:
    """The level a learner gets next in a topic after `right` right answers there: a step up every three."""
    return min(1 + right // 3, LEVELS[-1])
