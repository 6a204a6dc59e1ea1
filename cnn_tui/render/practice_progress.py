"""A learner's practice record as text: the streak, and right/answered per topic in the lecture's order."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from cnn_tui.core.practice import topics
from cnn_tui.core.practice_progress import Progress, TopicRecord
from cnn_tui.i18n import tr


def progress_text(progress: Progress) -> Text:
    """`Streak 3 · best 5` then one line per topic: its name, right of answered, and its level, in the current language."""
    text = Text(tr("practice.app.streak", streak=progress.streak, best=progress.best), "bold")
    names = topics()
    width = max(cell_len(tr(f"practice.topic.{name}")) for name in names)
    for name in names:
        record = progress.topics.get(name, TopicRecord())
        asked = record.right + record.wrong
        style = "green" if asked and record.right >= record.wrong else ("red" if asked else "grey50")
        text.append("\n")
        title = tr(f"practice.topic.{name}")
        text.append(title + " " * (width + 1 - cell_len(title)))
        text.append(tr("practice.app.topic_score", right=record.right, asked=asked, level=progress.level(name)), style)
    return text
