"""A channel's top patches as text: rank, test image, class, unit, activation and the box of pixels it sees."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cnn_tui.i18n import tr
from cnn_tui.render.receptive_field import aligned


def patch_lines(layer: str, channel: int, images: int, rows: Sequence[tuple[Any, str]], lang: str | None = None) -> list[str]:
    """The heading, then one aligned row per patch (a duck-typed `Patch` and its image's class name)."""
    heading = tr("top.heading", lang, layer=layer, channel=channel, top=len(rows), images=f"{images:,}")
    with_files = any(patch.file for patch, _ in rows)
    header = [tr(f"top.col_{name}", lang) for name in ("rank", "image", "class", "unit", "activation", "patch")]
    cells = [header + ([tr("top.col_file", lang)] if with_files else [])]
    for rank, (patch, name) in enumerate(rows, 1):
        top, left, bottom, right = patch.box
        row = [
            str(rank), str(patch.index), name, f"({patch.unit[0]}, {patch.unit[1]})", f"{patch.activation:.4g}",
            tr("top.box", lang, top=top, bottom=bottom, left=left, right=right),
        ]
        cells.append(row + ([patch.file or ""] if with_files else []))
    return [heading, *aligned(cells)]
