"""A learner's practice record: right and wrong answers and the streak per topic, kept in a small JSON file.

The file is written atomically (a temporary file, then a rename), so a crash never leaves half a record;
a file that is not a record raises ProgressError, and `reset` (cnn-tui practice --reset) starts afresh.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from cnn_tui.core.exercises import level_for
from cnn_tui.i18n import LocalizedError

VERSION = 1


class ProgressError(LocalizedError, ValueError):
    """The progress file cannot be read or written; the message says which file and what to do."""


@dataclass(frozen=True)
class TopicRecord:
    """One topic: answers right and wrong, and the right answers in a row now."""

    right: int = 0
    wrong: int = 0
    streak: int = 0


@dataclass(frozen=True)
class Progress:
    """Every topic's record, the streak across topics and the best streak so far."""

    topics: dict[str, TopicRecord] = field(default_factory=dict)
    streak: int = 0
    best: int = 0

    def record(self, topic: str, right: bool) -> Progress:
        """The progress after one answer in `topic`."""
        old = self.topics.get(topic, TopicRecord())
        if right:
            new = TopicRecord(old.right + 1, old.wrong, old.streak + 1)
        else:
            new = TopicRecord(old.right, old.wrong + 1, 0)
        streak = self.streak + 1 if right else 0
        return replace(self, topics={**self.topics, topic: new}, streak=streak, best=max(self.best, streak))

    def level(self, topic: str) -> int:
        """The level to ask next in `topic`: up a step every three right answers more than wrong ones."""
        record = self.topics.get(topic, TopicRecord())
        return level_for(max(record.right - record.wrong, 0))

    def first_topic(self, names: tuple[str, ...]) -> int:
        """Where to start in `names`: the topic answered least often (the lecture's order breaks ties)."""
        asked = [self.topics.get(name, TopicRecord()) for name in names]
        return min(range(len(names)), key=lambda i: (asked[i].right + asked[i].wrong, i))

    def to_json(self) -> dict[str, object]:
        return {
            "version": VERSION,
            "streak": self.streak,
            "best": self.best,
            "topics": {name: [r.right, r.wrong, r.streak] for name, r in self.topics.items()},
        }

    @classmethod
    def from_json(cls, data: object) -> Progress:
        """A record read back; ValueError when `data` is not one."""
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise ValueError("not a practice record")
        topics = {}
        for name, counts in dict(data["topics"]).items():
            if not (isinstance(counts, list) and len(counts) == 3 and all(_count(n) for n in counts)):
                raise ValueError(f"topic {name!r} is not three counts")
            topics[str(name)] = TopicRecord(*counts)
        streak, best = data["streak"], data["best"]
        if not (_count(streak) and _count(best)):
            raise ValueError("the streak is not a count")
        return cls(topics, streak, best)


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def load(path: Path) -> Progress:
    """The record in `path`; an empty one when there is no file yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Progress()
    except (OSError, UnicodeDecodeError) as error:
        raise ProgressError("practice.error.progress_unreadable", path=str(path), reason=str(error)) from None
    try:
        return Progress.from_json(json.loads(text))
    except (ValueError, KeyError, TypeError) as error:
        raise ProgressError("practice.error.progress_damaged", path=str(path), reason=str(error)) from None


def save(path: Path, progress: Progress) -> None:
    """Write `progress` to `path` atomically, making its folder if needed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(prefix=path.name + ".", suffix=".partial", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(progress.to_json(), stream)
            os.replace(partial, path)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise ProgressError("practice.error.progress_unwritable", path=str(path), reason=str(error)) from None


def reset(path: Path) -> bool:
    """Forget the record in `path`; whether there was one."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as error:
        raise ProgressError("practice.error.progress_unwritable", path=str(path), reason=str(error)) from None
    return True
