"""The line under an image with a unit's receptive field drawn on it: which unit, the field's size and jump, the box."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from cnn_tui.i18n import tr


def _size(pair: Any) -> str:
    return "×".join(str(v) for v in pair)


def field_line(field: Any, channel: int | None = None, lang: str | None = None) -> Text:
    """`Unit (2, 3) of conv2: field 8×8, jump 2 — rows 4–11, columns 6–13` and what the heat inside means
    (a duck-typed `ReceptiveField`; `channel` None: the layer's channels summed)."""
    top, left, bottom, right = field.box
    jump = str(field.jump[0]) if field.jump[0] == field.jump[1] else _size(field.jump)
    text = Text(tr(
        "neurons_ui.field.line", lang, layer=field.layer, row=field.unit[0], col=field.unit[1],
        size=_size(field.size), jump=jump, top=top, bottom=bottom, left=left, right=right,
    ), "bold")
    key = "neurons_ui.field.heat_all" if channel is None else "neurons_ui.field.heat_channel"
    text.append("\n" + tr(key, lang, channel=channel), "dim")
    return text
