"""Where a diverged run went wrong: the first layer, in the order the forward pass runs them, whose output is not finite.

Called once, when a batch's loss is nan or inf: the same batch goes through a copy of the network
(so BatchNorm's running statistics of the real one stay as they were) with a hook on every layer
that has no sublayers, and the first output holding nan or inf names the layer. None when every
layer's output is finite (the loss itself overflowed).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import torch
from torch import nn


@dataclass(frozen=True)
class FirstBadLayer:
    """The layer's name (as `predict --layer` names it) and what its output held first: nan or inf."""

    layer: str
    value: str


class _Found(Exception):
    """Raised by the hook: the layers after the first bad one need not run."""


@torch.no_grad()
def first_nonfinite_layer(model: nn.Module, inputs: torch.Tensor, *, bf16: bool = False) -> FirstBadLayer | None:
    """Run `inputs` through a copy of `model` (its mode kept) and name the first layer whose output is not finite."""
    probe = copy.deepcopy(model)
    found: list[FirstBadLayer] = []

    def hook_for(name: str):  # type: ignore[no-untyped-def]
        def hook(_module: nn.Module, _inputs: tuple, output: object) -> None:
            tensor = output[0] if isinstance(output, tuple) and output else output
            if isinstance(tensor, torch.Tensor) and tensor.is_floating_point() and not bool(torch.isfinite(tensor).all()):
                found.append(FirstBadLayer(name, "nan" if bool(torch.isnan(tensor).any()) else "inf"))
                raise _Found

        return hook

    for name, module in probe.named_modules():
        if module is not probe and not list(module.children()):
            module.register_forward_hook(hook_for(name))
    try:
        with torch.autocast(inputs.device.type, dtype=torch.bfloat16, enabled=bf16):
            probe(inputs)
    except _Found:
        pass
    return found[0] if found else None


def locate_divergence(model: nn.Module, inputs: torch.Tensor, *, bf16: bool = False) -> FirstBadLayer | None:
    """`first_nonfinite_layer`, or None when the probe itself fails (a network that cannot be copied, or whose
    code fails on the batch again): the run's reason then says what happened without naming a layer."""
    try:
        return first_nonfinite_layer(model, inputs, bf16=bf16)
    except Exception:  # noqa: BLE001  (a diagnosis must never replace the divergence it explains)
        return None
