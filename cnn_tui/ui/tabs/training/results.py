"""The Training tab's results: the lecture's `Acc: 0.57` headline, accuracy per class and the confusion matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from cnn_tui.i18n import class_head, class_label, tr
from cnn_tui.render.bars import BarRow, Bars
from cnn_tui.render.confusion import ConfusionHeatmap, ShareLegend
from cnn_tui.render.safe_text import safe_text
from cnn_tui.ui.localized import Localized

if TYPE_CHECKING:
    from cnn_tui.ml.run_report import RunReport

BAR_STYLE = Style(color="green")
WEAK_STYLE = Style(color="red")


def accuracy_rows(report: RunReport) -> list[BarRow]:
    """One bar per class, named as the confusion matrix's rows ("飞机 airplane" in Chinese); classes below the overall
    accuracy are drawn in red, a class without test images says so."""
    overall = report.evaluation.accuracy
    counts = [sum(row) for row in report.evaluation.confusion]
    return [
        BarRow(class_label(name), value, f"{value:.2f}", BAR_STYLE if value >= overall else WEAK_STYLE)
        if count else BarRow(class_label(name), 0.0, tr("training.results.no_test_images"), WEAK_STYLE)
        for name, value, count in zip(report.classes, report.evaluation.per_class, counts)
    ]


class TrainingResults(Localized, VerticalScroll):
    """Empty until a report arrives; `show(report, source)` draws it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, can_focus=False)
        self.report: RunReport | None = None
        self.source = ""

    def compose(self) -> ComposeResult:
        yield Static(id="results-headline")
        yield Static(id="results-classes")
        yield Static(id="results-confusion")

    def show(self, report: RunReport | None, source: str = "") -> None:
        self.report = report
        self.source = source
        self.localize()

    def localize(self) -> None:
        headline = self.query_one("#results-headline", Static)
        report = self.report
        if report is None:
            headline.update(Text(tr("training.results.none"), "dim italic"))
            self.query_one("#results-classes", Static).update("")
            self.query_one("#results-confusion", Static).update("")
            return
        evaluation = report.evaluation
        headline.update(
            Group(
                Text(f"Acc: {evaluation.accuracy:.2f}", "bold reverse"),
                Text(
                    tr("training.results.detail", count=f"{evaluation.count:,}", acc=f"{evaluation.accuracy:.4f}",
                       loss=f"{evaluation.loss:.5f}", source=safe_text(self.source)),
                    "dim",
                ),
            )
        )
        self.query_one("#results-classes", Static).update(
            Group(Text(tr("training.results.per_class"), "bold"), Bars(accuracy_rows(report), bar_width=40))
        )
        self.query_one("#results-confusion", Static).update(
            Group(
                Text(tr("training.results.confusion"), "bold"),
                ConfusionHeatmap(
                    [class_label(name) for name in report.classes], evaluation.confusion,
                    corner=tr("training.results.corner"), heads=[class_head(name) for name in report.classes],
                ),
                Text(tr("training.results.legend"), "dim"),
                ShareLegend(),
            )
        )
