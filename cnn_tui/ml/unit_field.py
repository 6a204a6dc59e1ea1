"""The unit under a cursor: its receptive field (from the layers' geometry) and its effective field (gradient magnitude).

The receptive field is `cnn_tui.ml.receptive_field`'s box; the effective field is how strongly each input
pixel moves the unit, |∂unit/∂pixel| (the largest over the colour channels), for the image the network is
shown: inside the box it is where the unit really looks, and outside it is zero.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from cnn_tui.core.receptive_field import ReceptiveField
from cnn_tui.ml.dataset import Normalization, to_float
from cnn_tui.ml.receptive_field import GeometryChain, geometry_chain


@dataclass(frozen=True)
class UnitField:
    """What one unit sees: its receptive field and, per input pixel (H×W), the gradient magnitude."""

    field: ReceptiveField
    effective: np.ndarray
    channel: int | None  # the channel whose unit it is (None: all channels of the layer summed)


def hookless_copy(model: nn.Module) -> nn.Module:
    """A copy of `model` without the forward hooks another view's run may have on it while it is copied."""
    duplicate = copy.deepcopy(model)
    for module in duplicate.modules():
        module._forward_hooks.clear()  # torch has no public way to drop hooks whose handles another run holds
    return duplicate


class _Reached(Exception):
    """Raised by the hook once the layer's output is taken: the rest of the network is not run."""


def unit_field(
    model: nn.Module,
    image: torch.Tensor,
    layer: str,
    unit: tuple[int, int],
    *,
    channel: int | None = None,
    normalization: Normalization | None = None,
    chain: GeometryChain | None = None,
) -> UnitField:
    """The field of unit (row, col) of `layer` for a 3×H×W uint8 `image`; ReceptiveFieldError for a unit or
    layer without one. `channel` None: the unit's channels summed (a position of the layer, not one neuron)."""
    chain = chain or geometry_chain(model, tuple(image.shape))
    field = chain.receptive_field(layer, unit)
    module = dict(model.named_modules())[layer]
    parameter = next(model.parameters(), None)
    device = parameter.device if parameter is not None else torch.device("cpu")
    taken: list[torch.Tensor] = []

    def hook(_module: nn.Module, _inputs: tuple, output: object) -> None:
        taken.append(output[0] if isinstance(output, tuple) else output)  # type: ignore[arg-type]
        raise _Reached

    was_training = model.training
    model.eval()
    handle = module.register_forward_hook(hook)
    try:
        with torch.enable_grad():
            x = to_float(image[None].to(device), normalization).requires_grad_(True)
            try:
                model(x)
            except _Reached:
                pass
            maps = taken[0][0]
            value = maps[:, unit[0], unit[1]].sum() if channel is None else maps[channel, unit[0], unit[1]]
            (grad,) = torch.autograd.grad(value, x)
    finally:
        handle.remove()
        model.train(was_training)
    effective = grad[0].abs().amax(dim=0).float().cpu().numpy()
    return UnitField(field, effective, channel)
