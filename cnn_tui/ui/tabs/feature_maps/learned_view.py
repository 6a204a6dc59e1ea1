"""The Feature maps tab's second view: a trained network's conv1 filters and its activations for one image."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import var
from textual.widgets import Static
from textual.worker import get_current_worker

from cnn_tui.config import FEATURE_MAP_DEFAULTS
from cnn_tui.core.colormap import KINDS, filters_as_rgb, make_scales
from cnn_tui.core.feature_controls import ViewOptions
from cnn_tui.i18n import language, tr
from cnn_tui.render.colour_legend import short_number
from cnn_tui.render.halfblock import HalfBlockImage
from cnn_tui.render.image_grid import ImageGrid, Panel
from cnn_tui.render.kernel_view import KernelView
from cnn_tui.ui.localized import Localized
from cnn_tui.ui.reactives import set_together
from cnn_tui.ui.state import LabState
from cnn_tui.ui.tabs.feature_maps.grid import FeatureGrid
from cnn_tui.render.feature_text import grid_caption, legend
from cnn_tui.render.learned_text import (
    image_label,
    learned_chain_text,
    model_text,
    prediction_text,
)
from cnn_tui.ui.widgets.missing_network import missing_network_text
from cnn_tui.ui.messages import FieldReady
from cnn_tui.ui.widgets.unit_field_view import FieldCursor

if TYPE_CHECKING:
    from cnn_tui.ml.learned_maps import LearnedModel, LearnedResult, SampleImages

FILTER_ZOOM = 3  # each filter weight drawn as 3×3 pixels
LEARNED_FIELDS = ("image", "channel", "stage", "colours", "shared", "shrink")


@dataclass
class LearnedLoaded(Message):
    """The trained network and sample images were read (`samples` None: no test images here)."""

    request: int
    learned: LearnedModel
    samples: SampleImages | None
    weights: dict  # layer name -> (weight, bias) numpy


@dataclass
class LearnedMissing(Message):
    """No usable checkpoint: `reason` is None when the file does not exist, else the error saying what is
    wrong with it (shown with `describe`, in the language of the moment)."""

    request: int
    path: str
    reason: Exception | None


@dataclass
class LearnedReady(Message):
    """One image went through the trained network."""

    request: int
    index: int
    result: LearnedResult


class LearnedView(Localized, Horizontal):
    """conv1's filters as colours, the chosen image's conv/pool maps, the prediction."""

    view: var[ViewOptions] = var(ViewOptions(stage="conv1"), init=False)
    result: var[LearnedResult | None] = var(None, init=False, always_update=True)
    """The shown image through the network (holds arrays: compared by identity)."""
    missing: var[LearnedMissing | None] = var(None, init=False)
    """Why there is no network to show, if there is none."""
    lang: var[str] = var("", init=False)
    field_seen: var[int] = var(0, init=False)
    """How many fields of the cursor's unit have arrived (the field drawn is the latest)."""
    shown: var[tuple[object, ...]] = var((), init=False)
    """What the view shows, computed: its watcher draws the view."""

    def __init__(self, shared: LabState) -> None:
        super().__init__(id="fm-learned")
        self.shared = shared
        self.index = 0
        self._learned: LearnedModel | None = None
        self._samples: SampleImages | None = None
        self._weights: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._request = 0
        self.loading_done = False
        self.cursor = FieldCursor(self)  # the unit under the arrow keys and its field

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="fl-side", can_focus=False):
            yield Static(id="fl-info")
            yield Static(id="fl-field")  # the unit under the cursor: its field on the input, at full size
            yield Static(id="fl-chain")
            yield Static(id="fl-weights-title")
            yield Static(id="fl-weights")
        with Vertical(id="fl-main"):
            yield Static(id="fl-filters")
            yield Static(id="fl-legend")
            yield FeatureGrid(id="fl-grid", caption=lambda factor, zoom: grid_caption(factor, zoom, self.view.shrink))

    # -- loading and running ------------------------------------------------------

    def start(self) -> None:
        """Read the checkpoint (again, if there was none or it was broken)."""
        if self._learned is not None:
            return
        self._request += 1
        self.loading_done = False
        self.query_one("#fl-info", Static).update(Text(tr("feature_maps.learned.loading"), "dim"))
        self._load(self._request, self.shared.checkpoint, self.shared.paths.data_dir, self._current_image())

    @work(thread=True, exclusive=True, exit_on_error=False, group="learned-maps")
    def _load(self, request: int, checkpoint: Path, data_dir: Path, current: np.ndarray | None) -> None:
        from cnn_tui.ml.checkpoints import CheckpointError
        from cnn_tui.ml.learned_maps import load_learned, sample_images
        from cnn_tui.ml.models import ModelConfigError

        if not checkpoint.is_file():
            self.post_message(LearnedMissing(request, str(checkpoint), None))
            return
        try:
            learned = load_learned(checkpoint)
        except (CheckpointError, ModelConfigError) as error:  # ModelConfigError: an own model file that broke since
            self.post_message(LearnedMissing(request, str(checkpoint), error))
            return
        samples = sample_images(learned, data_dir, FEATURE_MAP_DEFAULTS.samples)
        self.post_message(LearnedLoaded(request, learned, samples, learned.conv_weights()))
        self._feed_now(request, learned, samples, 0, current)

    @work(thread=True, exclusive=True, exit_on_error=False, group="learned-maps")
    def _feed(self, request: int, learned: LearnedModel, samples: SampleImages | None, index: int,
              current: np.ndarray | None) -> None:
        self._feed_now(request, learned, samples, index, current)

    def _feed_now(self, request: int, learned: LearnedModel, samples: SampleImages | None, index: int,
                  current: np.ndarray | None) -> None:
        """(In a worker) one image through the network: a sample, or the current image resized."""
        from cnn_tui.ml.learned_maps import image_input, run_learned

        if samples is not None and index < len(samples):
            image = samples.images[index]
        elif current is not None:
            image = image_input(current, learned.input_size, learned.meta.resize)
        else:
            return
        try:
            result = run_learned(learned, image)
        except Exception as error:  # noqa: BLE001 - an own network's forward that overran its time limit, or raised
            self.post_message(LearnedMissing(request, str(self.shared.checkpoint), error))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(LearnedReady(request, index, result))

    def on_learned_missing(self, message: LearnedMissing) -> None:
        if message.request == self._request:
            self.loading_done = True
            self.missing = message

    def on_learned_loaded(self, message: LearnedLoaded) -> None:
        if message.request == self._request:
            self._learned, self._samples, self._weights = message.learned, message.samples, message.weights
            self.missing = None  # the old message stays until the result is drawn

    def on_learned_ready(self, message: LearnedReady) -> None:
        if message.request == self._request:
            self.loading_done = True
            self.result = message.result
            self.cursor.follow()

    def on_field_ready(self, message: FieldReady) -> None:
        if self.cursor.arrived(message):
            self.field_seen += 1

    def _current_image(self) -> np.ndarray | None:
        """The app's current image (the last of the images this view offers)."""
        return None if self.shared.image is None else self.shared.image.image.pixels

    def checkpoint_changed(self) -> None:
        """The app's active network changed: read it when next shown (now, if shown)."""
        self._learned = None
        set_together(self, result=None, missing=None)  # what is shown stays until the next result
        self._request += 1
        if self.display:
            self.start()

    def image_changed(self) -> None:
        """The app's current image changed: run it again if it is the one shown."""
        if self._learned is not None and self.index == self.image_count - 1:
            self._request += 1
            self._feed(self._request, self._learned, self._samples, self.index, self._current_image())

    @property
    def image_count(self) -> int:
        """Sample images plus the current image (always last)."""
        return (len(self._samples) if self._samples is not None else 0) + 1

    # -- keys -------------------------------------------------------------------

    def adjust(self, field: str, delta: int) -> None:
        """Change the image, the selected channel, the shown layer or the colouring."""
        if field == "image":
            if self._learned is None:
                return
            self.index = (self.index + delta) % self.image_count
            self._request += 1
            self._feed(self._request, self._learned, self._samples, self.index, self._current_image())
            return
        view = self.view
        stages = self._stage_names()
        if field == "channel":
            count = self._shown_maps().shape[0] if self.result is not None else 1
            view = replace(view, channel=(view.channel + delta) % count)
        elif field == "stage" and stages:
            stage = stages[(stages.index(view.stage) + delta) % len(stages)] if view.stage in stages else stages[0]
            view = replace(view, stage=stage, channel=0)
        elif field == "colours":
            view = replace(view, colours=KINDS[(KINDS.index(view.colours) + delta) % len(KINDS)])
        elif field == "shared":
            view = replace(view, shared=not view.shared)
        elif field == "shrink":
            view = replace(view, shrink="mean" if view.shrink == "peak" else "peak")
        self.view = view
        self.cursor.follow()

    def move_unit(self, rows: int, cols: int) -> None:
        """Move the cursor over the selected map's units (the first press shows it at the middle)."""
        if self._learned is not None and self.result is not None:
            self.cursor.move(rows, cols)

    def top_patches_target(self) -> tuple[LearnedModel, str, int] | None:
        """(network, layer, channel) the selected map stands for, once a network is shown."""
        if self._learned is None or self.result is None:
            return None
        return self._learned, self.view.stage, min(self.view.channel, len(self._shown_maps()) - 1)

    def field_target(self) -> tuple[LearnedModel, np.ndarray, str, int, tuple[int, int]] | None:
        """(network, input image, layer, channel, maps' shape) of the map shown, for the cursor."""
        if self._learned is None or self.result is None:
            return None
        maps = self._shown_maps()
        channel = min(self.view.channel, len(maps) - 1)
        return self._learned, self.result.image, self.view.stage, channel, maps.shape[1:]

    def _stage_names(self) -> list[str]:
        return [] if self.result is None else [s.kind for s in self.result.stages if s.maps is not None]

    def _shown_maps(self) -> np.ndarray:
        assert self.result is not None
        stages = [s for s in self.result.stages if s.maps is not None]
        stage = next((s for s in stages if s.kind == self.view.stage), stages[0])
        return stage.maps  # type: ignore[return-value]

    # -- drawing ----------------------------------------------------------------

    def localize(self) -> None:
        self.lang = language()

    def compute_shown(self) -> tuple[object, ...]:
        return (self.lang, self.view, id(self.result), self.missing, self.field_seen)

    def watch_shown(self) -> None:
        if not self.is_mounted:
            return
        info = self.query_one("#fl-info", Static)
        if self.missing is not None:
            info.update(missing_network_text(self.missing.path, self.missing.reason, "feature_maps.learned.how"))
            for name in ("#fl-field", "#fl-chain", "#fl-weights-title", "#fl-weights", "#fl-filters", "#fl-legend"):
                self.query_one(name, Static).update("")
            self.query_one(FeatureGrid).clear()
            return
        if self._learned is None or self.result is None:
            return
        result, view = self.result, self.view
        info.update(Text("\n").join([
            model_text(self._learned, self.shared.checkpoint.name), Text(image_label(self.index, self._samples)), prediction_text(result),
        ]))
        self.query_one("#fl-chain", Static).update(learned_chain_text(result.stages))
        maps = list(self._shown_maps())
        channel = min(view.channel, len(maps) - 1)
        scales = make_scales(maps, view.colours, view.shared)
        titles = [tr("feature_maps.learned.map_title", layer=view.stage, number=i) for i in range(len(maps))]
        image_title = tr("feature_maps.learned.input", shape=str(result.image.shape))
        grid = self.query_one(FeatureGrid)
        picture, line = self.cursor.drawn(result.image, view.stage, channel)
        grid.set_content(picture, image_title, maps, titles, scales, channel, view.shrink)
        self.query_one("#fl-legend", Static).update(legend(scales, channel))
        field = self.query_one("#fl-field", Static)
        field.display = line is not None  # shown once the arrow keys put a cursor on a unit
        field.update(Group(HalfBlockImage(picture), line) if line is not None else "")
        # conv1's filters as RGB blocks, and the weights of the kernel behind the selected map.
        filters, low, high = filters_as_rgb(self._weights["conv1"][0])
        zoomed = [np.repeat(np.repeat(f, FILTER_ZOOM, axis=0), FILTER_ZOOM, axis=1) for f in filters]
        layer = "conv" + view.stage.removeprefix("conv").removeprefix("pool")
        selected = channel if layer == "conv1" else None
        panels = [Panel(str(i), picture) for i, picture in enumerate(zoomed)]
        caption = Text(tr("feature_maps.learned.filters", low=short_number(low), high=short_number(high)), "bold")
        grid = ImageGrid(panels, len(panels), zoomed[0].shape[1] + 1, selected)
        self.query_one("#fl-filters", Static).update(Group(caption, grid))
        if layer in self._weights:
            weights, bias = self._weights[layer]
            channel = min(channel, len(weights) - 1)
            kernel = weights[channel]
            labels = ["R", "G", "B"] if kernel.shape[0] == 3 else [str(i) for i in range(kernel.shape[0])]
            title = tr("feature_maps.learned.weights", layer=layer, number=channel, bias=short_number(float(bias[channel])))
            self.query_one("#fl-weights-title", Static).update(Text(title, "bold"))
            self.query_one("#fl-weights", Static).update(KernelView(kernel, labels))

