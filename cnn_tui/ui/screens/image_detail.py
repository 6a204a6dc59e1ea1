"""The Training gallery's detail screen: one test image at full size with its true label and top-3 probabilities."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from cnn_tui.i18n import class_label, tr
from cnn_tui.render.bars import BarRow, Bars
from cnn_tui.render.halfblock import HalfBlockImage
from cnn_tui.render.safe_text import safe_text
from cnn_tui.render.thumbnails import RIGHT, WRONG
from cnn_tui.ui.localized import Localized
from cnn_tui.ui.textual_texts import KeysModalScreen
from cnn_tui.ui.messages import GoTo, UseImage

if TYPE_CHECKING:
    from cnn_tui.ml.run_report import RunReport


class ImageDetail(Localized, KeysModalScreen[None]):
    """One test image at full size with its true label and the model's top-3 probabilities."""

    BINDINGS = [
        Binding("escape,enter,q", "dismiss", "training.bind.close"),
        Binding("o", "follow('pixels')", "training.bind.open_in_pixels"),
        Binding("f", "follow('feature-maps')", "training.bind.feature_maps_of"),
        Binding("p", "follow('predict')", "training.bind.predict_this"),
    ]

    def __init__(self, report: RunReport, index: int) -> None:
        super().__init__(classes="training-detail-screen")
        self.report = report
        self.index = index

    def compose(self) -> ComposeResult:
        with Vertical(id="training-detail"):
            yield Static(id="detail-title")
            yield Static(HalfBlockImage(self.report.images[self.index]), id="detail-image")
            yield Static(id="detail-top")
            yield Static(id="detail-hint")

    def action_follow(self, tab: str) -> None:
        """Make this test image the app's current image, then show it in another tab."""
        from cnn_tui.core.images import from_array

        true = self.report.classes[int(self.report.labels[self.index])]
        name = tr("training.detail.source", index=self.index, label=safe_text(true))
        self.post_message(UseImage(from_array(self.report.images[self.index], name=name), name))
        self.post_message(GoTo(tab))
        self.dismiss()

    def localize(self) -> None:
        report, index = self.report, self.index
        true = report.classes[int(report.labels[index])]
        self.query_one("#detail-title", Static).update(
            Text(tr("training.detail.title", index=index, label=class_label(safe_text(true))), "bold")
        )
        rows = [
            BarRow(class_label(report.classes[int(c)]), float(p), f"{p:.1%}", RIGHT if report.classes[int(c)] == true else WRONG)
            for c, p in zip(report.top_classes[index], report.top_probabilities[index])
        ]
        self.query_one("#detail-top", Static).update(Group(Text(tr("training.detail.top")), Bars(rows, bar_width=24)))
        self.query_one("#detail-hint", Static).update(Text(tr("training.detail.hint"), "dim"))
