"""Whether a widget is on screen now: the test every tab makes before it takes the focus."""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import TabbedContent, TabPane


def on_screen(widget: Widget) -> bool:
    """True if `widget` is on screen: all its ancestors are displayed and, inside tabs, its tab is
    the active one (the active tab changes before the old pane is hidden, so a widget of a tab
    being left must not grab the focus: TabbedContent would follow the focus back to it)."""
    pane: TabPane | None = None
    for node in widget.ancestors_with_self:
        if isinstance(node, Widget) and not node.display:
            return False
        if isinstance(node, TabPane):
            pane = node
        elif isinstance(node, TabbedContent) and pane is not None:
            if node.active != pane.id:
                return False
            pane = None
    return True


def take_focus(widget: Widget) -> None:
    """Focus `widget` now, if it is on screen. Now, not later (Widget.focus is deferred): a tab switch
    in between would otherwise be undone; and never from a hidden tab, which would switch back to it."""
    if on_screen(widget) and widget.focusable:
        widget.screen.set_focus(widget, scroll_visible=False)
