"""`PlotCanvas`: textual-plotext's plot widget, with the plot's text built in a thread instead of during a frame."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import RenderResult
from textual.message import Message
from textual.worker import get_current_worker
from textual_plotext import PlotextPlot
from textual_plotext.plot import Plot

from cnn_tui.ui.textual_adapter import plot_theme_name, set_plot_size


@dataclass(frozen=True)
class PlotLine:
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    colour: str


@dataclass(frozen=True)
class PlotSpec:
    """Everything a chart's plot shows, as data: axis limits and ticks, and its lines."""

    xlim: tuple[float, float]
    xticks: tuple[int, ...] | None
    ylim: tuple[float | None, float | None]
    yticks: tuple[float, ...] | None
    lines: tuple[PlotLine, ...]

    def apply(self, plt: Plot) -> None:
        """Set `plt` to show this (after clearing what it showed)."""
        plt.clear_data()
        plt.xlim(*self.xlim)
        plt.xticks(list(self.xticks) if self.xticks is not None else None)
        plt.ylim(*self.ylim)
        if self.yticks is not None:
            plt.yticks(list(self.yticks))
        for line in self.lines:
            if line.xs:
                marker = "braille" if len(line.xs) > 1 else "dot"
                plt.plot(list(line.xs), list(line.ys), color=line.colour, marker=marker)


def build_text(plt: Plot, width: int, height: int, theme: str) -> Text:
    """The plot as Rich text at `width`×`height`, as textual-plotext's `render` builds it."""
    set_plot_size(plt, width, height)
    plt.theme(theme)
    return Text.from_ansi(plt.build())


Key = tuple[PlotSpec, int, int, str]  # spec, width, height, plotext theme


@dataclass
class PlotBuilt(Message):
    """From the build thread: the text for `key` (posted, never awaited, so a closing app cannot block it)."""

    key: Key
    text: Text


class PlotCanvas(PlotextPlot):
    """A plotext plot showing `spec`; `draw(spec, off_loop=True)` builds its text in a thread worker."""

    def __init__(self, *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.spec: PlotSpec | None = None
        self._built: tuple[Key, Text] | None = None

    def draw(self, spec: PlotSpec, *, off_loop: bool = False) -> None:
        """Show `spec`: built by the next frame, or with `off_loop` in a thread (the old chart shows until then)."""
        self.spec = spec
        spec.apply(self.plt)
        key = self._key()
        if off_loop and key is not None and self.is_mounted:
            self.run_worker(lambda: self._build(key), thread=True, group="plot-build", exclusive=True, exit_on_error=False)
        else:
            self.refresh()

    def render(self) -> RenderResult:
        if self._built is not None and self._built[0] == self._key():
            return self._built[1]
        return super().render()

    def _key(self) -> Key | None:
        if self.spec is None or not self.size.area:
            return None
        return self.spec, self.size.width, self.size.height, plot_theme_name(self, self.app.theme)

    def _build(self, key: Key) -> None:
        spec, width, height, theme = key
        plt = Plot()
        spec.apply(plt)
        text = build_text(plt, width, height, theme)
        if not get_current_worker().is_cancelled:
            self.post_message(PlotBuilt(key, text))

    def on_plot_built(self, message: PlotBuilt) -> None:
        message.stop()
        if message.key == self._key():
            self._built = (message.key, message.text)
            self.refresh()
