"""A recorded run's inner numbers as a Rich table: per epoch and layer, weight and gradient norms, change, dead ReLUs.

Takes a `RunRecord` (duck-typed); names come from a file, so every cell is a `plain` Text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.table import Table

from cnn_tui.i18n import tr
from cnn_tui.render.safe_text import plain

# A change per epoch above this share of the weight, or a dead share above this, is shown as a warning.
LARGE_CHANGE = 1.0
MANY_DEAD = 0.5


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.3g}"


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


def inner_table(record: Any) -> Table:
    """Rows per recorded epoch and layer, in the order the forward pass runs the layers."""
    table = Table(title=tr("inner.title", run=record.title), title_justify="left")
    for key in ("epoch", "layer", "weight", "grad", "change", "dead"):
        table.add_column(tr(f"inner.col_{key}"), justify="left" if key == "layer" else "right")
    for entry in record.inner:
        rows = entry["layers"]
        for index, row in enumerate(rows):
            change, share = row["change"], row["dead"]
            table.add_row(
                str(entry["epoch"]) if index == 0 else "",
                plain(row["layer"]),
                _number(row["weight"]),
                _number(row["grad"]),
                plain(_number(change), "bold yellow" if change is not None and change > LARGE_CHANGE else ""),
                plain(_share(share), "bold yellow" if share is not None and share > MANY_DEAD else ""),
                end_section=index == len(rows) - 1,
            )
    return table


def inner_compare_table(records: Sequence[Any]) -> Table:
    """Several runs side by side at their last recorded epoch: per layer, each run's gradient norm, change and dead share."""
    table = Table(title=tr("inner.compare_title"), title_justify="left")
    table.add_column(tr("inner.col_layer"))
    lasts = [record.inner[-1] if record.inner else {"epoch": 0, "layers": []} for record in records]
    for record, last in zip(records, lasts):
        table.add_column(plain(tr("inner.compare_column", run=record.title, epoch=last["epoch"])), justify="right")
    names: list[str] = []
    for last in lasts:
        names += [row["layer"] for row in last["layers"] if row["layer"] not in names]
    for name in names:
        cells = []
        for last in lasts:
            row = next((r for r in last["layers"] if r["layer"] == name), None)
            parts = [] if row is None else [
                f"{_number(row['grad'])}" if row["grad"] is not None else "",
                f"{_number(row['change'])}" if row["change"] is not None else "",
                _share(row["dead"]),
            ]
            cells.append(plain(" / ".join(part or "·" for part in parts) if parts else "-"))
        table.add_row(plain(name), *cells)
    return table
