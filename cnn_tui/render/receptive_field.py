"""A unit's receptive field as text: each layer's field size and jump, then the box the unit sees, in either language.

Takes duck-typed results (`GeometryChain.field_rows` and a `ReceptiveField`), so it never imports
torch; columns are padded by terminal cells, so the Chinese headings line up.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len
from rich.text import Text

from cnn_tui.i18n import tr


def _size(pair: Sequence[int]) -> str:
    return "×".join(str(v) for v in pair)


def aligned(cells: Sequence[Sequence[str]]) -> list[str]:
    """Rows of cells as lines with columns two spaces apart, padded by terminal cells (a Chinese character is two)."""
    widths = [max(cell_len(row[i]) for row in cells) for i in range(len(cells[0]))]
    return ["  ".join(cell + " " * (width - cell_len(cell)) for cell, width in zip(row, widths)).rstrip() for row in cells]


def field_table(rows: Sequence[tuple[str, Sequence[int], Any]], lang: str | None = None) -> list[str]:
    """Lines of a table: layer, maps (h×w), field size and jump (`-` where a field cannot be followed)."""
    cells = [(tr("rf.col_layer", lang), tr("rf.col_maps", lang), tr("rf.col_field", lang), tr("rf.col_jump", lang))]
    for layer, shape, field in rows:
        cells.append((layer, _size(shape), _size(field.size) if field else "-", _size(field.jump) if field else "-"))
    return aligned(cells)


def fields_line(fields: Sequence[tuple[str, Sequence[int], Sequence[int]]], lang: str | None = None) -> Text:
    """One line under the Model tab's chain: `Receptive field, jump: conv1 3×3 /1 · pool1 4×4 /2 · …`."""
    text = Text(tr("rf.chain_title", lang), "bold")
    for index, (layer, size, jump) in enumerate(fields):
        text.append(" · " if index else " ", "dim")
        text.append(layer)
        text.append(f" {_size(size)}", "bold")
        text.append(f" /{jump[0]}" if jump[0] == jump[1] else f" /{_size(jump)}", "dim")
    return text


def describe_field(rows: Sequence[tuple[str, Sequence[int], Any]], field: Any, model: str, lang: str | None = None) -> list[str]:
    """The header, the per-layer table up to the unit's layer, and sentences about the unit's box and jump."""
    lines = [tr("rf.header", lang, model=model, input=_size(field.input))]
    lines += field_table(rows, lang)
    top, left, bottom, right = field.box
    seen = (bottom - top + 1, right - left + 1)
    lines.append(
        tr(
            "rf.sentence", lang, layer=field.layer, row=field.unit[0], col=field.unit[1],
            top=top, bottom=bottom, left=left, right=right, seen=_size(seen),
        )
    )
    if seen != tuple(field.size):
        lines.append(tr("rf.clipped", lang, size=_size(field.size)))
    lines.append(tr("rf.jump", lang, rows=field.jump[0], cols=field.jump[1]))
    return lines
