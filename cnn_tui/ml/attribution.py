"""Where the network looked: Grad-CAM at a conv layer and gradient saliency on the input, for one image."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from cnn_tui.i18n import LocalizedError
from cnn_tui.ml.data import Normalization, to_float
from cnn_tui.ml.predict import to_input

TOP = 5  # classes offered for explanation


class LayerError(LocalizedError, ValueError):
    """A layer name the network does not have; the message lists its conv layers."""


@dataclass(frozen=True)
class Explanation:
    """One image explained: probabilities of the top classes, and the maps for class `target`."""

    layer: str
    target: int  # the explained class's index
    top: tuple[tuple[int, float], ...]  # (class index, probability), most likely first
    gradcam: np.ndarray  # h×w float32, ≥ 0, at the layer's resolution
    saliency: np.ndarray  # H×W float32, ≥ 0, at the input's resolution
    logit: float  # y_target


def conv_layers(model: nn.Module) -> list[str]:
    """The names of the network's Conv2d modules, in the order they were registered."""
    return [name for name, module in model.named_modules() if isinstance(module, nn.Conv2d)]


def find_layer(model: nn.Module, name: str | None) -> tuple[str, nn.Module]:
    """The named module (default: the last Conv2d); LayerError names the conv layers otherwise."""
    convs = conv_layers(model)
    if name is None:
        if not convs:
            raise LayerError("error.layer.no_conv")
        name = convs[-1]
    modules = dict(model.named_modules())
    if not name or name not in modules:
        if not convs:
            raise LayerError("error.layer.unknown_no_conv", name=name)
        raise LayerError("error.layer.unknown", name=name, listed=", ".join(convs))
    return name, modules[name]


def explain(
    model: nn.Module,
    inputs: torch.Tensor,
    *,
    layer: str | None = None,
    target: int | None = None,
    top: int = TOP,
) -> Explanation:
    """Explain one normalised input (3×H×W float) for class `target` (default: the top-1 class)."""
    name, module = find_layer(model, layer)
    model.eval()
    device = next(model.parameters()).device
    x = inputs.detach().to(device=device, dtype=torch.float32)[None].requires_grad_(True)
    seen: list[torch.Tensor] = []

    def hook(_module: nn.Module, _args: object, output: torch.Tensor) -> torch.Tensor:
        seen.append(output)
        # Later in-place operations (ReLU(inplace=True)) must not change the A we differentiate by.
        return output.clone()

    handle = module.register_forward_hook(hook)
    try:
        with torch.enable_grad():
            logits = model(x)
            if not seen:
                raise LayerError("error.layer.unused", name=name)
            activation = seen[-1]
            if activation.dim() != 4:
                raise LayerError("error.layer.not_maps", name=name, shape=list(activation.shape))
            probabilities = torch.softmax(logits.detach()[0].float(), dim=0)
            values, indices = probabilities.topk(min(top, probabilities.numel()))
            chosen = int(indices[0]) if target is None else int(target)
            score = logits[0, chosen]
            grad_a, grad_x = torch.autograd.grad(score, (activation, x), allow_unused=True)
    finally:
        handle.remove()
    if grad_a is None:
        grad_a = torch.zeros_like(activation)
    if grad_x is None:
        grad_x = torch.zeros_like(x)
    weights = grad_a[0].mean(dim=(1, 2))
    cam = torch.relu((weights[:, None, None] * activation.detach()[0]).sum(dim=0))
    saliency = grad_x[0].abs().amax(dim=0)
    return Explanation(
        layer=name,
        target=chosen,
        top=tuple((int(i), float(v)) for i, v in zip(indices.tolist(), values.tolist(), strict=True)),
        gradcam=cam.float().cpu().numpy(),
        saliency=saliency.float().cpu().numpy(),
        logit=float(score.detach()),
    )


@dataclass(frozen=True)
class ImageExplanation:
    """An image as the network receives it (resized, uint8 H×W×3, before ÷255 and normalisation) and its explanation."""

    pixels: np.ndarray
    original_size: tuple[int, int]  # (width, height) of the image before resizing
    explanation: Explanation


def explain_image(
    model: nn.Module,
    pixels: np.ndarray,
    *,
    size: int,
    normalization: Normalization | None,
    layer: str | None = None,
    target: int | None = None,
    top: int = TOP,
    resize: str = "",
) -> ImageExplanation:
    """Resize (by the checkpoint's policy `resize`) and normalise an H×W×3 uint8 image as `cnn-tui predict` does
    (`network_input`), then `explain` it."""
    small = to_input(pixels, size, resize)
    x = to_float(small[None], normalization)[0]
    result = explain(model, x, layer=layer, target=target, top=top)
    height, width = pixels.shape[:2]
    return ImageExplanation(small.permute(1, 2, 0).numpy().copy(), (int(width), int(height)), result)


@contextmanager
def torch_threads(count: int) -> Iterator[None]:
    """Run the block with `count` torch threads, then restore the number there was (threads new after it inherit it)."""
    previous = torch.get_num_threads()
    torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(previous)
