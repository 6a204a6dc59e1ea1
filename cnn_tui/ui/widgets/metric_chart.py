"""One chart widget (textual-plotext) for the Training tab's live charts and the runs view: lines against epochs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from cnn_tui.i18n import tr
from cnn_tui.ui.localized import Localized
from cnn_tui.ui.widgets.plot_canvas import PlotCanvas, PlotLine, PlotSpec

# Plotext colour names, one per line by its rank (train, test; or the runs, best first). Plotext draws them
# as the terminal's 16 ANSI colours (its "orange" is ANSI yellow), so Rich text uses the same ANSI colours.
PALETTE = ("cyan", "orange", "green", "magenta", "blue+", "red", "cyan+", "green+")
ANSI_COLOURS = {
    "cyan": "cyan",
    "orange": "yellow",
    "green": "green",
    "magenta": "magenta",
    "blue+": "bright_blue",
    "red": "red",
    "cyan+": "bright_cyan",
    "green+": "bright_green",
}
MARGIN = 0.05  # room above and below the curves (unless the range is 0..1), as a share of their range


def line_colour(rank: int) -> str:
    """The plotext colour of the line ranked `rank` (0: train or the best run)."""
    return PALETTE[rank % len(PALETTE)]


def rich_colour(colour: str) -> str:
    """The Rich style of a plotext colour (a standard ANSI colour name)."""
    return ANSI_COLOURS[colour]


def textual_colour(colour: str) -> str:
    """The Textual Content style of a plotext colour (`ansi_…`, so the terminal's palette applies as in the chart)."""
    return "ansi_" + ANSI_COLOURS[colour]


@dataclass(frozen=True)
class Line:
    """One curve: its legend (a catalogue key, or with `translate` False the text itself), points and colour."""

    label: str
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    colour: str
    translate: bool = True

    def legend(self) -> str:
        return tr(self.label) if self.translate else self.label


class MetricChart(Localized, Vertical):
    """A header (title, legend, x axis) over a plot of lines against epochs; `unit_range` fixes y to 0..1 (accuracy).

    The x axis runs from `first_epoch` (0: before training; 1: the first finished epoch) to the
    epochs `show` is given, or to the last point's epoch. `title_key` may take parameters whose
    values are catalogue keys too: `show(lines, metric="runs.metric.test")`.
    """

    DEFAULT_CSS = """
    MetricChart { height: 1fr; }
    MetricChart > .chart-header { height: auto; }
    MetricChart > .chart-plot { height: 1fr; }
    """

    def __init__(self, title_key: str, *, unit_range: bool = False, first_epoch: int = 0, id: str | None = None) -> None:
        super().__init__(id=id, classes="metric-chart")
        self.title_key = title_key
        self.unit_range = unit_range
        self.first_epoch = first_epoch
        self.lines: tuple[Line, ...] = ()
        self.epochs = 1
        self.title_keys: dict[str, str] = {}
        self._header_lines = 0  # lines the header was last laid out with

    def compose(self) -> ComposeResult:
        yield Static(classes="chart-header")
        yield PlotCanvas(classes="chart-plot")

    def show(self, lines: Sequence[Line], epochs: int | None = None, *, live: bool = False, **title_keys: str) -> None:
        """Replace the chart's lines (and the title's parameters) and redraw; `epochs` None: up to the last point.

        `live`: a redraw among many (the batch-loss chart during an epoch): the plot is built off the event
        loop (cnn_tui.ui.widgets.plot_canvas) and the old one shows until it is ready."""
        self.lines = tuple(lines)
        last = max((int(max(line.xs)) for line in self.lines if line.xs), default=1)
        self.epochs = max(1, epochs if epochs is not None else last)
        self.title_keys = dict(title_keys)
        self._replot(off_loop=live)

    def localize(self) -> None:
        self._replot()

    def on_resize(self) -> None:
        self._update_header()

    def header(self) -> Text:
        """The title, then a swatch and legend per line, then the x axis's name: on one line where they fit,
        else on as many as needed, never breaking a legend."""
        width = self.size.width or 200
        title = tr(self.title_key, **{name: tr(key) for name, key in self.title_keys.items()})
        text = Text(title, "bold")
        used = text.cell_len
        pieces = [(Text.assemble(("━━ ", rich_colour(line.colour)), line.legend()), False) for line in self.lines]
        pieces.append((Text(tr("training.chart.x_axis"), "dim"), True))
        for piece, optional in pieces:
            if used + 3 + piece.cell_len <= width:
                text.append("   ")
                used += 3 + piece.cell_len
            elif optional:
                break  # the x axis's name only where it fits on the line already there
            else:
                text.append("\n")
                used = piece.cell_len
            text.append_text(piece)
        return text

    def y_range(self) -> tuple[float | None, float | None]:
        if self.unit_range:
            return 0.0, 1.0
        values = [y for line in self.lines for y in line.ys]
        if not values:
            return None, None
        low, high = min(values), max(values)
        span = max(high - low, 1e-3)
        return low - MARGIN * span, high + MARGIN * span

    def _update_header(self) -> None:
        """Show the header; lay out again only when its number of lines changed."""
        header = self.header()
        count = header.plain.count("\n") + 1
        self.query_one(".chart-header", Static).update(header, layout=count != self._header_lines)
        self._header_lines = count

    def spec(self) -> PlotSpec:
        """What the plot shows: the x axis over the epochs, the y range, and the lines."""
        first = self.first_epoch if self.epochs > 1 else 0
        return PlotSpec(
            xlim=(first, self.epochs),
            xticks=tuple(range(self.first_epoch, self.epochs + 1)) if self.epochs <= 12 else None,
            ylim=self.y_range(),
            yticks=(0, 0.25, 0.5, 0.75, 1) if self.unit_range else None,
            lines=tuple(PlotLine(line.xs, line.ys, line.colour) for line in self.lines),
        )

    def _replot(self, off_loop: bool = False) -> None:
        with self.app.batch_update():
            self._update_header()
            self.query_one(PlotCanvas).draw(self.spec(), off_loop=off_loop)
