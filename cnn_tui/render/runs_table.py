"""Rich tables of recorded runs: the list sorted by test accuracy, and several runs side by side.

Both take `cnn_tui.ml.runs.RunRecord`s (duck-typed here, so this module never imports the ml layer).
Everything a record holds was read from a file, so every cell is a `plain` Text (`safe_text`):
never parsed as markup, never written as control characters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text

from cnn_tui.i18n import catalogue, language, tr

from cnn_tui.render.safe_text import plain

if TYPE_CHECKING:
    from cnn_tui.ml.runs import RunRecord

BEST_STYLE = "bold green"
DIFF_STYLE = "bold yellow"
STATUS_WORDS = frozenset({"running", "finished", "stopped", "diverged"})  # ml.runs's statuses, in run_status.*


def accuracy_text(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"


def count_text(value: int) -> str:
    """1,941,536 → 1.94M; 371,856 → 372k; small numbers as they are."""
    if value >= 1_000_000:
        return f"{value / 1e6:.2f}M"
    if value >= 10_000:
        return f"{value / 1e3:.0f}k"
    return f"{value:,}"


def seconds_text(seconds: float) -> str:
    return f"{seconds:.1f}s" if seconds < 600 else f"{seconds / 60:.1f}min"


def _number(value: object, spec: str) -> str:
    """`value` formatted with `spec` when it is a number; a damaged record's other values as they are."""
    return format(value, spec) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def recipe_text(recipe: dict) -> str:
    """`sgd lr 0.4 bs 512` plus the recipe's name."""
    lr = _number(recipe.get("lr", "?"), "g")
    return f"{recipe.get('name', '?')}: {recipe.get('optimizer', '?')} lr {lr} bs {recipe.get('batch_size', '?')}"


def data_text(data: dict) -> str:
    return f"{data.get('name', '?')} {_number(data.get('train_images', 0), ',')}"


def status_text(status: str) -> str:
    """A run's status in the learner's language (运行中, 已完成…); a damaged record's other value as it is."""
    return tr(f"run_status.{status}") if status in STATUS_WORDS else status


HOMEWORK_LABEL = "homework: "  # how ml.homework labels its runs, in English, in the record
_FIELD = re.compile(r"\{([^{}:!]*)[^{}]*\}")


def label_text(label: str) -> str:
    """A run's recorded label in the learner's language: a homework run's (recorded in English, as
    `homework_title.*` words it) becomes "作业：更多的卷积输出通道"; any other label (the learner's own) as it is."""
    lang = language()
    if lang == "en" or not label.startswith(HOMEWORK_LABEL):
        return label
    title = label[len(HOMEWORK_LABEL):]
    for key, texts in catalogue().items():
        if not key.startswith("homework_title."):
            continue
        pattern = "(.+?)".join(re.escape(part) for part in _FIELD.split(texts["en"])[::2])
        match = re.fullmatch(pattern, title)
        if match:
            fields = dict(zip(_FIELD.findall(texts["en"]), match.groups()))
            return tr("run_label.homework", title=_FIELD.sub(r"{\1}", texts[lang]).format(**fields))
    return label


def epochs_text(record: RunRecord) -> str:
    return f"{len(record.epochs)}/{record.recipe.get('epochs', len(record.epochs))}"


def runs_list_table(records: Sequence[RunRecord], title: str | None = None) -> Table:
    """One row per run, in the given order (best first), numbered by rank."""
    table = Table(title=plain(title or tr("cli.runs.table.default_title")), title_justify="left")
    for name, justify in (
        ("number", "right"), ("run", "left"), ("model", "left"), ("params", "right"), ("mult_adds", "right"),
        ("data", "left"), ("recipe", "left"), ("epochs", "right"), ("best_acc", "right"),
        ("final_acc", "right"), ("train_time", "right"), ("status", "left"),
    ):
        no_wrap = name in ("number", "best_acc", "final_acc")
        table.add_column(tr(f"cli.runs.table.{name}"), justify=justify, no_wrap=no_wrap, overflow="fold")
    for rank, record in enumerate(records, 1):
        run = plain(label_text(record.label), "bold") + "\n" + plain(record.run_id, "dim") if record.label else plain(record.run_id)
        style = BEST_STYLE if rank == 1 and record.best_accuracy is not None else ""
        table.add_row(
            str(rank),
            run,
            plain(record.model_name),
            count_text(record.parameters),
            count_text(record.mult_adds),
            plain(data_text(record.data)),
            plain(recipe_text(record.recipe)),
            epochs_text(record),
            Text(accuracy_text(record.best_accuracy), style=style),
            accuracy_text(record.final_accuracy),
            seconds_text(record.train_seconds),
            plain(status_text(record.status), "" if record.status == "finished" else "yellow"),
        )
    return table


def _result_rows(records: Sequence[RunRecord]) -> list[tuple[str, list[str], int | None]]:
    """(name, values, index of the best value or None) for the results part of the comparison."""
    best = [r.best_accuracy if r.best_accuracy is not None else -1.0 for r in records]
    final = [r.final_accuracy if r.final_accuracy is not None else -1.0 for r in records]
    times = [r.train_seconds if r.epochs else float("inf") for r in records]
    return [
        (tr("cli.runs.table.best_test"), [accuracy_text(r.best_accuracy) for r in records], best.index(max(best))),
        (tr("cli.runs.table.final_test"), [accuracy_text(r.final_accuracy) for r in records], final.index(max(final))),
        (tr("cli.runs.table.training_time"), [seconds_text(r.train_seconds) for r in records], times.index(min(times))),
        (tr("cli.runs.table.total_time"), [seconds_text(r.seconds) for r in records], None),
        (tr("cli.runs.table.epochs_done"), [epochs_text(r) for r in records], None),
        (tr("cli.runs.table.parameters"), [f"{r.parameters:,}" for r in records], None),
        (tr("cli.runs.table.mult_adds_image"), [f"{r.mult_adds:,}" for r in records], None),
        (tr("cli.runs.table.status"), [status_text(r.status) for r in records], None),
    ]


def compare_table(records: Sequence[RunRecord], *, show_same: bool = False, max_epochs: int = 30) -> Group:
    """Runs side by side: results (best value green), settings that differ (yellow), test accuracy per epoch."""
    table = Table(title=tr("cli.runs.table.side_by_side"), title_justify="left", show_lines=False)
    table.add_column("", style="bold", no_wrap=True)
    for rank, record in enumerate(records, 1):
        header = plain(f"{rank}. {label_text(record.title)}", "bold")
        if record.label:
            header.append("\n").append_text(plain(record.run_id, "dim"))
        table.add_column(header, justify="right")
    for name, values, best in _result_rows(records):
        cells = [plain(v, BEST_STYLE if i == best and len(records) > 1 else "") for i, v in enumerate(values)]
        table.add_row(name, *cells)
    settings = [r.settings() for r in records]
    keys = list(dict.fromkeys(k for s in settings for k in s))
    differing = [k for k in keys if len({s.get(k, "-") for s in settings}) > 1]
    same = [k for k in keys if k not in differing]
    table.add_section()
    for key in differing:
        values = [s.get(key, "-") for s in settings]
        table.add_row(plain(key, DIFF_STYLE), *(plain(v, DIFF_STYLE) for v in values))
    if show_same:
        for key in same:
            table.add_row(plain(key, "dim"), *(plain(s.get(key, "-"), "dim") for s in settings))
    epochs = max((len(r.epochs) for r in records), default=0)
    if epochs:
        table.add_section()
        step = max(1, -(-epochs // max_epochs))
        for e in list(range(0, epochs, step)) + ([epochs - 1] if (epochs - 1) % step else []):
            values = [accuracy_text(r.epochs[e].test_accuracy) if e < len(r.epochs) else "" for r in records]
            table.add_row(tr("cli.runs.table.epoch_acc", epoch=e + 1), *values)
    notes = [Text(tr("cli.runs.table.differ", count=len(differing)), style="dim")]
    if not show_same and same:
        notes.append(Text(tr("cli.runs.table.same", count=len(same)), style="dim"))
    return Group(table, *notes)
