"""The Pixels tab (图像基础): an image's pixels as coloured blocks, its channels, a pixel cursor and
the shape as the lecture prints it, `(H, W, C) = (640, 640, 3)`.

Images are decoded in a worker, which also imports NumPy and Pillow the first time: this module
imports neither, so the app's first frame does not wait for them. The view and the readout are
mounted when the first image arrives; until then the tab says it is loading.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import MountError
from textual.widgets import Static, Tabs
from textual.worker import get_current_worker

from cnn_tui.i18n import tr
from cnn_tui.ui.localized import Localized
from cnn_tui.ui.on_screen import on_screen
from cnn_tui.ui.messages import GoTo, ImageChanged, ImageFailed, OpenImage, PointAt
from cnn_tui.ui.state import CurrentImage, LabState

if TYPE_CHECKING:
    from cnn_tui.core.prepare import PreparedImage
    from cnn_tui.ui.tabs.pixels.readout import PixelReadout
    from cnn_tui.ui.tabs.pixels.view import PixelView

BUILTIN_ORDER = ("test", "black", "white")
READOUT_WIDTH = 50  # #pixel-readout's width in app.tcss, with its padding
CHANNEL_CYCLE = ("rgb", "r", "g", "b", "gray", "split")



def _moves() -> list[Binding]:
    """Arrows and hjkl move the cursor, shift+arrows pan; one shown binding each (help and footer)."""
    keys = [("up", "k", -1, 0), ("down", "j", 1, 0), ("left", "h", 0, -1), ("right", "l", 0, 1)]
    bindings = []
    for arrow, letter, dr, dc in keys:
        shown = arrow == "up"
        bindings += [
            Binding(arrow, f"move({dr}, {dc})", "pixels.bind.move", show=shown, key_display="←↑↓→ hjkl"),
            Binding(letter, f"move({dr}, {dc})", "pixels.bind.move", show=False),
            Binding(f"shift+{arrow}", f"pan({dr}, {dc})", "pixels.bind.pan", show=shown, key_display="⇧←↑↓→"),
        ]
    return bindings


class PixelsTab(Localized, Horizontal, can_focus=True):
    """The image view on the left, the readout on the right.

    The tab takes the focus itself only until the view is mounted, so that its keys (`o`, `n`, `p`, …)
    work while the first image is still being decoded and prepared; then the view has it."""

    BINDINGS = [
        *_moves(),
        Binding("plus", "zoom(1)", "pixels.bind.zoom_in", key_display="+"),
        Binding("equals_sign", "zoom(1)", "pixels.bind.zoom_in", show=False),
        Binding("minus", "zoom(-1)", "pixels.bind.zoom_out", key_display="-"),
        Binding("0", "fit", "pixels.bind.fit"),
        Binding("c", "channel", "pixels.bind.channel"),
        Binding("o", "open", "pixels.bind.open"),
        Binding("n", "next_image", "pixels.bind.next_image"),
        Binding("g", "step_here", "pixels.bind.step_here"),
        Binding("f", "feature_maps", "pixels.bind.feature_maps"),
        Binding("p", "predict", "pixels.bind.predict"),
    ]

    @dataclass
    class ImageReady(Message):
        """The worker prepared the current image for this view (statistics, pyramid)."""

        prepared: PreparedImage

    def __init__(self, shared: LabState | None = None) -> None:
        super().__init__(id="pixels-tab")
        self.shared = shared or LabState()
        self.view: PixelView | None = None
        self.readout: PixelReadout | None = None
        self._builtin = 0
        self._stale = False  # a new image arrived while the tab was hidden
        self._placeholder = Static(id="pixels-placeholder")

    def compose(self) -> ComposeResult:
        yield self._placeholder

    def on_mount(self) -> None:
        if self.shared.image is not None:
            self._show(self.shared.image)

    def localize(self) -> None:
        if self.view is None:
            self._placeholder.update(Text(tr("pixels.readout.loading_first"), style="italic"))

    # -- the current image ------------------------------------------------------------------

    def open(self, source: str | Path, announce: bool = True) -> None:
        """Ask the app to make a file or a built-in image the current one; the current image stays meanwhile."""
        self._loading(str(source))
        self.post_message(OpenImage(source, announce))

    def _loading(self, name: str) -> None:
        if self.readout is not None:
            self.readout.show_loading(name)
        else:
            self._placeholder.update(Text(tr("pixels.readout.loading", name=name), style="italic"))

    def on_image_changed(self, message: ImageChanged) -> None:
        """Prepare the new current image; a hidden tab does it when it is shown: meanwhile nobody sees it, and
        preparing a large photo took CPU from the tab on screen (benchmarks/README.md, "Predict tab")."""
        self._stale = not on_screen(self)
        if not self._stale:
            self._show(message.image)

    def on_image_failed(self, message: ImageFailed) -> None:
        if self.readout is not None:
            self.readout.show_loading_done()

    def _show(self, current: CurrentImage) -> None:
        """Prepare the image for this view (statistics and the pyramid level that fits) in a worker."""
        if self.view is not None and self.view.size.area:
            cols, rows = self.view.panel_size()
        else:  # not laid out yet: the tab's width less the readout's
            cols, rows = self.size.width - READOUT_WIDTH, self.size.height
        self._prepare_worker(current, max(cols, 1), max(rows, 1))

    @work(thread=True, exclusive=True, exit_on_error=False, group="pixels-prepare")
    def _prepare_worker(self, current: CurrentImage, cols: int, rows: int) -> None:
        from cnn_tui.core.prepare import prepare

        worker = get_current_worker()
        prepared = prepare(current.image, cols, rows)
        if not worker.is_cancelled:
            self.post_message(self.ImageReady(prepared))

    async def on_pixels_tab_image_ready(self, message: ImageReady) -> None:
        prepared = message.prepared
        if self.view is None:
            try:
                await self._mount_views()
            except MountError:  # the app is closing: the image arrived too late to be shown
                return
        if not self.app.is_running:  # it began closing while the views were mounted: their parts may be gone
            return
        assert self.view is not None and self.readout is not None
        self.readout.show_image(prepared.image, prepared.stats)
        self.view.show_image(prepared.image, prepared.pyramid)

    async def _mount_views(self) -> None:
        from cnn_tui.ui.tabs.pixels.readout import PixelReadout
        from cnn_tui.ui.tabs.pixels.view import PixelView

        self.view = PixelView(id="pixel-view")
        self.readout = PixelReadout(id="pixel-readout")
        await self._placeholder.remove()
        await self.mount(self.view, self.readout)
        self.can_focus = False
        self._claim_focus()

    def on_show(self) -> None:
        if self._stale and self.shared.image is not None:
            self._stale = False
            self._show(self.shared.image)
        self.call_after_refresh(self._claim_focus)

    def _claim_focus(self) -> None:
        """Focus the image (this tab itself while it is loading) when this tab is on screen and focus is on
        no other visible widget (the tab bar and this tab, once the image is shown, count as none). Never
        from a hidden tab: focusing it would switch tabs."""
        if not on_screen(self):
            return
        focused = self.app.focused
        if focused is None or focused is self or isinstance(focused, Tabs) or not on_screen(focused):
            # Focus now, not later (Widget.focus is deferred): a tab switch in between would be undone.
            self.screen.set_focus(self.view or self)

    # -- messages from the view ------------------------------------------------------------

    def on_pixel_view_cursor_moved(self, message: PixelView.CursorMoved) -> None:
        if self.readout is not None:
            self.readout.show_cursor(message.row, message.col)
        self.post_message(PointAt(message.row, message.col))

    def on_pixel_view_view_changed(self, message: PixelView.ViewChanged) -> None:
        if self.readout is not None:
            self.readout.show_view(message.zoom, message.mode)

    # -- actions ----------------------------------------------------------------------------

    def action_move(self, d_rows: int, d_cols: int) -> None:
        if self.view is not None:
            self.view.move_cursor(d_rows, d_cols)

    def action_pan(self, d_rows: int, d_cols: int) -> None:
        if self.view is not None:
            self.view.pan(d_rows, d_cols)

    def action_zoom(self, steps: int) -> None:
        if self.view is not None:
            self.view.zoom_by(steps)

    def action_fit(self) -> None:
        if self.view is not None:
            self.view.fit()

    def action_channel(self) -> None:
        if self.view is not None:
            index = CHANNEL_CYCLE.index(self.view.mode)
            self.view.set_mode(CHANNEL_CYCLE[(index + 1) % len(CHANNEL_CYCLE)])

    def action_step_here(self) -> None:
        """Step a convolution over a crop of the image around the cursor (the app knows the point)."""
        self.post_message(GoTo("convolution", "image_crop(1)"))

    def action_feature_maps(self) -> None:
        self.post_message(GoTo("feature-maps"))

    def action_predict(self) -> None:
        """What the trained network sees in this image: the Predict tab."""
        self.post_message(GoTo("predict"))

    def action_next_image(self) -> None:
        self._builtin = (self._builtin + 1) % len(BUILTIN_ORDER)
        self.open(BUILTIN_ORDER[self._builtin], announce=False)

    def action_open(self) -> None:
        from cnn_tui.ui.screens.open_image import OpenImageScreen

        def opened(path: Path | None) -> None:
            if path is not None:
                self.open(path)

        self.app.push_screen(OpenImageScreen(confinement=self.shared.confinement), opened)
