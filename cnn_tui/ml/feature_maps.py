"""The lecture's Conv2d demo with torch: image → permute + unsqueeze → Conv2d → ReLU → pooling."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from cnn_tui.core.feature_settings import RANDOM, FeatureMapSettings, FeatureSettingsError, shape_chain
from cnn_tui.core.kernels import preset_weights


@dataclass(frozen=True)
class Stage:
    """One step's output: its kind and layer code (as in ShapeStep), the shape PyTorch printed,
    and for conv/relu/pool the maps (C × H × W float32, batch dimension dropped)."""

    kind: str
    layer: str
    shape_text: str
    maps: np.ndarray | None = None


@dataclass(frozen=True)
class FeatureMapResult:
    """Everything one run produced."""

    settings: FeatureMapSettings
    stages: tuple[Stage, ...]
    weights: np.ndarray  # C_out × 3 × k × k
    bias: np.ndarray  # C_out

    @property
    def maps(self) -> np.ndarray:
        """The last stage's maps (what the pipeline outputs)."""
        return self.stage_maps()[-1].maps  # type: ignore[return-value]

    def stage_maps(self) -> list[Stage]:
        """The stages that have maps (conv, then relu and pool when present)."""
        return [stage for stage in self.stages if stage.maps is not None]


def default_init(out_channels: int, in_channels: int, kernel_size: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Conv2d's `reset_parameters` drawn from a generator seeded with `seed`: equal to the weight and
    bias of `torch.manual_seed(seed); nn.Conv2d(in_channels, out_channels, kernel_size)`."""
    generator = torch.Generator().manual_seed(seed)
    weight = torch.empty(out_channels, in_channels, kernel_size, kernel_size)
    nn.init.kaiming_uniform_(weight, a=math.sqrt(5), generator=generator)
    fan_in = in_channels * kernel_size * kernel_size
    bound = 1 / math.sqrt(fan_in)
    bias = torch.empty(out_channels).uniform_(-bound, bound, generator=generator)
    return weight, bias


def conv_parameters(settings: FeatureMapSettings, in_channels: int = 3) -> tuple[torch.Tensor, torch.Tensor]:
    """The layer's weight (C_out × C_in × k × k) and bias: seeded default init, with each preset
    channel replaced by its hand-made kernel and a bias of 0."""
    weight, bias = default_init(settings.out_channels, in_channels, settings.kernel_size, settings.seed)
    for channel, name in enumerate(settings.channel_kernels()):
        if name != RANDOM:
            weight[channel] = torch.from_numpy(preset_weights(name, settings.kernel_size, in_channels))
            bias[channel] = 0.0
    return weight, bias


def image_tensor(pixels: np.ndarray) -> torch.Tensor:
    """The lecture's `torch.tensor(img).permute(2, 0, 1).unsqueeze(0)`, as float32 (1 × 3 × H × W)."""
    return torch.tensor(pixels).permute(2, 0, 1).unsqueeze(0).to(torch.float32)


# The last image's tensor: a tab reruns the pipeline on the same image at every key press.
# (array, tensor); the array is held, so `is` cannot match a new array at a reused address.
_last_input: tuple[np.ndarray, torch.Tensor] | None = None


def _cached_image_tensor(pixels: np.ndarray) -> torch.Tensor:
    global _last_input
    cached = _last_input
    if cached is not None and cached[0] is pixels:
        return cached[1]
    tensor = image_tensor(pixels)
    _last_input = (pixels, tensor)
    return tensor


def _pool(settings: FeatureMapSettings, x: torch.Tensor) -> torch.Tensor:
    if settings.pool == "max":
        return F.max_pool2d(x, settings.pool_kernel, settings.pool_stride)
    return F.avg_pool2d(x, settings.pool_kernel, settings.pool_stride)


def _maps(x: torch.Tensor) -> np.ndarray:
    """The batch's only item as numpy, sharing memory (no layer writes into an earlier tensor)."""
    return x[0].numpy()


def compute_feature_maps(pixels: np.ndarray, settings: FeatureMapSettings) -> FeatureMapResult:
    """Run the pipeline on an H×W×3 uint8 image; FeatureSettingsError when a layer does not fit."""
    if pixels.ndim != 3 or pixels.shape[2] != 3:
        raise FeatureSettingsError("image_channels", value=tuple(pixels.shape))
    height, width, channels = pixels.shape
    chain = shape_chain(settings, height, width, channels)
    layers = {step.kind: step.layer for step in chain}
    weight, bias = conv_parameters(settings, channels)
    with torch.inference_mode():
        x = _cached_image_tensor(pixels)
        stages = [
            Stage("image", "", str(tuple(pixels.shape))),
            Stage("to_tensor", layers["to_tensor"], str(x.shape)),
        ]
        x = F.conv2d(x, weight, bias, stride=settings.stride, padding=settings.padding)
        stages.append(Stage("conv", layers["conv"], str(x.shape), _maps(x)))
        if settings.relu:
            x = F.relu(x)
            stages.append(Stage("relu", layers["relu"], str(x.shape), _maps(x)))
        if settings.pool != "none":
            x = _pool(settings, x)
            stages.append(Stage("pool", layers["pool"], str(x.shape), _maps(x)))
    return FeatureMapResult(settings, tuple(stages), weight.numpy().copy(), bias.numpy().copy())
