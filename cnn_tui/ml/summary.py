"""A torchsummary-style summary of any model: output shape, parameters and multiply-adds per layer, and sizes in MB.

The numbers follow torchsummary's rules (float32; forward/backward size = 2 × all layer
outputs), so the lecture's network gives the lecture's printout: 81,302 parameters,
0.01 / 0.08 / 0.31 / 0.40 MB. Multiply-adds are counted for convolutions and linear layers.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import torch
from torch import nn

BYTES_PER_VALUE = 4  # float32
MB = 1024.0**2


@dataclass(frozen=True)
class LayerRow:
    """One leaf layer as torchsummary lists it, e.g. `Conv2d-1 [1, 6, 30, 30] 168`."""

    name: str
    output_shape: tuple[int, ...]
    params: int
    trainable: bool
    mult_adds: int


@dataclass(frozen=True)
class ModelSummary:
    """The whole table and its totals."""

    model_name: str
    input_size: tuple[int, ...]
    batch_size: int
    rows: tuple[LayerRow, ...]
    total_params: int
    trainable_params: int
    input_mb: float
    forward_backward_mb: float
    params_mb: float
    mult_adds: int  # per image

    @property
    def non_trainable_params(self) -> int:
        return self.total_params - self.trainable_params

    @property
    def total_mb(self) -> float:
        return self.input_mb + self.forward_backward_mb + self.params_mb


def model_device(model: nn.Module) -> torch.device:
    """Where the model's parameters (else its buffers) live; the CPU for a model with neither."""
    tensor = next(itertools.chain(model.parameters(), model.buffers()), None)
    return tensor.device if tensor is not None else torch.device("cpu")


def _mult_adds(module: nn.Module, output: torch.Tensor) -> int:
    """Multiply-adds of one call, for the whole batch."""
    if isinstance(module, nn.Conv2d):
        kh, kw = module.kernel_size
        return output.numel() * (module.in_channels // module.groups) * kh * kw
    if isinstance(module, nn.Linear):
        return output.numel() * module.in_features
    return 0


def summarize(model: nn.Module, input_size: tuple[int, ...] = (3, 32, 32), batch_size: int = 1, name: str = "") -> ModelSummary:
    """Run one forward pass of zeros and record every leaf layer, as `torchsummary.summary` does."""
    records: list[LayerRow] = []
    hooks = []

    def hook(module: nn.Module, _inputs: tuple, output: torch.Tensor) -> None:
        kind = type(module).__name__
        params = list(module.parameters(recurse=False))
        records.append(
            LayerRow(
                name=f"{kind}-{len(records) + 1}",
                output_shape=tuple(output.shape),
                params=sum(p.numel() for p in params),
                trainable=any(p.requires_grad for p in params),
                mult_adds=_mult_adds(module, output),
            )
        )

    for module in model.modules():
        if not list(module.children()) and module is not model:
            hooks.append(module.register_forward_hook(hook))
    was_training = model.training
    model.eval()
    try:
        device = model_device(model)
        with torch.no_grad():
            model(torch.zeros(batch_size, *input_size, device=device))
    finally:
        for handle in hooks:
            handle.remove()
        model.train(was_training)
    total = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    outputs = sum(math.prod(row.output_shape) for row in records)
    return ModelSummary(
        model_name=name,
        input_size=tuple(input_size),
        batch_size=batch_size,
        rows=tuple(records),
        total_params=total,
        trainable_params=trainable,
        input_mb=abs(math.prod(input_size) * batch_size * BYTES_PER_VALUE / MB),
        forward_backward_mb=abs(2.0 * outputs * BYTES_PER_VALUE / MB),
        params_mb=abs(total * BYTES_PER_VALUE / MB),
        mult_adds=sum(row.mult_adds for row in records) // max(1, batch_size),
    )
