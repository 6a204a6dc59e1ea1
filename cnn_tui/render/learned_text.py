"""The learned-network view's words: the checkpoint, the image and its prediction, the layer chain."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from cnn_tui.i18n import class_head, tr
from cnn_tui.render.feature_text import LAYER_STYLE, SHAPE_STYLE

if TYPE_CHECKING:
    from cnn_tui.ml.feature_maps import Stage
    from cnn_tui.ml.learned_maps import LearnedModel, LearnedResult, SampleImages


def model_text(learned: LearnedModel, checkpoint: str) -> Text:
    """`image_classification.pth: lecture · epoch 4 · test accuracy 0.65` (the active checkpoint's file first)."""
    meta = learned.meta
    accuracy = learned.accuracy
    parts = [f"{checkpoint}: {meta.model.name}", tr("feature_maps.learned.epoch", epoch=meta.epoch)]
    if accuracy is not None:
        parts.append(tr("feature_maps.learned.accuracy", accuracy=f"{accuracy:.2f}"))
    return Text(" · ".join(parts), "bold")


def image_label(index: int, samples: SampleImages | None) -> str:
    """`test image 3 / 100 (synthetic) · label: ring`, or the current image resized."""
    count = len(samples) if samples is not None else 0
    if samples is not None and index < count:
        label = class_head(samples.classes[int(samples.labels[index])])  # in Chinese its name alone: a narrow panel
        return tr("feature_maps.learned.sample", number=index + 1, count=count, source=samples.source, label=label)
    return tr("feature_maps.learned.current", size="32×32")


def prediction_text(result: LearnedResult) -> Text:
    """`predicted: ring 62% · disc 20% · dots 5%`, the first class in bold."""
    text = Text(tr("feature_maps.learned.predicted") + " ")
    for position, (name, probability) in enumerate(zip(result.prediction.classes, result.prediction.probabilities)):
        if position:
            text.append(" · ")
        text.append(f"{class_head(name)} {probability:.0%}", "bold" if position == 0 else "")
    return text


def learned_chain_text(stages: Sequence[Stage]) -> Text:
    """The shapes through the network, each layer as PyTorch prints it between them."""
    text = Text.assemble((tr("feature_maps.chain_title"), "bold underline"), " · ", (tr("feature_maps.chain_torch"), "italic"), "\n")
    for stage in stages:
        if stage.kind == "to_tensor":
            text.append(f"↓ {stage.layer}\n", LAYER_STYLE)
        elif stage.kind != "image":
            text.append(f"↓ {stage.kind} = {stage.layer}\n", LAYER_STYLE)
        text.append(stage.shape_text, SHAPE_STYLE)
        text.append("\n")
    text.rstrip()
    return text
