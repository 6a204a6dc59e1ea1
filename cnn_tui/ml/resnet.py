"""A small residual network built for speed on the CPU (airbench-style), from a `ModelConfig` with arch="residual"."""

from __future__ import annotations

import torch
from torch import nn

from cnn_tui.ml.model_config import ACTIVATIONS, ModelConfig

LOGIT_SCALE = 0.125


STEM_KERNEL, STEM_STRIDE, STEM_PADDING = 4, 2, 1


class ConvUnit(nn.Module):
    """conv (3×3, same padding; or the stem's 4×4 stride 2) → optional max-pool → BatchNorm (or a conv bias) → activation."""

    def __init__(self, config: ModelConfig, cin: int, cout: int, *, pool: bool, stem: bool = False) -> None:
        super().__init__()
        kernel, stride, pad = (STEM_KERNEL, STEM_STRIDE, STEM_PADDING) if stem else (config.kernel_size, 1, config.kernel_size // 2)
        self.conv = nn.Conv2d(cin, cout, kernel_size=kernel, stride=stride, padding=pad, bias=not config.batch_norm)
        self.pool = nn.MaxPool2d(config.pool_size) if pool else None
        self.norm = nn.BatchNorm2d(cout) if config.batch_norm else None
        self.activation = ACTIVATIONS[config.activation]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.conv(x)
        if self.pool is not None:
            x = self.pool(x)
        if self.norm is not None:
            x = self.norm(x)
        return self.activation(x)


class ResidualBlock(nn.Module):
    """x + unit2(unit1(x)), both units keeping the width and the resolution."""

    def __init__(self, config: ModelConfig, width: int) -> None:
        super().__init__()
        self.unit1 = ConvUnit(config, width, width, pool=False)
        self.unit2 = ConvUnit(config, width, width, pool=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.unit2(self.unit1(x))


class ResidualNet(nn.Module):
    """stem → stages (conv, pool, norm, activation, then `depth` residual blocks but in the last) → max pool → linears → out."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.config = config
        widths = config.conv_channels
        self.stem = ConvUnit(config, config.in_channels, widths[0], pool=False, stem=True)
        stages = []
        last = len(widths) - 2
        for index, (cin, cout) in enumerate(zip(widths, widths[1:])):
            layers: list[nn.Module] = [ConvUnit(config, cin, cout, pool=True)]
            layers += [ResidualBlock(config, cout) for _ in range(config.depth if index < last else 0)]
            stages.append(nn.Sequential(*layers))
        self.stages = nn.Sequential(*stages)
        self.global_pool = nn.AdaptiveMaxPool2d(1)
        sizes = (widths[-1], *config.fc_sizes)
        self.linears = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes, sizes[1:]))
        self.activation = ACTIVATIONS[config.activation]
        self.dropout = nn.Dropout(config.dropout) if config.dropout > 0 else None
        self.out = nn.Linear(sizes[-1], config.num_classes, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stages(self.stem(x))
        x = self.global_pool(x).flatten(1)
        for linear in self.linears:
            x = self.activation(linear(x))
            if self.dropout is not None:
                x = self.dropout(x)
        if self.dropout is not None and not self.linears:
            x = self.dropout(x)
        return self.out(x) * LOGIT_SCALE
