"""A tab's slot: builds the tab's content the first time the tab is shown."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.containers import Container
from textual.widget import Widget

from cnn_tui.ui.state import LabState
from cnn_tui.ui.tabs import TabSpec


class TabSlot(Container):
    """Holds one tab's content widget, built eagerly (the first tab) or on first show."""

    def __init__(self, spec: TabSpec, shared: LabState, eager: bool = False) -> None:
        super().__init__(classes="tab-slot")
        self.spec = spec
        self.shared = shared
        self._eager = eager

    def compose(self) -> ComposeResult:
        if self._eager:
            yield self.spec.build(self.shared)

    @property
    def content(self) -> Widget | None:
        """The tab's content widget, or None until the tab is first shown."""
        return self.children[0] if self.children else None

    def ensure_built(self) -> AwaitComplete:
        """Mount the content if it is not there yet; await the result to wait for it."""
        if self.children:
            return AwaitComplete.nothing()
        return AwaitComplete(self.mount(self.spec.build(self.shared)))
