"""Training's inner numbers as the Training tab's view draws them: per layer the norms and histograms of
weights and gradients, the change over the last epoch and the dead ReLUs (a duck-typed `InnerSnapshot`)."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from cnn_tui.i18n import tr
from cnn_tui.render.histogram import Histogram
from cnn_tui.render.safe_text import plain

WEIGHT_COLOUR = (90, 170, 250)
GRAD_COLOUR = (250, 170, 60)
BARS = 16  # columns of each histogram


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.3g}"


def _bars(histogram: Any, colour: tuple[int, int, int]) -> RenderableType:
    if histogram is None:
        return Text("–", "dim")
    return Group(Histogram(histogram.counts, colour, width=BARS, height=2), Text(f"±{histogram.edge:.2g}", "dim"))


def inner_view(snapshot: Any, lang: str | None = None) -> RenderableType:
    """The heading (when the numbers were read), a table of every weighted layer, and what the columns mean."""
    if snapshot is None:
        return Text(tr("neurons_ui.inner.empty", lang), "dim italic")
    when = (
        tr("neurons_ui.inner.after_epoch", lang, epoch=snapshot.epoch) if snapshot.batch == 0
        else tr("neurons_ui.inner.after_batch", lang, epoch=snapshot.epoch, batch=snapshot.batch)
    )
    table = Table(box=None, padding=(0, 1), show_edge=False)
    for key in ("layer", "weight", "weights", "grad", "grads", "change", "dead"):
        table.add_column(tr(f"neurons_ui.inner.col_{key}", lang), justify="left" if key in ("layer", "weights", "grads") else "right")
    for row in snapshot.layers:
        table.add_row(
            plain(row.layer), _number(row.weight_norm), _bars(row.weights, WEIGHT_COLOUR),  # a layer without weights: –
            _number(row.grad_norm), _bars(row.grads, GRAD_COLOUR),
            _number(row.change), "–" if row.dead is None else f"{row.dead:.0%}",
        )
    return Group(Text(when, "bold"), table, Text(tr("neurons_ui.inner.legend", lang), "dim"))
