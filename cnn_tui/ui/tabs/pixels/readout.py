"""The Pixels tab's readout: the image's shape as the lecture prints it, the pixel under the cursor,
the values around it, and per-channel statistics with histograms."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.reactive import var

from cnn_tui.core.channels import CHANNEL_INDEX, CHANNEL_NAMES, ChannelStats, channel_values, chw_shape, neighbourhood, to_tensor_form
from cnn_tui.core.images import LoadedImage
from cnn_tui.core.viewport import Zoom
from cnn_tui.i18n import language, tr
from cnn_tui.render.histogram import Histogram
from cnn_tui.render.pixel_matrix import ChannelMatrix, PixelMatrices
from cnn_tui.render.safe_text import safe_text
from cnn_tui.ui.localized import Localized
from cnn_tui.ui.reactives import set_together
from cnn_tui.ui.widgets.steady_static import SteadyStatic

CHANNEL_COLOURS = ((255, 80, 80), (80, 220, 80), (90, 140, 255))
CELL_WIDTH = 4  # "255" and a space
STATS_WIDTH = 21  # "ch  min   mean  max " before the histogram


def scale_text(zoom: Zoom) -> str:
    """'1 cell = 4×8 px', '1 cell = 1×2 px (1:1)' or '1 px = 4×2 cells'."""
    if zoom.down > 1:
        return tr("pixels.scale.down", w=zoom.down, h=2 * zoom.down)
    if zoom.up == 1:
        return tr("pixels.scale.one")
    if zoom.value_blocks:
        w, h = zoom.block
        return tr("pixels.scale.up", w=w, h=h)
    return tr("pixels.scale.up", w=zoom.up, h=zoom.up // 2)


@dataclass(frozen=True, eq=False)
class Shown:
    """The image and its statistics; compared by identity, so a new image is drawn even if equal to the last."""

    image: LoadedImage
    stats: ChannelStats


class PixelReadout(Localized, VerticalScroll, can_focus=False):
    """Text about the image and the cursor; data comes down from the tab through the show_* methods.

    Not focusable (it scrolls with the mouse): when the tab is hidden, Textual moves focus away
    from the image to a focusable sibling, and a sibling inside the hidden tab would switch back to it."""

    loading_name: var[str | None] = var(None, init=False)
    """The name of the image being loaded, shown as the title meanwhile."""
    shown: var[Shown | None] = var(None, init=False)
    view: var[tuple[Zoom, str] | None] = var(None, init=False)
    """The image view's zoom and channel mode."""
    cursor: var[tuple[int, int]] = var((-1, -1), init=False)
    """The pixel under the cursor (row, col); (-1, -1) before the view reports one."""
    lang: var[str] = var("", init=False)
    area: var[Size] = var(Size(0, 0), init=False)
    """The readout's size at the last layout: the matrix and the histograms fit its width."""

    # Each part is drawn by the watcher of a computed reactive: the state it shows, drawn again when that changes.
    title_part: var[tuple[object, ...]] = var((), init=False)
    shape_part: var[tuple[object, ...]] = var((), init=False)
    view_part: var[tuple[object, ...]] = var((), init=False)
    cursor_part: var[tuple[object, ...]] = var((), init=False)
    matrix_part: var[tuple[object, ...]] = var((), init=False)
    stats_part: var[tuple[object, ...]] = var((), init=False)

    def compose(self) -> ComposeResult:
        for part in ("image", "shape", "view", "cursor", "matrix", "stats"):
            yield SteadyStatic(id=f"px-{part}", classes="px-part")

    # -- data in ----------------------------------------------------------------------------

    def show_loading(self, name: str) -> None:
        self.loading_name = name

    def show_loading_done(self) -> None:
        """Loading another image failed: show the current one's title again."""
        self.loading_name = None

    def show_image(self, image: LoadedImage, stats: ChannelStats) -> None:
        # Each part drawn once, for the new image; the next cursor is drawn even at the same place.
        set_together(self, loading_name=None, cursor=(-1, -1), shown=Shown(image, stats))

    def show_view(self, zoom: Zoom, mode: str) -> None:
        self.view = (zoom, mode)

    def show_cursor(self, row: int, col: int) -> None:
        self.cursor = (row, col)

    def localize(self) -> None:
        self.lang = language()

    def on_resize(self) -> None:
        self.area = self.outer_size

    @property
    def image(self) -> LoadedImage | None:
        return None if self.shown is None else self.shown.image

    @property
    def mode(self) -> str:
        return "rgb" if self.view is None else self.view[1]

    def compute_title_part(self) -> tuple[object, ...]:
        return (self.lang, self.loading_name, self.shown)

    def compute_shape_part(self) -> tuple[object, ...]:
        return (self.lang, self.shown)

    def compute_view_part(self) -> tuple[object, ...]:
        return (self.lang, self.view)

    def compute_cursor_part(self) -> tuple[object, ...]:
        return (self.lang, self.shown, self.cursor)

    def compute_matrix_part(self) -> tuple[object, ...]:
        return (self.lang, self.shown, self.cursor, self.view, self.area)

    def compute_stats_part(self) -> tuple[object, ...]:
        return (self.lang, self.shown, self.area)

    # -- drawing ----------------------------------------------------------------------------

    def _set(self, part: str, renderable: RenderableType, shape: object = None) -> None:
        """Show `renderable` in a part; `shape` (e.g. its line count) unchanged since the last time
        means the part keeps its height, so Textual can skip the layout. Without a shape the part
        measures the new content (a layout repaints the whole screen, even from this hidden tab)."""
        if self.is_mounted:
            self.query_one(f"#px-{part}", SteadyStatic).show(renderable, shape)

    def _lines_of(self, text: Text) -> int:
        """Lines `text` takes at the readout's width (wrapping included)."""
        return sum(max(1, -(-len(line) // self._width)) for line in text.plain.split("\n"))

    @property
    def _width(self) -> int:
        # The size at the last layout: while the tab is hidden its region is empty, and a width of 24 there
        # would change every part's shape (and lay out the visible tab) when the image changes.
        return max(self.outer_size.width - self.gutter.width, 24)

    def watch_title_part(self) -> None:
        if self.loading_name is not None:
            self._set("image", Text(tr("pixels.readout.loading", name=safe_text(self.loading_name)), style="italic"))
        elif (image := self.image) is not None:
            lines = [Text(tr("pixels.readout.image", name=safe_text(image.name), mode=image.mode, width=image.size[0], height=image.size[1]), style="bold")]
            lines += [Text(f"• {tr(f'pixels.note.{n.code}', **n.fields)}", style="dim") for n in image.notes]
            self._set("image", Group(*lines))

    def watch_shape_part(self) -> None:
        if (image := self.image) is None:
            return
        shape = Text.assemble(
            (tr("pixels.readout.shape", shape=str(image.shape)), "bold"),
            "\n",
            tr("pixels.readout.dtype", dtype=image.dtype),
            "\n",
            tr("pixels.readout.chw", shape=str(chw_shape(image.shape)), dtype=to_tensor_form(image.dtype).dtype),
        )
        self._set("shape", shape)

    def watch_view_part(self) -> None:
        if self.view is None:
            return
        zoom, mode = self.view
        self._set("view", Text(tr("pixels.readout.view", mode=tr(f"pixels.mode.{mode}"), scale=scale_text(zoom)), style="bold"))

    def watch_cursor_part(self) -> None:
        if self.image is None or self.cursor[0] < 0:
            return
        row, col = self.cursor
        rgb = tuple(int(v) for v in self.image.pixels[row, col])
        form = to_tensor_form(self.image.dtype)
        values = form.values(rgb)
        if form.scaled:
            tensor_line = tr("pixels.readout.tensor", values="(" + ", ".join(f"{v:.3f}" for v in values) + ")")
        else:
            tensor_line = tr("pixels.readout.tensor_kept", dtype=form.dtype, values=str(values))
        text = Text.assemble(
            tr("pixels.readout.cursor", row=row, col=col),
            "\n",
            (tr("pixels.readout.rgb", values=str(rgb)), "bold"),
            "\n",
            tensor_line,
        )
        self._set("cursor", text, shape=(self._width, self._lines_of(text)))

    def matrix_size(self) -> int:
        """5×5, or 7×7 / 9×9 where there is room; 3×3 per channel when three must share the width."""
        width = self._width
        if self.mode in ("rgb", "split"):
            return 5 if 3 * 5 * CELL_WIDTH + 4 <= width else 3
        spare_rows = self.outer_size.height - self.gutter.height - 27
        size = 5 + 2 * max(0, min(spare_rows // 2, 2))
        while size > 5 and size * CELL_WIDTH > width:
            size -= 2
        return size

    def watch_matrix_part(self) -> None:
        if self.image is None or self.cursor[0] < 0:
            return
        size = self.matrix_size()
        row, col = self.cursor
        pixels = self.image.pixels
        if self.mode in ("rgb", "split"):
            matrices = [ChannelMatrix(name, neighbourhood(pixels[:, :, c], row, col, size), c) for c, name in enumerate(CHANNEL_NAMES)]
        else:
            window = pixels[max(row - size, 0) : row + size + 1, max(col - size, 0) : col + size + 1]
            values = channel_values(window, self.mode)
            local = neighbourhood(values, row - max(row - size, 0), col - max(col - size, 0), size)
            channel = CHANNEL_INDEX.get(self.mode)
            title = CHANNEL_NAMES[channel] if channel is not None else tr("pixels.readout.grey_title")
            matrices = [ChannelMatrix(title, local, channel)]
        caption = Text(tr("pixels.readout.matrix", size=size), style="dim")
        shape = (self._width, self._lines_of(caption), size, len(matrices))
        self._set("matrix", Group(caption, PixelMatrices(matrices, cell_width=CELL_WIDTH)), shape=shape)

    def watch_stats_part(self) -> None:
        if self.shown is None:
            return
        stats = self.shown.stats
        hist_width = max(min(self._width - STATS_WIDTH, 64), 8)
        table = Table.grid(padding=(0, 1))
        for justify in ("left", "right", "right", "right", "left"):
            table.add_column(justify=justify, no_wrap=True)  # type: ignore[arg-type]
        table.add_row(
            *(Text(tr(f"pixels.readout.{key}"), style="dim") for key in ("channel", "min", "mean", "max", "histogram"))
        )
        for c, name in enumerate(CHANNEL_NAMES):
            table.add_row(
                Text(name, style="bold"),
                str(stats.minimum[c]),
                f"{stats.mean[c]:.1f}",
                str(stats.maximum[c]),
                Histogram(stats.histograms[c], CHANNEL_COLOURS[c], width=hist_width, height=2),
            )
        self._set("stats", table, shape=hist_width)  # a header and two lines per channel, never wrapped
