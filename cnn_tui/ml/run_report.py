"""What a trained model gets right and wrong on the test set: `evaluate`'s numbers plus every image's top-3.

The Training tab shows this after a run (or for a saved checkpoint): the accuracy headline,
accuracy per class and the confusion matrix come from `evaluate` (the same as `cnn-tui eval`),
the gallery's labels and confidences from `predict` (the same as `cnn-tui predict`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from cnn_tui.ml.checkpoints import CheckpointError, CheckpointMeta, load_model
from cnn_tui.ml.data import Dataset, Normalization, Split
from cnn_tui.ml.predict import predict
from cnn_tui.ml.train import Evaluation, evaluate

TOP = 3


@dataclass(frozen=True)
class RunReport:
    """Test-set results; arrays are indexed like the test split (images N×H×W×3 uint8, top N×3)."""

    classes: tuple[str, ...]
    evaluation: Evaluation
    images: np.ndarray
    labels: np.ndarray
    top_classes: np.ndarray  # int64, most likely first
    top_probabilities: np.ndarray  # float32

    @property
    def predicted(self) -> np.ndarray:
        return self.top_classes[:, 0]

    @property
    def confidence(self) -> np.ndarray:
        return self.top_probabilities[:, 0]

    def mistakes(self) -> np.ndarray:
        """Indices of the test images the model gets wrong."""
        return np.flatnonzero(self.predicted != self.labels)


def run_report(
    model: nn.Module,
    split: Split,
    classes: tuple[str, ...],
    *,
    normalization: Normalization | None = None,
    batch_size: int = 1000,
    device: torch.device | None = None,
) -> RunReport:
    """Evaluate `model` on `split` and keep each image's top-3 classes with probabilities."""
    device = device or next(model.parameters()).device
    evaluation = evaluate(
        model, split, num_classes=len(classes), normalization=normalization, batch_size=batch_size, device=device
    )
    index = {name: i for i, name in enumerate(classes)}
    top = min(TOP, len(classes))
    top_classes = np.zeros((len(split), top), dtype=np.int64)
    top_probabilities = np.zeros((len(split), top), dtype=np.float32)
    for start in range(0, len(split), batch_size):
        predictions = predict(model, split.images[start : start + batch_size], classes, normalization=normalization, top=top)
        for row, prediction in enumerate(predictions, start):
            top_classes[row] = [index[name] for name in prediction.classes]
            top_probabilities[row] = prediction.probabilities
    return RunReport(
        classes=tuple(classes),
        evaluation=evaluation,
        images=split.images.permute(0, 2, 3, 1).contiguous().numpy(),
        labels=split.labels.numpy().copy(),
        top_classes=top_classes,
        top_probabilities=top_probabilities,
    )


def checkpoint_report(path: Path, data: Dataset, device: torch.device | None = None) -> tuple[RunReport, CheckpointMeta]:
    """The report for the checkpoint saved at `path` on `data`'s test split (its classes must match)."""
    model, meta = load_model(path)
    if tuple(meta.classes) != tuple(data.classes):
        raise CheckpointError(
            "error.checkpoint.other_classes", path=path, classes=", ".join(meta.classes), data=", ".join(data.classes)
        )
    if device is not None:
        model = model.to(device)
    return run_report(model, data.test, data.classes, normalization=meta.normalization, device=device), meta
