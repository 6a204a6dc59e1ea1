"""The only place cnn-tui reaches into Textual's and plotext's private API (tests/unit/test_textual_adapter.py guards it)."""

from __future__ import annotations

from textual.binding import BindingsMap
from textual.dom import DOMNode
from textual.widgets import Tabs
from textual.widgets._select import SelectOverlay  # Select's pop-up list: no public import in Textual 8
from textual_plotext import PlotextPlot
from textual_plotext.plot import Plot

__all__ = [
    "SelectOverlay",
    "class_bindings",
    "node_bindings",
    "plot_theme_name",
    "remeasure_underline",
    "set_node_bindings",
    "set_plot_size",
]


def node_bindings(node: DOMNode) -> BindingsMap:
    """The bindings Textual checks for `node` (its class's BINDINGS merged, plus any added at run time)."""
    return node._bindings


def set_node_bindings(node: DOMNode, bindings: BindingsMap) -> None:
    """Replace the bindings Textual checks and shows for `node` (the footer, the keys panel read them)."""
    node._bindings = bindings


def class_bindings(cls: type[DOMNode]) -> BindingsMap:
    """The bindings a node of class `cls` starts with (its BINDINGS merged with its bases'), without building one."""
    merged = cls._merged_bindings
    return merged.copy() if merged is not None else BindingsMap()


def remeasure_underline(bar: Tabs) -> None:
    """Move the tab bar's underline under its active tab now, without animation (after labels changed)."""
    bar._highlight_active(animate=False)


def set_plot_size(plt: Plot, width: int, height: int) -> None:
    """Size a plotext plot as textual-plotext's render does: `plotsize` alone does not resize (textual-plotext #5)."""
    plt.plotsize(width, height)
    plt._set_size(width, height)


def plot_theme_name(plot: PlotextPlot, app_theme: str) -> str:
    """The plotext theme name `plot` draws with under the app theme `app_theme`."""
    return plot._get_plotext_theme_name(app_theme)
