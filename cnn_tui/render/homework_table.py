"""The homework's result table: each suggestion against the lecture's baseline, in accuracy and in time.

Takes `cnn_tui.ml.homework.HomeworkResult`s (duck-typed here, so this module never imports torch).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text

from cnn_tui.i18n import describe, tr

if TYPE_CHECKING:
    from cnn_tui.ml.homework import HomeworkResult

HELPED, HURT, SAME = "helped", "hurt", "about the same"
# How each outcome (a verdict, "baseline", or a run's status) is shown: its catalogue message.
OUTCOME_WORDS = {
    "baseline": "cli.homework.table.baseline", HELPED: "cli.homework.table.helped", HURT: "cli.homework.table.hurt",
    SAME: "cli.homework.table.same", "no result": "cli.homework.table.no_result",
    "diverged": "cli.homework.table.diverged", "stopped": "cli.homework.table.stopped",
}


def verdict(delta: float | None, margin: float) -> str:
    if delta is None:
        return "no result"
    if delta > margin:
        return HELPED
    if delta < -margin:
        return HURT
    return SAME


def _delta_text(delta: float | None) -> Text:
    if delta is None:
        return Text("-")
    points = delta * 100
    style = "green" if points > 0 else "red" if points < 0 else ""
    return Text(f"{points:+.1f} pp", style=style)


def homework_table(results: Sequence[HomeworkResult], *, margin: float, title: str) -> Group:
    """One row per experiment, baseline first: accuracy, change against the baseline, time, verdict."""
    base = results[0] if results else None
    base_acc = base.accuracy if base else None
    base_time = base.train_seconds if base else 0.0
    table = Table(title=title, title_justify="left")
    for name, justify in (
        ("number", "right"), ("suggestion", "left"), ("changed", "left"), ("accuracy", "right"),
        ("versus", "right"), ("time", "right"), ("ratio", "right"), ("params", "right"), ("verdict", "left"),
    ):
        table.add_column(tr(f"cli.homework.table.{name}"), justify=justify)
    for index, item in enumerate(results):
        exp = item.experiment
        acc = item.accuracy
        delta = None if acc is None or base_acc is None or index == 0 else acc - base_acc
        outcome = "baseline" if index == 0 else verdict(delta, margin)
        if item.result.status != "finished":
            outcome = item.result.status
        style = {HELPED: "bold green", HURT: "red", "diverged": "bold red"}.get(outcome, "")
        ratio = item.train_seconds / base_time if base_time > 0 and index else 1.0
        table.add_row(
            str(index),
            Text(describe(exp.title), style="bold") + Text(f"\n{exp.lecture_words}", style="dim"),
            exp.detail,
            "-" if acc is None else f"{acc:.4f}",
            _delta_text(delta) if index else Text("-"),
            f"{item.train_seconds:.1f}s",
            f"{ratio:.2f}×",
            f"{item.parameters:,}",
            Text(tr(OUTCOME_WORDS[outcome]) if outcome in OUTCOME_WORDS else outcome, style=style),
        )
    notes = [Text(tr("cli.homework.table.margin_note", points=margin * 100), style="dim")]
    ranked = sorted(
        (r for r in results[1:] if r.accuracy is not None and base_acc is not None), key=lambda r: -(r.accuracy or 0)
    )
    if ranked and base_acc is not None:
        top = ranked[0]
        points = (top.accuracy - base_acc) * 100
        notes.append(Text(tr("cli.homework.table.biggest", title=top.experiment.title, points=points), style="bold"))
    notes.append(Text(tr("cli.homework.table.ladder"), style="dim"))  # how far past the homework (benchmarks/README.md)
    return Group(table, *notes)
