"""The Training tab's inner-numbers view (`v`): weights and gradients per layer, redrawn from the trainer's messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import VerticalScroll
from textual.reactive import var
from textual.app import ComposeResult
from textual.widgets import Static

from cnn_tui.render.inner_view import inner_view
from cnn_tui.ui.localized import Localized

if TYPE_CHECKING:
    from cnn_tui.ml.inner_histograms import InnerSnapshot


class TrainingInner(Localized, VerticalScroll, can_focus=False):
    """Shows the latest `InnerSnapshot` the tab hands down (None: the words saying what will appear here)."""

    snapshot: var[InnerSnapshot | None] = var(None)  # of the run shown

    def compose(self) -> ComposeResult:
        yield Static(id="training-inner-table")

    def watch_snapshot(self) -> None:
        self.localize()

    def localize(self) -> None:
        for table in self.query("#training-inner-table").results(Static):  # none before compose
            table.update(inner_view(self.snapshot))
