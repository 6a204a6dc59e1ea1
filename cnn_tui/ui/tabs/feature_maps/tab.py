"""The Feature maps tab: the lecture's Conv2d over a real image, every output channel drawn, live.

It opens on the lecture's setting, Conv2d(3, 3, kernel_size=3, stride=2, padding=0) on the
640×640 image, so `torch.Size([1, 3, 319, 319])` is on screen. Keys change the layer, ReLU,
pooling, the kernel of each output channel and how maps are coloured. The shape chain is
written by the lecture's formula at once, then replaced by what PyTorch printed. The image is
read and torch imported in a thread worker on first show; every run is a new exclusive worker,
so a newer request makes the older one drop its result.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.reactive import var
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import get_current_worker

from cnn_tui.core.colormap import make_scales
from cnn_tui.core.feature_controls import FIELDS, FeatureState, adjust, kernel_for_all, shown_stage
from cnn_tui.core.feature_settings import FeatureMapSettings, FeatureSettingsError, shape_chain
from cnn_tui.config import FEATURE_MAP_DEFAULTS
from cnn_tui.core.feature_display import shrink_image, working_factor
from cnn_tui.core.images import LoadedImage, from_array
from cnn_tui.i18n import language, tr
from cnn_tui.render.kernel_view import KernelView
from cnn_tui.ui.localized import Localized
from cnn_tui.ui.on_screen import on_screen, take_focus
from cnn_tui.ui.messages import CheckpointChanged, ImageChanged, MapsFailed, MapsReady, SourceImageReady
from cnn_tui.ui.state import LabState
from cnn_tui.ui.tabs.feature_maps.grid import FeatureGrid
from cnn_tui.ui.tabs.feature_maps.learned_view import LEARNED_FIELDS, LearnedView
from cnn_tui.ui.widgets.unit_field_view import UNIT_BINDINGS

if TYPE_CHECKING:
    from cnn_tui.ml.feature_maps import FeatureMapResult
from cnn_tui.render.feature_text import (
    FIELD_KEYS,
    chain_text,
    error_text,
    grid_caption,
    legend,
    map_titles,
    settings_text,
    weights_title,
)

CHANNEL_LABELS = ("R", "G", "B")



def timing_text(seconds: float) -> str:
    """The status after a run: how long the pipeline took (snapshot tests replace this: times vary)."""
    return tr("feature_maps.done", ms=f"{seconds * 1000:.0f}")


def _direct_bindings() -> list[Binding]:
    """A lowercase key per setting (+1 or next), its uppercase for −1 / previous."""
    bindings = []
    for field, key in FIELD_KEYS.items():
        bindings.append(Binding(key, f"change('{field}', 1)", f"feature_maps.bind.{field}"))
        if field not in ("relu", "shared", "shrink"):
            bindings.append(Binding(key.upper(), f"change('{field}', -1)", f"feature_maps.bind.{field}", show=False))
    return bindings


class FeatureMapsTab(Localized, Container, can_focus=True):
    """The image, its feature maps, the shape chain, the settings and the selected kernel; with `l`,
    a trained network's filters and activations instead."""

    BINDINGS = [
        Binding("up", "select(-1)", "feature_maps.bind.select", key_display="↑↓"),
        Binding("down", "select(1)", "feature_maps.bind.select", show=False),
        Binding("left", "adjust(-1)", "feature_maps.bind.decrease", key_display="← −"),
        Binding("minus", "adjust(-1)", "feature_maps.bind.decrease", show=False),
        Binding("right", "adjust(1)", "feature_maps.bind.increase", key_display="→ +"),
        Binding("plus,equals_sign", "adjust(1)", "feature_maps.bind.increase", show=False),
        *_direct_bindings(),
        Binding("a", "all_kernels", "feature_maps.bind.all_kernels"),
        Binding("l", "toggle_learned", "feature_maps.bind.learned"),
        *UNIT_BINDINGS,
        Binding("T", "top_patches", "neurons_ui.bind.top_patches"),
    ]

    state: var[FeatureState] = var(FeatureState, init=False)
    image: var[LoadedImage | None] = var(None, init=False, always_update=True)
    """The image convolved: the source, shrunk if very large (holds arrays: compared by identity)."""
    result: var[FeatureMapResult | None] = var(None, init=False, always_update=True)
    """The latest finished run (stages, weights, bias), or None before the first."""
    lang: var[str] = var("", init=False)
    maps_part: var[tuple[object, ...]] = var((), init=False)
    """What the grid, the legend and the kernel show, computed: its watcher draws them."""

    def __init__(self, shared: LabState | None = None, state: FeatureState | None = None) -> None:
        super().__init__(id="feature-maps-tab")
        self.shared = shared or LabState()
        self.set_reactive(FeatureMapsTab.state, state or FeatureState())
        self.selected = 0
        # The app's current image; None until the app has decoded the first one.
        self._source: LoadedImage | None = None if self.shared.image is None else self.shared.image.image
        self._factor = 1
        self._request = 0
        self._maps_running = True
        self._seconds: float | None = None
        self._error: str | None = None
        self._spinner: Timer | None = None
        self._torch_ready = False
        self._stale = False  # a new image arrived while the tab was hidden
        self.learned_mode = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="fm-conv"):
            with VerticalScroll(id="fm-side", can_focus=False):
                yield Static(id="fm-status")
                yield Static(id="fm-chain")
                yield Static(id="fm-settings")
                yield Static(id="fm-weights-title")
                yield Static(id="fm-weights")
            with Vertical(id="fm-main"):
                yield Static(id="fm-legend")
                yield FeatureGrid(id="fm-grid", caption=lambda f, z: grid_caption(f, z, self.state.view.shrink))
        learned = LearnedView(self.shared)
        learned.display = False
        yield learned

    def on_mount(self) -> None:
        take_focus(self)
        self.watch(self.screen, "focused", self._focus_moved, init=False)
        self._run()

    def on_show(self) -> None:
        take_focus(self)
        if self._stale:
            self._new_image()

    def on_image_changed(self, message: ImageChanged) -> None:
        """The app's current image changed: convolve the new one (and show it in the learned view). A hidden
        tab does it when it is shown: its maps are not seen meanwhile, and computing them slowed the tab on
        screen (the Predict tab's new image: about twice as long, benchmarks/README.md "Predict tab")."""
        self._source, self.image = message.image.image, None
        self._stale = True
        if on_screen(self):
            self._new_image()

    def _new_image(self) -> None:
        self._stale = False
        self._run()
        self.query_one(LearnedView).image_changed()

    def on_checkpoint_changed(self, message: CheckpointChanged) -> None:
        self.query_one(LearnedView).checkpoint_changed()

    def _focus_moved(self, focused: Widget | None) -> None:
        """Take the focus back when it lands on a widget in a hidden tab while this tab is shown
        (a hidden tab's widget losing focus can hand it to its hidden neighbour)."""
        if focused is not None and on_screen(self) and not on_screen(focused):
            take_focus(self)

    # -- running ----------------------------------------------------------------

    def _run(self) -> None:
        """Start a run for the current settings (a newer run makes older ones drop their results)."""
        self._request += 1
        self._maps_running = True
        self._error = None
        if self._spinner is not None:
            self._spinner.stop()
        self._spinner = self.set_timer(FEATURE_MAP_DEFAULTS.spinner_delay_s, self._show_spinner)
        if self._source is not None:
            self._compute(self._request, self.state.settings, self._source, self.image)
        self._refresh_text()

    def _show_spinner(self) -> None:
        # The timer may fire after the run ended (its callback was already queued when stopped).
        if self._maps_running:
            self.query_one("#fm-grid", FeatureGrid).loading = True

    def _stop_spinner(self) -> None:
        if self._spinner is not None:
            self._spinner.stop()
            self._spinner = None
        self.query_one("#fm-grid", FeatureGrid).loading = False

    @work(thread=True, exclusive=True, exit_on_error=False, group="feature-maps")
    def _compute(
        self,
        request: int,
        settings: FeatureMapSettings,
        source: LoadedImage,
        image: LoadedImage | None,
    ) -> None:
        """Shrink the image if very large (when new), import torch (first run), run the pipeline;
        post the outcome."""
        worker = get_current_worker()
        if image is None:
            factor = working_factor(source.height, source.width, FEATURE_MAP_DEFAULTS.max_pixels)
            image = source if factor == 1 else from_array(shrink_image(source.pixels, factor), source.name)
            self.post_message(SourceImageReady(request, source, image, factor))
        from cnn_tui.ml.feature_maps import compute_feature_maps

        if worker.is_cancelled:
            return
        started = time.perf_counter()
        try:
            result = compute_feature_maps(image.pixels, settings)
        except FeatureSettingsError as error:
            self.post_message(MapsFailed(request, error))
            return
        if not worker.is_cancelled:
            self.post_message(MapsReady(request, result, time.perf_counter() - started))

    def on_source_image_ready(self, message: SourceImageReady) -> None:
        if message.request == self._request or self.image is None:
            self._source, self._factor = message.source, message.factor
            self.image = message.image
            self._refresh_text()

    def on_maps_ready(self, message: MapsReady) -> None:
        self._torch_ready = True
        if message.request != self._request:
            return
        self._stop_spinner()
        self._maps_running = False
        self._seconds = message.seconds
        self.result = message.result
        self._refresh_text()

    def on_maps_failed(self, message: MapsFailed) -> None:
        if message.request != self._request:
            return
        self._stop_spinner()
        self._maps_running = False
        self._torch_ready = True
        self._error = error_text(message.error)
        self._refresh_text()  # the maps shown stay

    # -- drawing ----------------------------------------------------------------

    def localize(self) -> None:
        self.lang = language()
        self._refresh_text()

    def _chain(self):
        """(shape chain by the formula, shapes PyTorch printed or None); chain None when it does not fit."""
        if self.image is None:
            return None, None
        height, width, channels = self.image.shape
        try:
            chain = shape_chain(self.state.settings, height, width, channels)
        except FeatureSettingsError as error:
            self._error = error_text(error)
            return None, None
        result = self.result
        printed = None
        if result is not None and result.settings == self.state.settings:
            printed = [stage.shape_text for stage in result.stages]
        return chain, printed

    def _refresh_text(self) -> None:
        chain, printed = self._chain()
        if self._error:
            status = Text(self._error, "bold red")
        elif self._maps_running:
            status = Text(tr("feature_maps.computing" if self._torch_ready else "feature_maps.loading_torch"), "dim")
        else:
            status = Text(timing_text(self._seconds or 0.0), "dim")
        self.query_one("#fm-status", Static).update(status)
        note = None
        if self._factor > 1 and self._source is not None:
            size = f"{self._source.height}×{self._source.width}"
            note = tr("feature_maps.image_shrunk", factor=self._factor, size=size)
        self.query_one("#fm-chain", Static).update(chain_text(chain, printed, note) if chain else "")
        self.query_one("#fm-settings", Static).update(settings_text(self.state, self.selected))

    def compute_maps_part(self) -> tuple[object, ...]:
        return (self.lang, self.state.view, id(self.image), id(self.result))

    def watch_maps_part(self) -> None:
        """The image and the maps of the latest result, as the view options say; the legend and the kernel."""
        if self.image is None:
            return
        grid = self.query_one("#fm-grid", FeatureGrid)
        image_title = tr("feature_maps.image_title", shape=str(self.image.shape))
        result = self.result
        if result is None:
            grid.set_content(self.image.pixels, image_title, [], [], [])
            return
        stages = result.stage_maps()
        wanted = shown_stage(self.state)
        stage = next((s for s in stages if s.kind == wanted), stages[-1])
        maps = list(stage.maps)
        view = self.state.view
        scales = make_scales(maps, view.colours, view.shared)
        channel = min(view.channel, len(maps) - 1)
        titles = map_titles(self.state, len(maps))
        grid.set_content(self.image.pixels, image_title, maps, titles, scales, channel, view.shrink)
        self.query_one("#fm-legend", Static).update(legend(scales, channel))
        self.query_one("#fm-weights-title", Static).update(weights_title(self.state, float(result.bias[channel])))
        self.query_one("#fm-weights", Static).update(KernelView(result.weights[channel], CHANNEL_LABELS))

    # -- actions ----------------------------------------------------------------

    def _apply(self, state: FeatureState) -> None:
        """Take the new state: rerun the pipeline if the settings changed, else only redraw."""
        if state == self.state:
            return
        if state.settings != self.state.settings:
            self.set_reactive(FeatureMapsTab.state, state)
            self._run()  # the maps are redrawn when the result arrives; only the words change now
        else:
            self.state = state
            self._refresh_text()

    def action_select(self, delta: int) -> None:
        self.selected = (self.selected + delta) % len(FIELDS)
        self._refresh_text()

    def action_adjust(self, delta: int) -> None:
        field = FIELDS[self.selected]
        self._apply(adjust(self.state, field, delta))

    def action_change(self, field: str, delta: int) -> None:
        if self.learned_mode:
            self.query_one(LearnedView).adjust(field, delta)
            return
        self.selected = FIELDS.index(field)
        self._apply(adjust(self.state, field, delta))
        self._refresh_text()

    def action_all_kernels(self) -> None:
        self._apply(kernel_for_all(self.state))

    def action_toggle_learned(self) -> None:
        """Switch between the hand-made layer and the trained network (read on first show)."""
        self.learned_mode = not self.learned_mode
        learned = self.query_one(LearnedView)
        self.query_one("#fm-conv").display = not self.learned_mode
        learned.display = self.learned_mode
        if self.learned_mode:
            learned.start()
        self.refresh_bindings()

    def action_move_unit(self, rows: int, cols: int) -> None:
        self.query_one(LearnedView).move_unit(rows, cols)

    def action_top_patches(self) -> None:
        """The test images that excite the selected map's channel most (the trained network's view)."""
        from cnn_tui.ui.tabs.feature_maps.top_patches_screen import TopPatchesScreen

        target = self.query_one(LearnedView).top_patches_target()
        if target is not None:
            learned, layer, channel = target
            self.app.push_screen(TopPatchesScreen(learned.path, self.shared.paths.data_dir, layer, channel))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In each view, only the keys that mean something there."""
        if action == "change":
            field = parameters[0]
            if field == "image":
                return self.learned_mode
            return field in LEARNED_FIELDS if self.learned_mode else True
        if action in ("select", "adjust", "all_kernels"):
            return not self.learned_mode
        if action in ("move_unit", "top_patches"):
            return self.learned_mode
        return True

    @property
    def computing(self) -> bool:
        """Whether maps are being computed (the status line says so)."""
        return self._maps_running

    def result_maps(self) -> np.ndarray | None:
        """The latest run's output maps (for tests and benchmarks)."""
        return None if self.result is None else self.result.maps
