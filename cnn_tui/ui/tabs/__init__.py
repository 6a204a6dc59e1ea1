"""The app's tabs, in lecture order.

Each TabSpec names its content widget as "module:Class" (imported only when the tab is first
shown, so the first frame does not pay for other tabs' imports). The content's constructor takes
the app's shared state first. The lecture's text for a tab is `lecture.<key>` (locales/lecture.toml).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from textual.widget import Widget

from cnn_tui.ui.state import LabState


@dataclass(frozen=True)
class TabSpec:
    """One tab: its DOM id, its catalogue key (`tab.<key>.title`) and its content widget."""

    id: str
    key: str
    widget: str

    @property
    def title_key(self) -> str:
        return f"tab.{self.key}.title"

    def widget_class(self) -> type[Widget]:
        """The content widget's class (imports its module)."""
        module, _, name = self.widget.partition(":")
        return getattr(importlib.import_module(module), name)

    def build(self, shared: LabState) -> Widget:
        """A new content widget for this tab, given the app's shared state."""
        return self.widget_class()(shared)


TABS: tuple[TabSpec, ...] = (
    TabSpec("pixels", "pixels", "cnn_tui.ui.tabs.pixels.tab:PixelsTab"),
    TabSpec("convolution", "convolution", "cnn_tui.ui.tabs.stepper.convolution:ConvolutionTab"),
    TabSpec("pooling", "pooling", "cnn_tui.ui.tabs.stepper.pooling:PoolingTab"),
    TabSpec("feature-maps", "feature_maps", "cnn_tui.ui.tabs.feature_maps.tab:FeatureMapsTab"),
    TabSpec("model", "model", "cnn_tui.ui.tabs.model.tab:ModelTab"),
    TabSpec("training", "training", "cnn_tui.ui.tabs.training.tab:TrainingTab"),
    TabSpec("predict", "predict", "cnn_tui.ui.tabs.predict.tab:PredictTab"),
)
