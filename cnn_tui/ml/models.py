"""The lecture's network and its variants: each one a frozen config plus one nn.Module that builds from it."""

from __future__ import annotations

import torch
from torch import nn

from cnn_tui.ml.model_config import ACTIVATIONS, ModelConfig, ModelConfigError
from cnn_tui.ml.model_help import MODEL_HELP  # noqa: F401  (re-exported: one-line help per preset)
from cnn_tui.ml.own_forward import bound_forward
from cnn_tui.ml.own_model import build_file_model, file_config, is_model_file
from cnn_tui.ml.resnet import ResidualNet

# Activations that never decrease: for them max-pool(act(x)) == act(max-pool(x)), so the network
# pools first and applies the activation to a quarter of the values (same outputs, 1.3–1.5× faster
# training steps for the lecture's net on the CPU: benchmarks/README.md). GELU and SiLU dip below
# zero, so they keep the lecture's order.
MONOTONIC = frozenset({"relu", "leaky_relu"})

LECTURE = ModelConfig()
# The homework's first two suggestions together: more conv channels, bigger fully connected layers.
WIDE = ModelConfig(name="wide", conv_channels=(32, 64), fc_sizes=(256, 128))
# The wide net with BatchNorm after every convolution and dropout between the linears.
WIDE_BN = ModelConfig(name="wide_bn", conv_channels=(32, 64), fc_sizes=(256, 128), batch_norm=True, dropout=0.1)
# A small residual network for the CPU (cnn_tui.ml.resnet); tuned with benchmarks/homework_accuracy.py.
RESNET = ModelConfig(
    name="resnet", arch="residual", conv_channels=(32, 64, 128, 256), fc_sizes=(), padding=1, batch_norm=True, depth=1
)

# name -> config; one-line descriptions live in MODEL_HELP (cnn_tui.ml.model_help, no torch).
# `best` (issue 18): the resnet's layers, trained with the `best` recipe (whitened first layer, time-budgeted epochs).
BEST = ModelConfig(
    name="best", arch="residual", conv_channels=(32, 64, 128, 256), fc_sizes=(), padding=1, batch_norm=True, depth=1
)
MODELS: dict[str, ModelConfig] = {c.name: c for c in (LECTURE, WIDE, WIDE_BN, RESNET, BEST)}


class ImageClassification(nn.Module):
    """The lecture's network, generalised by `ModelConfig`; with the default config it is the lecture's exactly."""

    def __init__(self, config: ModelConfig = LECTURE) -> None:
        super().__init__()
        self.config = config
        self.activation = ACTIVATIONS[config.activation]
        self.pool_first = config.activation in MONOTONIC
        self.n_convs = len(config.conv_channels)
        self.n_linears = len(config.fc_sizes)
        channels = (config.in_channels, *config.conv_channels)
        for i in range(self.n_convs):
            conv = nn.Conv2d(
                channels[i], channels[i + 1], stride=1, kernel_size=config.kernel_size, padding=config.padding
            )
            setattr(self, f"conv{i + 1}", conv)
            if config.batch_norm:
                setattr(self, f"bn{i + 1}", nn.BatchNorm2d(channels[i + 1]))
            setattr(self, f"pool{i + 1}", nn.MaxPool2d(kernel_size=config.pool_size, stride=config.pool_size))
        sizes = (config.feature_size(), *config.fc_sizes)
        for j in range(self.n_linears):
            setattr(self, f"linear{j + 1}", nn.Linear(sizes[j], sizes[j + 1]))
        self.dropout = nn.Dropout(config.dropout) if config.dropout > 0 else None
        self.out = nn.Linear(sizes[-1], config.num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for i in range(1, self.n_convs + 1):
            x = getattr(self, f"conv{i}")(x)
            if self.config.batch_norm:
                x = getattr(self, f"bn{i}")(x)
            pool = getattr(self, f"pool{i}")
            x = self.activation(pool(x)) if self.pool_first else pool(self.activation(x))
        x = x.reshape(x.size(0), -1)
        for j in range(1, self.n_linears + 1):
            x = self.activation(getattr(self, f"linear{j}")(x))
            if self.dropout is not None:
                x = self.dropout(x)
        return self.out(x)


def model_config(name: str) -> ModelConfig:
    """The registered config called `name`, or the learner's `path/to/file.py:ClassName` (checked by building it once);
    ModelConfigError lists the choices otherwise."""
    if is_model_file(name):
        return file_config(name)
    try:
        return MODELS[name]
    except KeyError:
        raise ModelConfigError("error.model.unknown_model", name=name, choices=", ".join(MODELS)) from None


def with_classes(config: ModelConfig, num_classes: int | None) -> ModelConfig:
    """`config` scoring `num_classes` classes (itself when None or unchanged)."""
    if num_classes is None or num_classes == config.num_classes:
        return config
    return ModelConfig.from_dict({**config.to_dict(), "num_classes": num_classes})


def build_model(config: ModelConfig | str = LECTURE, *, num_classes: int | None = None) -> nn.Module:
    """A fresh model from a config or a registered name, optionally with a different number of classes."""
    if isinstance(config, str):
        config = model_config(config)
    config = with_classes(config, num_classes)
    if config.arch == "file":
        return bound_forward(build_file_model(config), config)  # every forward then has the own-code time limit
    if config.arch == "residual":
        return ResidualNet(config)
    return ImageClassification(config)


def count_parameters(model: nn.Module, trainable_only: bool = False) -> int:
    """Number of parameters (81,302 for the lecture's network)."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)
