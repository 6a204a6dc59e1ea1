"""The Training tab's gallery: test images as half-block thumbnails with true and predicted labels.

Arrows move the selection, page up/down turn pages, `f` shows only the mistakes, enter opens the
selected image with its top-3 probabilities. Thumbnails are the 32×32 images averaged to 16×16.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from rich.console import Group, RenderableType
from rich.text import Text
from textual.binding import Binding
from textual.widget import Widget

from cnn_tui.core.downsample import downsample
from cnn_tui.i18n import class_head, class_label, tr
from cnn_tui.render.safe_text import plain, safe_text
from cnn_tui.render.thumbnails import RIGHT, WRONG, Thumb, ThumbnailGrid
from cnn_tui.ui.localized import Localized

if TYPE_CHECKING:
    from cnn_tui.ml.run_report import RunReport

THUMB_SHRINK = 2  # 32×32 → 16×16 pixels: 16 columns × 8 rows
CELL_HEIGHT = 8 + 2 + 1  # image rows, two caption lines, a blank line


def captions(report: RunReport, index: int) -> tuple[Text, ...]:
    """The true label ("圆环 ring" in Chinese), then ✓/✗ with the predicted label (its Chinese name alone: the
    thumbnail is narrow) and its probability."""
    true, predicted = int(report.labels[index]), int(report.predicted[index])
    ok = true == predicted
    mark = "✓" if ok else "✗"
    return (
        plain(class_label(report.classes[true]), "bold"),
        Text(f"{mark} {safe_text(class_head(report.classes[predicted]))} {report.confidence[index]:.0%}", RIGHT if ok else WRONG),
    )


class TrainingGallery(Localized, Widget, can_focus=True):
    """A page of thumbnails of the report's test images (all, or only the mistakes)."""

    BINDINGS = [
        Binding("left", "move(-1, 0)", "training.bind.gallery_move", show=False),
        Binding("right", "move(1, 0)", "training.bind.gallery_move", show=False),
        Binding("up", "move(0, -1)", "training.bind.gallery_move", show=False),
        Binding("down", "move(0, 1)", "training.bind.gallery_move", show=False),
        Binding("pageup", "page(-1)", "training.bind.gallery_page", show=False),
        Binding("pagedown", "page(1)", "training.bind.gallery_page", show=False),
        Binding("f", "toggle_mistakes", "training.bind.mistakes"),
        Binding("enter", "open", "training.bind.open_image"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.report: RunReport | None = None
        self.mistakes_only = False
        self.selected = 0  # position in `indices`
        self.indices = np.zeros(0, dtype=np.int64)
        self._thumbs: dict[int, np.ndarray] = {}

    def show(self, report: RunReport | None) -> None:
        self.report = report
        self.selected = 0
        self._thumbs.clear()
        self._filter()

    def _filter(self) -> None:
        report = self.report
        if report is None:
            self.indices = np.zeros(0, dtype=np.int64)
        else:
            self.indices = report.mistakes() if self.mistakes_only else np.arange(len(report.labels))
        self.selected = min(self.selected, max(0, len(self.indices) - 1))
        self.refresh()

    def localize(self) -> None:
        self.refresh()

    # -- layout ---------------------------------------------------------------------------

    @property
    def columns(self) -> int:
        return max(1, (self.size.width or 80) // (32 // THUMB_SHRINK + 2))

    @property
    def rows(self) -> int:
        return max(1, ((self.size.height or 24) - 2) // CELL_HEIGHT)

    @property
    def page_size(self) -> int:
        return self.columns * self.rows

    def _thumb(self, index: int) -> np.ndarray:
        if index not in self._thumbs:
            assert self.report is not None
            self._thumbs[index] = downsample(self.report.images[index], THUMB_SHRINK)
        return self._thumbs[index]

    def header(self) -> Text:
        report = self.report
        if report is None:
            return Text(tr("training.gallery.none"), "dim italic")
        pages = max(1, -(-len(self.indices) // self.page_size))
        page = self.selected // self.page_size + 1
        which = "training.gallery.mistakes" if self.mistakes_only else "training.gallery.all"
        return Text(tr(which, count=f"{len(self.indices):,}", total=f"{len(report.labels):,}", page=page, pages=pages), "bold")

    def render(self) -> RenderableType:
        header = self.header()
        if self.report is None or not len(self.indices):
            empty = Text(tr("training.gallery.empty"), "dim") if self.report is not None else Text("")
            return Group(header, empty)
        start = self.selected // self.page_size * self.page_size
        shown = self.indices[start : start + self.page_size].tolist()
        thumbs = [Thumb(self._thumb(i), captions(self.report, i)) for i in shown]
        return Group(header, Text(""), ThumbnailGrid(thumbs, self.columns, self.selected - start))

    # -- actions --------------------------------------------------------------------------

    @property
    def selected_image(self) -> int | None:
        """The test-set index of the selected image."""
        return int(self.indices[self.selected]) if len(self.indices) else None

    def action_move(self, dx: int, dy: int) -> None:
        if len(self.indices):
            self.selected = min(max(0, self.selected + dx + dy * self.columns), len(self.indices) - 1)
            self.refresh()

    def action_page(self, delta: int) -> None:
        if len(self.indices):
            self.selected = min(max(0, self.selected + delta * self.page_size), len(self.indices) - 1)
            self.refresh()

    def action_toggle_mistakes(self) -> None:
        self.mistakes_only = not self.mistakes_only
        self.selected = 0
        self._filter()

    def action_open(self) -> None:
        index = self.selected_image
        if index is not None and self.report is not None:
            from cnn_tui.ui.screens.image_detail import ImageDetail

            self.app.push_screen(ImageDetail(self.report, index))
