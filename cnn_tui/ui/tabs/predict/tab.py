"""The Predict tab (预测): what the trained network sees in the current image, and where it looked."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.worker import get_current_worker

from cnn_tui.config import PREDICT_DEFAULTS
from cnn_tui.i18n import class_label, describe, tr
from cnn_tui.core.field_overlay import field_picture, move_unit
from cnn_tui.render.unit_field_text import field_line
from cnn_tui.core.heatmap import blend, heat_scale
from cnn_tui.render.colour_legend import ColourBar
from cnn_tui.render.heat_view import top_bars
from cnn_tui.render.safe_text import safe_text
from cnn_tui.ui.localized import Localized
from cnn_tui.ui.messages import CheckpointChanged, Explained, FieldReady, ImageChanged, NetworkMissing, NetworkRead
from cnn_tui.ui.state import LabState
from cnn_tui.ui.widgets.block_image import BlockImage
from cnn_tui.ui.widgets.missing_network import missing_network_text
from cnn_tui.ui.widgets.unit_field_view import UNIT_BINDINGS
from cnn_tui.ui.widgets.steady_static import SteadyStatic

if TYPE_CHECKING:
    from torch import nn

    from cnn_tui.ml.attribution import ImageExplanation
    from cnn_tui.ml.checkpoints import CheckpointMeta
    from cnn_tui.ml.unit_field import UnitField

# The parts below the info line, by id suffix (predict-…).
PARTS = (
    "input-title", "input-image", "input", "top", "gradcam-title", "gradcam-image", "gradcam",
    "saliency-title", "saliency-image", "saliency", "defs",
)

class PredictTab(Localized, Vertical, can_focus=True):
    """The network's input and top classes on the left, the Grad-CAM and saliency maps beside them."""

    BINDINGS = [
        Binding("l", "next_layer", "predict.bind.layer"),
        Binding("c", "next_class", "predict.bind.class"),
        *UNIT_BINDINGS,
    ]

    def __init__(self, shared: LabState | None = None) -> None:
        super().__init__(id="predict-tab")
        self.shared = shared or LabState()
        self._request = 0
        self._lock = threading.Lock()  # one explanation at a time: the hook is registered on the shared model
        self._model: nn.Module | None = None
        self._meta: CheckpointMeta | None = None
        self._layers: list[str] = []
        self._layer: str | None = None
        self._target: int | None = None  # None: the top-1 class
        self._changed = False
        self._result: ImageExplanation | None = None  # of the current image
        self._missing: NetworkMissing | None = None
        self._read_with: np.ndarray | None = None  # the image the loader explains after reading
        self._shown: dict[str, object] = {}  # what each part shows now, so a redraw skips the parts that did not change
        self.drawn = 0  # the request whose result is on screen (benchmarks/predict_view.py waits for it)
        self.unit: tuple[int, int] | None = None  # the unit under the cursor, on the Grad-CAM layer's maps
        self.field: UnitField | Exception | None = None  # its UnitField (or the error saying why it has none), for the unit and layer shown
        self._field_request = 0

    # -- what the tab shows, for whoever waits on it (tests, benchmarks/predict_view.py) -----------

    @property
    def result(self) -> ImageExplanation | None:
        """The explanation of the current image the tab shows or is about to (None while reading)."""
        return self._result

    @property
    def network_missing(self) -> bool:
        """Whether the tab says there is no usable network (and how to get one) instead of a result."""
        return self._missing is not None

    @property
    def requested(self) -> int:
        """The number of the latest request (a new image, layer, class or network); `drawn` catches up with it."""
        return self._request

    def compose(self) -> ComposeResult:
        yield SteadyStatic(id="predict-info")
        with Horizontal(id="predict-body"):
            with Vertical(id="predict-left"):
                yield SteadyStatic(id="predict-input-title", classes="predict-title")
                yield BlockImage(id="predict-input-image")
                yield SteadyStatic(id="predict-input")
                yield SteadyStatic(id="predict-top")
            for name in ("gradcam", "saliency"):
                with Vertical(classes="predict-map"):
                    yield SteadyStatic(id=f"predict-{name}-title", classes="predict-title")
                    yield BlockImage(id=f"predict-{name}-image")
                    yield SteadyStatic(id=f"predict-{name}")
        yield SteadyStatic(id="predict-defs")

    def on_mount(self) -> None:
        self._read()

    # -- workers ----------------------------------------------------------------

    def _read(self) -> None:
        """Read the active checkpoint (again), then explain the current image."""
        self._request += 1
        self._model = self._meta = self._result = None
        self._missing = None
        self.localize()
        self._read_with = self._pixels()
        self._load(self._request, self.shared.checkpoint, self._read_with)

    def _pixels(self) -> np.ndarray | None:
        return None if self.shared.image is None else self.shared.image.image.pixels

    @work(thread=True, exclusive=True, exit_on_error=False, group="predict")
    def _load(self, request: int, checkpoint: Path, pixels: np.ndarray | None) -> None:
        from cnn_tui.ml.attribution import LayerError, conv_layers
        from cnn_tui.ml.checkpoints import CheckpointError, load_model
        from cnn_tui.ml.models import ModelConfigError
        from cnn_tui.ml.own_model import changed_note

        if not checkpoint.is_file():
            self.post_message(NetworkMissing(request, str(checkpoint), None))
            return
        try:
            model, meta = load_model(checkpoint)
        except (CheckpointError, ModelConfigError) as error:
            self.post_message(NetworkMissing(request, str(checkpoint), error))
            return
        layers = conv_layers(model)
        if not layers:
            self.post_message(NetworkMissing(request, str(checkpoint), LayerError("error.layer.nothing_to_explain")))
            return
        self.post_message(NetworkRead(request, model, meta, layers, changed_note(meta.model) is not None))
        if pixels is not None:
            self._explain_now(request, model, meta, pixels, layers[-1], None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="predict")
    def _explain(self, request: int, model: nn.Module, meta: CheckpointMeta, pixels: np.ndarray, layer: str, target: int | None) -> None:
        self._explain_now(request, model, meta, pixels, layer, target)

    def _explain_now(self, request: int, model: nn.Module, meta: CheckpointMeta, pixels: np.ndarray, layer: str, target: int | None) -> None:
        """(In a worker) the image resized and normalised as the checkpoint says, through the network, explained."""
        from cnn_tui.ml.attribution import explain_image, torch_threads

        try:
            with self._lock, torch_threads(PREDICT_DEFAULTS.threads):
                if get_current_worker().is_cancelled:
                    return
                result = explain_image(
                    model, pixels, size=meta.model.image_size, normalization=meta.normalization,
                    layer=layer, target=target, top=PREDICT_DEFAULTS.top, resize=meta.resize,
                )
        except Exception as error:  # noqa: BLE001 - an own network's forward that overran its time limit, or raised
            self.post_message(NetworkMissing(request, str(self.shared.checkpoint), error))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(Explained(request, result))

    @work(thread=True, exclusive=True, exit_on_error=False, group="predict-field")
    def _field_of(self, request: int, model: nn.Module, meta: CheckpointMeta, pixels: np.ndarray, layer: str, unit: tuple[int, int]) -> None:
        """(In a worker) the receptive and effective field of the unit of `layer` for the input as the network takes it."""
        import torch

        from cnn_tui.core.receptive_field import ReceptiveFieldError
        from cnn_tui.ml.unit_field import unit_field

        image = torch.from_numpy(np.ascontiguousarray(pixels.transpose(2, 0, 1)))
        with self._lock:
            try:
                found: UnitField | Exception = unit_field(model, image, layer, unit, normalization=meta.normalization)
            except ReceptiveFieldError as error:
                found = error
        if not get_current_worker().is_cancelled:
            self.post_message(FieldReady(request, found))

    def _ask_field(self) -> None:
        """The field of the unit under the cursor, for the result shown (kept inside the layer's maps)."""
        if self._result is None or self.unit is None or self._model is None:
            return
        found = self._result.explanation
        self.unit = move_unit(self.unit, (0, 0), found.gradcam.shape)
        self._field_request += 1
        self._field_of(self._field_request, self._model, self._meta, self._result.pixels, found.layer, self.unit)

    def on_field_ready(self, message: FieldReady) -> None:
        if message.request == self._field_request:
            self.field = message.found
            self.localize()

    def action_move_unit(self, rows: int, cols: int) -> None:
        """Move the cursor over the Grad-CAM layer's units (the first press shows it at the middle)."""
        if self._result is None:
            return
        h, w = self._result.explanation.gradcam.shape
        self.unit = (h // 2, w // 2) if self.unit is None else move_unit(self.unit, (rows, cols), (h, w))
        self._ask_field()

    def _again(self) -> None:
        """Explain the current image again with the chosen layer and class."""
        pixels = self._pixels()
        if self._model is None or pixels is None:
            return
        self._request += 1
        self._explain(self._request, self._model, self._meta, pixels, self._layer, self._target)

    # -- messages ---------------------------------------------------------------

    def on_network_read(self, message: NetworkRead) -> None:
        if message.request != self._request:
            return
        self._model, self._meta, self._layers = message.model, message.meta, message.layers
        self._changed = message.changed
        if self._layer not in self._layers:
            self._layer = self._layers[-1]
        if self._layer != self._layers[-1] or self._pixels() is not self._read_with:
            self._again()  # the loader explained the last layer of the image it was given: redo with the chosen ones
        self.localize()

    def on_network_missing(self, message: NetworkMissing) -> None:
        if message.request != self._request:
            return
        self._missing = message
        self._model = None  # a forward that failed (or still loops in its abandoned thread) is not run again
        self.drawn = message.request
        self.localize()

    def on_explained(self, message: Explained) -> None:
        if message.request != self._request:
            return
        self._result = message.result
        self.drawn = message.request
        self._ask_field()  # a new image, layer or class: the unit's field again
        self.localize()

    def on_image_changed(self, message: ImageChanged) -> None:
        self._target = None
        if self._model is None:
            if self._missing is None and self._meta is None:
                self.localize()  # still reading: on_network_read explains the new image
            return
        self._again()

    def on_checkpoint_changed(self, message: CheckpointChanged) -> None:
        self._read()

    # -- keys -------------------------------------------------------------------

    def action_next_layer(self) -> None:
        if not self._layers:
            return
        index = self._layers.index(self._layer) if self._layer in self._layers else -1
        self._layer = self._layers[(index + 1) % len(self._layers)]
        self._again()

    def action_next_class(self) -> None:
        if self._result is None:
            return
        top = [index for index, _ in self._result.explanation.top]
        current = self._result.explanation.target
        following = top[(top.index(current) + 1) % len(top)] if current in top else top[0]
        self._target = None if following == top[0] else following
        self._again()

    # -- drawing ----------------------------------------------------------------

    def _field_text(self, field: UnitField | Exception | None) -> list[Text]:
        """The lines about the unit's field (its reason when it has none); nothing without a cursor."""
        if field is None:
            return []
        if isinstance(field, Exception):
            return [Text(describe(field), "yellow")]
        return [field_line(field.field, field.channel)]

    def _set(self, part: str, key: object, make: Callable[[], object], shape: Hashable | None = None) -> None:
        """Show `make()` in the part with id predict-`part`, unless it already shows what `key` stands for;
        `shape` stands for the text's height (SteadyStatic: the same shape needs no measuring)."""
        if self._shown.get(part, self) == key:
            return
        self._shown[part] = key
        widget = self.query_one(f"#predict-{part}", BlockImage | SteadyStatic)
        if isinstance(widget, BlockImage):
            widget.show(make())
        else:
            widget.show(make(), shape)

    def localize(self) -> None:
        if self._missing is not None or self._meta is None or self._result is None:
            if self._missing is not None:
                text = missing_network_text(self._missing.path, self._missing.reason, "predict.how")
            elif self._meta is not None and self.shared.image is None:
                text = Text(tr("predict.waiting"), "dim italic")
            else:
                text = Text(tr("predict.loading"), "dim italic")
            self._set("info", ("text", str(text), self.shared.lang), lambda: text)
            for part in PARTS:
                self._set(part, None, lambda part=part: None if part.endswith("-image") else "")
            return
        self._draw()

    def _draw(self) -> None:
        """Each part from the result; a part whose inputs did not change (same image, layer, class, language) stays."""
        meta, result, lang = self._meta, self._result, self.shared.lang
        found = result.explanation
        name = safe_text(self.shared.image.name) if self.shared.image is not None else "?"  # file names: escaped
        image = (id(self.shared.image), result.original_size)  # a new result of the same image keeps these parts

        def head() -> Text:
            text = Text(
                tr("predict.model", checkpoint=safe_text(self.shared.checkpoint.name), model=meta.model.name, epoch=meta.epoch, image=name),
                "bold",
            )
            if self._changed:
                text.append("\n" + tr("predict.changed", file=safe_text(meta.model.file)), "yellow")
            return text

        self._set("info", (lang, id(meta), name, self._changed), head)
        size = meta.model.image_size
        width, height = result.original_size
        resize = tr("predict.same_size", size=size) if (width, height) == (size, size) else tr(
            "predict.resized", width=width, height=height, size=size
        )
        norm = tr("predict.normalised") if meta.normalization is not None else tr("predict.not_normalised")
        self._set("input-title", (lang, size), lambda: Text(tr("predict.input_title", size=size), "bold"))
        field = self.field if self.unit is not None else None
        shown = getattr(field, "field", None)
        if shown is not None and (shown.layer, shown.unit) != (found.layer, self.unit):
            field = shown = None  # the field of another unit or layer: its own arrives soon
        self._set("input-image", (image, id(field)), lambda: result.pixels if shown is None else field_picture(
            result.pixels, shown.box, field.effective))
        self._set("input", (lang, image), lambda: Group(Text(resize, "dim"), Text(norm, "dim")))
        rows = [(class_label(meta.classes[index]), probability) for index, probability in found.top]
        chosen = next((rank for rank, (index, _) in enumerate(found.top) if index == found.target), None)
        self._set(
            "top", (lang, image, chosen),
            lambda: Group(Text(tr("predict.top_title", count=len(rows)), "bold"), top_bars(rows, chosen=chosen)),
            shape=(lang, len(rows)),  # a title and one bar per class
        )
        target = class_label(safe_text(meta.classes[found.target]))  # a class name from the checkpoint's file
        h, w = found.gradcam.shape
        cam, saliency = heat_scale(found.gradcam), heat_scale(found.saliency)
        key = (image, found.layer, found.target)
        self._set(
            "gradcam-title", (lang, key),
            lambda: Text(tr("predict.gradcam_title", layer=found.layer, h=h, w=w, name=target), "bold"),
        )
        self._set("gradcam-image", key, lambda: blend(result.pixels, found.gradcam, cam))
        self._set(
            "gradcam", (lang, key),
            lambda: Group(ColourBar(cam, width=32), Text(tr("predict.gradcam_note", size=size, layers=", ".join(self._layers)), "dim")),
            shape=(lang, size, tuple(self._layers)),  # the bar's two lines and the note
        )
        key = (image, found.target)
        self._set("saliency-title", (lang, key), lambda: Text(tr("predict.saliency_title", name=target), "bold"))
        self._set("saliency-image", key, lambda: blend(result.pixels, found.saliency, saliency))
        self._set(
            "saliency", (lang, key),
            lambda: Group(ColourBar(saliency, width=32), Text(tr("predict.saliency_note", size=size), "dim")),
            shape=(lang, size),
        )
        if field is None:
            self._set("defs", lang, lambda: Text(tr("predict.definitions"), "dim"))
        else:  # the unit's field in place of the definitions while the cursor is shown
            self._set("defs", (lang, id(field)), lambda: Group(*self._field_text(field)))
