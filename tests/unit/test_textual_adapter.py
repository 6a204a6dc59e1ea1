"""The private Textual and plotext API that cnn_tui/ui/textual_adapter.py reaches still does what cnn-tui relies on."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap
from textual.widget import Widget
from textual.widgets import Select, Tab, Tabs
from textual_plotext import PlotextPlot
from textual_plotext.plot import Plot

from cnn_tui.ui import textual_adapter
from cnn_tui.ui.textual_adapter import (
    class_bindings,
    node_bindings,
    plot_theme_name,
    remeasure_underline,
    set_node_bindings,
    set_plot_size,
)


class Keyed(Widget):
    BINDINGS = [Binding("a", "first", "First")]


class MoreKeyed(Keyed):
    BINDINGS = [Binding("b", "second", "Second")]


def test_class_bindings_merge_the_bases_without_building_a_node():
    assert [(key, b.action) for key, b in class_bindings(MoreKeyed)] == [("a", "first"), ("b", "second")]


async def test_replaced_node_bindings_are_the_ones_textual_shows_and_runs():
    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield MoreKeyed()

    async with Host().run_test() as pilot:
        widget = pilot.app.query_one(MoreKeyed)
        assert isinstance(node_bindings(widget), BindingsMap)
        set_node_bindings(widget, BindingsMap([Binding("c", "third", "Third")]))
        assert [key for key, _ in node_bindings(widget)] == ["c"]
        widget.can_focus = True
        widget.focus()
        await pilot.pause()
        assert pilot.app.active_bindings["c"].binding.description == "Third"
        assert "a" not in pilot.app.active_bindings


async def test_the_tab_underline_can_be_moved_without_animation():
    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield Tabs(Tab("one", id="one"), Tab("two", id="two"))

    async with Host().run_test() as pilot:
        await pilot.pause()
        bar = pilot.app.query_one(Tabs)
        underline = bar.query_one("Underline")
        first = (underline.highlight_start, underline.highlight_end)  # type: ignore[attr-defined]
        bar.active = "two"
        remeasure_underline(bar)
        await pilot.pause()
        under_two = (underline.highlight_start, underline.highlight_end)  # type: ignore[attr-defined]
        assert under_two[0] >= first[1]  # moved right, past the first tab
        underline.highlight_start = underline.highlight_end = 0  # type: ignore[attr-defined]
        remeasure_underline(bar)
        await pilot.pause()
        assert (underline.highlight_start, underline.highlight_end) == under_two  # type: ignore[attr-defined]


def test_a_plotext_plot_takes_the_size_it_is_given():
    plt = Plot()
    plt.plot([0, 1, 2], [0, 1, 4])
    set_plot_size(plt, 30, 9)
    lines = Text.from_ansi(plt.build()).split()
    assert len(lines) == 9
    assert {line.cell_len for line in lines} == {30}


def test_the_plot_theme_name_is_the_one_textual_plotext_registers():
    plot = PlotextPlot()
    assert plot_theme_name(plot, "nord") == "textual-auto-nord"
    plot.theme = "dark"
    assert plot_theme_name(plot, "nord") == "dark"


async def test_select_overlay_is_the_pop_up_that_select_composes():
    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield Select([("a", 1)])

    async with Host().run_test() as pilot:
        assert len(pilot.app.query_one(Select).query(textual_adapter.SelectOverlay)) == 1
