"""A network as one line of layers and shapes: `3×32×32 → conv1 → 6×30×30 → pool1 → … → 10`.

Takes the steps of `cnn_tui.ml.layer_chain.layer_chain` (duck-typed: name, kind, shape), so this
module never imports torch. Shapes are bold, layers coloured by kind; the text wraps at the arrows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from rich.text import Text

from cnn_tui.i18n import tr

KIND_STYLES = {
    "Conv2d": "bold green",
    "MaxPool2d": "bold blue",
    "AvgPool2d": "bold blue",
    "Linear": "bold magenta",
    "flatten": "bold yellow",
    "BatchNorm2d": "cyan",
}
ARROW = " → "


class Step(Protocol):
    name: str
    kind: str
    shape: tuple[int, ...]


def shape_text(shape: Sequence[int]) -> str:
    """(6, 30, 30) → 6×30×30."""
    return "×".join(str(v) for v in shape)


def chain_text(steps: Sequence[Step]) -> Text:
    """The chain as Rich Text: the input's shape, then each layer's name and the shape it outputs."""
    text = Text()
    for step in steps:
        if step.kind != "input":
            text.append(ARROW, "dim")
            text.append(step.name, KIND_STYLES.get(step.kind, "bold"))
            text.append(ARROW, "dim")
        text.append(shape_text(step.shape), "bold reverse" if step.kind == "input" else "bold")
    return text


# The lecture's CNN overview (数据输入层, CONV, RELU, POOL, FC): each layer kind's role, a catalogue key.
ROLES = {
    "input": "gloss.role.input",
    "Conv2d": "gloss.role.conv",
    "ReLU": "gloss.role.relu",
    "MaxPool2d": "gloss.role.pool",
    "AvgPool2d": "gloss.role.pool",
    "flatten": "gloss.role.flatten",
    "Linear": "gloss.role.fc",
}


def roles_text(steps: Sequence[Step]) -> Text:
    """The chain's layers labelled by their role in the lecture's CNN overview: 数据输入层 → CONV → POOL → … → FC."""
    text = Text(tr("gloss.role.title"), "bold")
    for index, step in enumerate(steps):
        if index:
            text.append(ARROW, "dim")
        key = ROLES.get(step.kind)
        text.append(tr(key) if key else step.kind, KIND_STYLES.get(step.kind, "bold"))
    text.append("\n" + tr("gloss.role.relu_note"), "dim")
    return text
