"""The cursor over a trained network's map in the Feature maps tab: the unit it stands on and that unit's field.

Owned by the learned view, which asks it for the picture and line to show; the field is computed in a
thread worker on the view (exclusive: a newer unit makes the older result drop) on a copy of the
network, so it never shares hooks with the view's own runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from rich.text import Text
from textual.binding import Binding
from textual.widget import Widget
from textual.worker import get_current_worker

from cnn_tui.core.field_overlay import field_picture, move_unit
from cnn_tui.i18n import describe
from cnn_tui.render.unit_field_text import field_line
from cnn_tui.ui.messages import FieldReady

if TYPE_CHECKING:
    from cnn_tui.ml.learned_maps import LearnedModel
    from cnn_tui.ml.unit_field import UnitField

# The arrow keys move the cursor (Predict, and the Feature maps tab's trained network).
UNIT_BINDINGS = [
    Binding("up", "move_unit(-1, 0)", "neurons_ui.bind.unit", key_display="←↑↓→"),
    Binding("down", "move_unit(1, 0)", "neurons_ui.bind.unit", show=False),
    Binding("left", "move_unit(0, -1)", "neurons_ui.bind.unit", show=False),
    Binding("right", "move_unit(0, 1)", "neurons_ui.bind.unit", show=False),
]


class FieldCursor:
    """The unit under the arrow keys (None until the first press) and the latest field found for it."""

    def __init__(self, owner: Widget) -> None:
        self.owner = owner  # has field_target() -> (learned, image, layer, channel, shape) | None
        self.unit: tuple[int, int] | None = None
        self.found: UnitField | Exception | None = None  # or the LocalizedError saying why the unit has none
        self.request = 0

    def move(self, rows: int, cols: int) -> None:
        """Move by (rows, cols) inside the map (the first press puts it in the middle) and find its field."""
        target = self.owner.field_target()  # type: ignore[attr-defined]
        if target is None:
            return
        h, w = target[4]
        self.unit = (h // 2, w // 2) if self.unit is None else move_unit(self.unit, (rows, cols), (h, w))
        self._ask(target)

    def follow(self) -> None:
        """The image, layer or channel changed: the field of the cursor's unit there (kept inside the maps)."""
        target = self.owner.field_target()  # type: ignore[attr-defined]
        if self.unit is None or target is None:
            return
        self.unit = move_unit(self.unit, (0, 0), target[4])
        self._ask(target)

    def _ask(self, target: tuple) -> None:
        self.request += 1
        learned, image, layer, channel, _shape = target
        request, unit = self.request, self.unit
        self.owner.run_worker(
            lambda: self._work(request, learned, image, layer, channel, unit),
            thread=True, exclusive=True, exit_on_error=False, group="learned-field",
        )

    def _work(self, request: int, learned: LearnedModel, image: np.ndarray, layer: str, channel: int, unit: tuple[int, int]) -> None:
        import torch

        from cnn_tui.core.receptive_field import ReceptiveFieldError
        from cnn_tui.ml.unit_field import hookless_copy, unit_field

        model = hookless_copy(learned.model)  # the view's runs hook the shared network
        tensor = torch.from_numpy(np.ascontiguousarray(image.transpose(2, 0, 1)))
        try:
            found: UnitField | Exception = unit_field(model, tensor, layer, unit, channel=channel, normalization=learned.meta.normalization)
        except ReceptiveFieldError as error:
            found = error
        if not get_current_worker().is_cancelled:
            self.owner.post_message(FieldReady(request, found))

    def arrived(self, message: FieldReady) -> bool:
        """Take a field found; False when it is for an older unit."""
        if message.request != self.request:
            return False
        self.found = message.found
        return True

    def drawn(self, image: np.ndarray, layer: str, channel: int) -> tuple[np.ndarray, Text | None]:
        """The input with the unit's field drawn, and the line about it (the image alone without a cursor)."""
        found = self.found
        if self.unit is None or found is None:
            return image, None
        if isinstance(found, Exception):
            return image, Text(describe(found), "yellow")
        field = found.field
        if (field.layer, field.unit, found.channel) != (layer, self.unit, channel):
            return image, None  # an older unit's: the new one's arrives soon
        return field_picture(image, field.box, found.effective), field_line(field, found.channel)
