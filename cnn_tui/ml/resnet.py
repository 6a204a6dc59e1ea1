"""A small residual network built for speed on the CPU (airbench-style), from a `ModelConfig` with arch="residual".

The layout: a 3×3 stem convolution whose output is max-pooled at once (so no layer after it
works at full 32×32 resolution), then one stage per remaining entry of `conv_channels`: a 3×3
convolution, 2×2 max pooling, BatchNorm and the activation, followed by `depth` residual
blocks (two 3×3 conv → BatchNorm → activation, added to their input). A global max pool
feeds the optional hidden linears of `fc_sizes` and the output layer, whose logits are scaled
by 1/8 as in the DAWNBench ResNet, which lets SGD run at a high learning rate. Pooling before
BatchNorm and the activation keeps the element-wise work on the CPU a quarter of the size.
"""

from __future__ import annotations

import torch
from torch import nn

from cnn_tui.ml.models import ACTIVATIONS, ModelConfig

LOGIT_SCALE = 0.125


class ConvUnit(nn.Module):
    """conv (3×3, same padding) → optional max-pool → BatchNorm (or a conv bias) → activation."""

    def __init__(self, config: ModelConfig, cin: int, cout: int, *, pool: bool) -> None:
        super().__init__()
        pad = config.kernel_size // 2
        self.conv = nn.Conv2d(cin, cout, kernel_size=config.kernel_size, padding=pad, bias=not config.batch_norm)
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
    """stem → stages (conv, pool, norm, activation, `depth` residual blocks) → global max pool → linears → out."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.config = config
        widths = config.conv_channels
        self.stem = ConvUnit(config, config.in_channels, widths[0], pool=True)
        stages = []
        for cin, cout in zip(widths, widths[1:]):
            layers: list[nn.Module] = [ConvUnit(config, cin, cout, pool=True)]
            layers += [ResidualBlock(config, cout) for _ in range(config.depth)]
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
