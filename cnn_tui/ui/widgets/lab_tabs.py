"""The app's tabs: Textual's TabbedContent, but following the focus into a pane only while it is there, and
handing the focus to a pane whose tab was clicked."""

from __future__ import annotations

from textual import events
from textual.widget import Widget
from textual.widgets import Tab, TabbedContent, TabPane, Tabs


class LabTabs(TabbedContent):
    """Shows the pane a focused widget is in, as TabbedContent does, unless the focus has moved on.

    TabbedContent learns of a focus by a message a few hops later (Focus → DescendantFocus → TabPane.Focused).
    A tab switch in between (a digit key pressed just as a tab took the focus for its image) used to be undone
    when that late message arrived: the old tab came back. A message about a pane the focus has left is dropped.

    A tab clicked with the mouse gives the focus to its pane (Textual leaves it on the tab bar, where the
    tab's own keys do nothing: in a browser, clicking is how a learner picks a tab)."""

    def on_tab_pane_focused(self, event: TabPane.Focused) -> None:
        focused = self.screen.focused
        if focused is None or event.tab_pane not in focused.ancestors_with_self:
            event.stop()
            event.prevent_default()  # TabbedContent's own handler (later in the class order) would show the pane

    def on_click(self, event: events.Click) -> None:
        if isinstance(event.widget, Tab):  # the tab bar activates it and takes the focus first
            self.call_after_refresh(self._focus_after_click)

    def _focus_after_click(self) -> None:
        pane = self.active_pane
        if pane is not None and isinstance(self.screen.focused, Tabs):
            self.focus_into(pane)  # a pane still being built: the app focuses into it once built

    def focus_into(self, pane: Widget, or_else: Widget | None = None) -> None:
        """Focus the first focusable widget inside `pane` unless the focus is in it already (`or_else` if none is).

        Now, not later (Widget.focus is deferred): a tab switch in between would be undone."""
        focused = self.screen.focused
        if focused is not None and pane in focused.ancestors_with_self:
            return
        inside = (widget for widget in self.screen.focus_chain if pane in widget.ancestors_with_self)
        target = next(inside, None) or or_else
        if target is not None:
            self.screen.set_focus(target, scroll_visible=False)
