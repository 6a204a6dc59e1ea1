"""The app's tabs, in lecture order: id, catalogue prefix, and the widget that fills each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.widget import Widget

from cnn_tui.ui.tabs.intro import TabIntro


@dataclass(frozen=True)
class TabSpec:
    """One tab: its DOM id (also the key for `tab.<key>.title`) and how to build its content."""

    id: str
    key: str
    build: Callable[[], Widget]

    @property
    def title_key(self) -> str:
        return f"tab.{self.key}.title"


TABS: tuple[TabSpec, ...] = (
    TabSpec("pixels", "pixels", lambda: TabIntro("pixels")),
    TabSpec("convolution", "convolution", lambda: TabIntro("convolution")),
    TabSpec("pooling", "pooling", lambda: TabIntro("pooling")),
    TabSpec("feature-maps", "feature_maps", lambda: TabIntro("feature_maps")),
    TabSpec("model", "model", lambda: TabIntro("model")),
    TabSpec("training", "training", lambda: TabIntro("training")),
)
