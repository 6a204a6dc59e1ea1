"""The app's tabs follow the focus into a pane only while the focus is still there: a tab switch made just
after a widget in another pane took the focus stays (Textual's TabbedContent would switch back)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Button, TabbedContent, TabPane, Tabs

from cnn_tui.ui.widgets.lab_tabs import LabTabs


class TwoPanes(App):
    def __init__(self, tabs_class: type[TabbedContent]) -> None:
        super().__init__()
        self.tabs_class = tabs_class

    def compose(self) -> ComposeResult:
        with self.tabs_class(id="tabs"):
            with TabPane("A", id="a"):
                yield Button("in A", id="button-a")
            with TabPane("B", id="b"):
                yield Button("in B", id="button-b")


async def _switch_just_after_a_focus(app: TwoPanes, pilot) -> str:
    await pilot.pause()
    tabs = app.query_one(TabbedContent)
    app.screen.set_focus(app.query_one("#button-a"))  # its pane learns of it a few messages later
    tabs.active = "b"  # meanwhile the learner pressed the key for tab B
    app.screen.set_focus(tabs.query_one(Tabs))
    await pilot.pause()
    await pilot.pause()
    return tabs.active


async def test_a_switch_right_after_a_focus_elsewhere_stays():
    app = TwoPanes(LabTabs)
    async with app.run_test() as pilot:
        assert await _switch_just_after_a_focus(app, pilot) == "b"


async def test_focusing_a_widget_of_another_pane_still_shows_that_pane():
    app = TwoPanes(LabTabs)
    async with app.run_test() as pilot:
        await pilot.pause()
        app.query_one("#button-b").focus()
        await pilot.pause()
        await pilot.pause()
        assert app.query_one(TabbedContent).active == "b"


async def test_textuals_own_tabs_switch_back():
    """What LabTabs is for: with Textual's TabbedContent the late message undoes the switch (if a Textual
    release stops doing so, LabTabs can go)."""
    app = TwoPanes(TabbedContent)
    async with app.run_test() as pilot:
        assert await _switch_just_after_a_focus(app, pilot) == "a"
