"""A model as a chain of layers with the shape after each: 3×32×32 → conv1 → 6×30×30 → … → 10.

One forward pass of zeros with hooks on the leaf modules records each module's name and output
shape in call order; where a layer receives fewer dimensions than the previous one gave (the
lecture's `x.reshape(x.size(0), -1)`), a `flatten` step is inserted.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from cnn_tui.ml.summary import model_device


@dataclass(frozen=True)
class ChainStep:
    """One step: a layer's attribute name and type (or input / flatten) and its output shape without the batch."""

    name: str
    kind: str
    shape: tuple[int, ...]


def layer_chain(model: nn.Module, input_size: tuple[int, ...] = (3, 32, 32)) -> list[ChainStep]:
    """The input, then every leaf layer in the order the forward pass calls it (dropout left out)."""
    steps = [ChainStep("input", "input", tuple(input_size))]
    names = {module: name for name, module in model.named_modules()}
    hooks = []

    def hook(module: nn.Module, inputs: tuple, output: torch.Tensor) -> None:
        if isinstance(module, nn.Dropout) or not isinstance(output, torch.Tensor):
            return
        given = tuple(inputs[0].shape[1:]) if inputs and isinstance(inputs[0], torch.Tensor) else None
        previous = steps[-1].shape
        if given is not None and len(given) < len(previous):
            steps.append(ChainStep("flatten", "flatten", given))
        steps.append(ChainStep(names.get(module, "?"), type(module).__name__, tuple(output.shape[1:])))

    for module in model.modules():
        if module is not model and not list(module.children()):
            hooks.append(module.register_forward_hook(hook))
    was_training = model.training
    model.eval()
    try:
        device = model_device(model)
        with torch.no_grad():
            model(torch.zeros(1, *input_size, device=device))
    finally:
        for handle in hooks:
            handle.remove()
        model.train(was_training)
    return steps
