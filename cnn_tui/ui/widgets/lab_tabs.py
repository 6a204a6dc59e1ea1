"""The app's tabs: Textual's TabbedContent, but following the focus into a pane only while it is there."""

from __future__ import annotations

from textual.widgets import TabbedContent, TabPane


class LabTabs(TabbedContent):
    """Shows the pane a focused widget is in, as TabbedContent does, unless the focus has moved on.

    TabbedContent learns of a focus by a message a few hops later (Focus → DescendantFocus → TabPane.Focused).
    A tab switch in between (a digit key pressed just as a tab took the focus for its image) used to be undone
    when that late message arrived: the old tab came back. A message about a pane the focus has left is dropped."""

    def _on_tab_pane_focused(self, event: TabPane.Focused) -> None:
        focused = self.screen.focused
        if focused is None or event.tab_pane not in focused.ancestors_with_self:
            event.stop()
            event.prevent_default()  # TabbedContent's own handler would show the pane
