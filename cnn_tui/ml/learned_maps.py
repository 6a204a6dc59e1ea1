"""What a trained network learned: its conv1 filters, and its conv/pool activations for one image."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from cnn_tui.ml.checkpoints import CheckpointMeta, load_model
from cnn_tui.ml.data import DataSourceError, Normalization, load_dataset, to_float
from cnn_tui.ml.feature_maps import Stage
from cnn_tui.ml.photo_reader import PhotoOptions
from cnn_tui.ml.predict import Prediction, to_input

LAYER_NAME = re.compile(r"^(conv|pool)\d+$")


@dataclass(frozen=True)
class LearnedModel:
    """A loaded network with its metadata, and its first layer's filters as numpy."""

    model: nn.Module
    meta: CheckpointMeta
    path: Path

    @property
    def filters(self) -> np.ndarray:
        """conv1's weights, C_out × 3 × k × k (6 × 3 × 3 × 3 for the lecture)."""
        return self.model.conv1.weight.detach().cpu().numpy().copy()

    def conv_weights(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Every conv layer's (weight C_out × C_in × k × k, bias C_out) as numpy, by layer name."""
        return {
            name: (module.weight.detach().cpu().numpy().copy(), module.bias.detach().cpu().numpy().copy())
            for name, module in self.model.named_children()
            if name.startswith("conv") and LAYER_NAME.match(name)
        }

    @property
    def input_size(self) -> int:
        return int(self.meta.model.image_size)

    @property
    def accuracy(self) -> float | None:
        """The test accuracy recorded at the last saved epoch, if any."""
        if not self.meta.metrics:
            return None
        return float(self.meta.metrics[-1].test_accuracy)


@dataclass(frozen=True)
class SampleImages:
    """Images to feed the network: uint8 (N, 3, H, W), their labels and class names, where from."""

    images: torch.Tensor
    labels: torch.Tensor
    classes: tuple[str, ...]
    source: str

    def __len__(self) -> int:
        return int(self.labels.shape[0])


@dataclass(frozen=True)
class LearnedResult:
    """One image through the network: the image (H × W × 3 uint8), every conv/pool stage, the top classes."""

    image: np.ndarray
    stages: tuple[Stage, ...]
    prediction: Prediction


def load_learned(path: Path) -> LearnedModel:
    """The network saved at `path` (CheckpointError says what is wrong with it)."""
    model, meta = load_model(path)
    model.eval()
    return LearnedModel(model, meta, path)


def sample_images(learned: LearnedModel, data_dir: Path, count: int = 100) -> SampleImages | None:
    """Up to `count` test images of the data the network was trained on, or None when they cannot be
    read here (CIFAR-10 is never downloaded for this)."""
    classes = tuple(learned.meta.classes)
    from cnn_tui.ml import synthetic

    if classes == synthetic.CLASSES:
        split = synthetic.make_synthetic(train=1, test=max(count, len(classes))).test
        return SampleImages(split.images[:count], split.labels[:count], classes, "synthetic")
    sources: list[str | Path | None] = []
    if learned.meta.data and Path(learned.meta.data).exists():
        sources.append(Path(learned.meta.data))
    sources.append(None)
    for source in sources:
        try:
            data = load_dataset(source, data_dir, download=False, photos=PhotoOptions.recorded(learned.meta))
        except (DataSourceError, OSError, ValueError):
            continue
        if tuple(data.classes) == classes:
            split = data.test.head(count)
            return SampleImages(split.images, split.labels, classes, data.name)
    return None


def image_input(pixels: np.ndarray, size: int, resize: str = "") -> torch.Tensor:
    """Any H×W×3 uint8 image as the network's 3 × size × size uint8 input (resized if needed, by the checkpoint's
    policy `resize` when it has one)."""
    return to_input(pixels, size, resize)


@torch.no_grad()
def run_learned(learned: LearnedModel, image: torch.Tensor, top: int = 3) -> LearnedResult:
    """Feed one 3 × H × W uint8 image; record every conv/pool output and the top classes."""
    model = learned.model
    captured: list[tuple[str, str, torch.Tensor]] = []
    hooks = [
        module.register_forward_hook(lambda mod, args, out, name=name: captured.append((name, repr(mod), out)))
        for name, module in model.named_children()
        if LAYER_NAME.match(name)
    ]
    try:
        x = to_float(image[None], learned.meta.normalization)
        logits = model(x)
    finally:
        for hook in hooks:
            hook.remove()
    probabilities = torch.softmax(logits, dim=1)[0]
    values, indices = probabilities.topk(min(top, len(learned.meta.classes)))
    classes = tuple(learned.meta.classes[i] for i in indices.tolist())
    pixels = image.permute(1, 2, 0).numpy().copy()
    stages = [
        Stage("image", "", str(tuple(pixels.shape))),
        Stage("to_tensor", _input_text(learned.meta.normalization), str(x.shape)),
    ]
    stages += [Stage(name, layer, str(out.shape), _as_lecture(model, name, out)[0].numpy().copy()) for name, layer, out in captured]
    return LearnedResult(pixels, tuple(stages), Prediction(classes, tuple(float(v) for v in values)))


def _as_lecture(model: torch.nn.Module, name: str, out: torch.Tensor) -> torch.Tensor:
    """A layer's output as the lecture's order computes it. cnn-tui's plain networks pool before a
    monotonic activation (faster, same result); the lecture's `pool(relu(conv))` is then this
    pooled output through the activation."""
    if name.startswith("pool") and getattr(model, "pool_first", False):
        return model.activation(out)
    return out


def _input_text(normalization: Normalization | None) -> str:
    """How the uint8 image became the network's input."""
    text = "permute(2, 0, 1).unsqueeze(0) / 255"
    return f"({text} − mean) / std" if normalization is not None else text
