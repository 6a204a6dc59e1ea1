"""The lecture's network and its variants: each one a frozen config plus one nn.Module that builds from it.

`ModelConfig` describes a plain conv → pool stack followed by fully connected layers, the
shape of the lecture's `ImageClassification`. Layers are named as in the lecture
(`conv1, pool1, conv2, pool2, linear1, linear2, out`), activations are applied as functions
(not modules), so the lecture's config has exactly the lecture's `state_dict` and the
torchsummary table shows the same rows. Variants (issue 9) are more entries in `MODELS`;
`arch="residual"` configs build the small residual network of `cnn_tui.ml.resnet` instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from cnn_tui.config import LIMITS
from cnn_tui.ml.model_help import MODEL_HELP  # noqa: F401  (re-exported: one-line help per preset)

ARCHS = ("plain", "residual", "file")
# Fields a network from the learner's own file keeps (the layer settings do not apply to it).
FILE_FIELDS = ("name", "arch", "file", "class_name", "sha256", "in_channels", "image_size", "num_classes")
ACTIVATIONS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "relu": F.relu,
    "leaky_relu": F.leaky_relu,
    "gelu": F.gelu,
    "silu": F.silu,
}
# Activations that never decrease: for them max-pool(act(x)) == act(max-pool(x)), so the network
# pools first and applies the activation to a quarter of the values (same outputs, 1.3–1.5× faster
# training steps for the lecture's net on the CPU: benchmarks/README.md). GELU and SiLU dip below
# zero, so they keep the lecture's order.
MONOTONIC = frozenset({"relu", "leaky_relu"})


class ModelConfigError(ValueError):
    """A model config or model name is not valid; the message says why."""


@dataclass(frozen=True)
class ModelConfig:
    """A lecture-shaped CNN: (conv → activation → max-pool) × len(conv_channels), then linears, then `out`.

    With arch="residual", `conv_channels` are the stem's width then one width per stage, and
    `depth` is the number of residual blocks in each stage (see `cnn_tui.ml.resnet`).
    """

    name: str = "lecture"
    in_channels: int = 3
    image_size: int = 32
    conv_channels: tuple[int, ...] = (6, 16)
    kernel_size: int = 3
    padding: int = 0
    pool_size: int = 2
    fc_sizes: tuple[int, ...] = (120, 84)
    num_classes: int = 10
    activation: str = "relu"
    batch_norm: bool = False
    dropout: float = 0.0
    arch: str = "plain"
    depth: int = 0  # residual blocks per stage (residual networks only)
    # arch="file": the learner's own nn.Module (cnn_tui.ml.own_model), its file, class and the file's SHA-256
    file: str = ""
    class_name: str = ""
    sha256: str = ""

    def __post_init__(self) -> None:
        if self.arch not in ARCHS:
            raise ModelConfigError(f"unknown architecture {self.arch!r}; choose one of {', '.join(ARCHS)}")
        if self.arch == "file":
            if not self.file or not self.class_name:
                raise ModelConfigError("a network from a file needs the file and the class name")
            return
        if self.depth < 0 or (self.depth and self.arch != "residual"):
            raise ModelConfigError("depth (residual blocks per stage) applies to residual networks only, and is ≥ 0")
        if self.arch == "residual" and (self.kernel_size % 2 == 0 or len(self.conv_channels) < 2):
            raise ModelConfigError("a residual network needs an odd kernel size and at least two channel counts (stem, stage)")
        if self.activation not in ACTIVATIONS:
            raise ModelConfigError(
                f"unknown activation {self.activation!r}; choose one of {', '.join(ACTIVATIONS)}"
            )
        if not self.conv_channels or min(self.conv_channels) < 1:
            raise ModelConfigError("conv_channels needs at least one positive channel count")
        if any(size < 1 for size in self.fc_sizes) or self.num_classes < 2:
            raise ModelConfigError("fully connected sizes must be positive and num_classes at least 2")
        if not 0.0 <= self.dropout < 1.0:
            raise ModelConfigError("dropout must be in [0, 1)")
        if self.feature_size() < 1:
            raise ModelConfigError(
                f"{len(self.conv_channels)} conv/pool stages shrink a {self.image_size}×{self.image_size} "
                "image to nothing; use fewer stages, padding or a larger image"
            )
        self._check_size()

    def _check_size(self) -> None:
        """Refuse a network over LIMITS before anything is built (checkpoint metadata, --channels 100000,100000)."""
        activations = self.activation_count()
        if activations > LIMITS.model_activations:
            raise ModelConfigError(
                f"the conv layers of this network would output {activations:,} numbers for one image, over the limit "
                f"of {LIMITS.model_activations:,} (about {LIMITS.model_activations * 4 // 1_000_000:,} MB) that keeps "
                "a forward pass in memory; use fewer channels or a smaller image"
            )
        parameters = self.parameter_count()
        if parameters > LIMITS.model_parameters:
            raise ModelConfigError(
                f"this network would have about {parameters:,} parameters, over the limit of "
                f"{LIMITS.model_parameters:,} (about {LIMITS.model_parameters * 4 // 1_000_000:,} MB of weights, four "
                "times that while training) that keeps it in memory; use fewer channels or smaller fully connected layers"
            )

    def parameter_count(self) -> int:
        """Weights and biases, counted from the settings alone (exact for plain networks, at most a few
        per channel over for residual ones)."""
        k2 = self.kernel_size**2
        extra = 3 if self.batch_norm else 1  # a conv bias, or BatchNorm's weight and bias as well
        total, cin = 0, self.in_channels
        if self.arch == "residual":
            stem = self.conv_channels[0]
            total, cin = cin * stem * 16 + extra * stem, stem  # the 4×4 stem
            last = len(self.conv_channels) - 2  # the last stage has no residual blocks
            for index, cout in enumerate(self.conv_channels[1:]):
                blocks = self.depth if index < last else 0
                total += cin * cout * k2 + extra * cout + 2 * blocks * (cout * cout * k2 + extra * cout)
                cin = cout
        else:
            for cout in self.conv_channels:
                total += cin * cout * k2 + extra * cout
                cin = cout
        sizes = (self.feature_size(), *self.fc_sizes, self.num_classes)
        return total + sum((a + 1) * b for a, b in zip(sizes, sizes[1:]))

    def activation_count(self) -> int:
        """Numbers the conv layers output for one image: the bulk of a forward pass's memory."""
        if self.arch == "residual":
            sides = self.feature_sizes()  # after the stem, then after each stage's pooling
            total = self.conv_channels[0] * sides[0] ** 2
            for channels, side in zip(self.conv_channels[1:], sides[:-1]):
                total += channels * side * side * (1 + 2 * self.depth)  # an upper bound: the last stage has no blocks
            return total
        side, total = self.image_size, 0
        for channels in self.conv_channels:
            side = side + 2 * self.padding - self.kernel_size + 1
            total += channels * max(side, 0) ** 2
            side //= self.pool_size
        return total

    def feature_sizes(self) -> list[int]:
        """The side of the feature map after each conv → pool stage (30→15, 13→6 for the lecture)."""
        side, sides = self.image_size, []
        if self.arch == "residual":  # the stem's stride-2 conv halves the side, then every stage pools
            side = (side + 2 - 4) // 2 + 1
            sides.append(side)
            for _ in self.conv_channels[1:]:
                side //= self.pool_size
                sides.append(side)
            return sides
        for _ in self.conv_channels:
            side = (side + 2 * self.padding - self.kernel_size) + 1
            side = side // self.pool_size
            sides.append(side)
        return sides

    def feature_size(self) -> int:
        """Length of the flattened feature vector fed to `linear1` (576 for the lecture)."""
        side = self.feature_sizes()[-1]
        if self.arch == "residual":  # global max pooling leaves one value per channel
            return self.conv_channels[-1] if side > 0 else 0
        return self.conv_channels[-1] * side * side if side > 0 else 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, stored beside checkpoints."""
        data = asdict(self)
        if self.arch == "file":
            return {key: data[key] for key in FILE_FIELDS}
        for key in ("file", "class_name", "sha256"):
            del data[key]
        data["conv_channels"] = list(self.conv_channels)
        data["fc_sizes"] = list(self.fc_sizes)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ModelConfig:
        """Inverse of `to_dict`; unknown keys are an error so a foreign file is not half-read."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ModelConfigError(f"unknown model settings: {', '.join(unknown)}")
        values = dict(data)
        for key in ("conv_channels", "fc_sizes"):
            if key in values:
                values[key] = tuple(int(v) for v in values[key])
        return cls(**values)


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
MODELS: dict[str, ModelConfig] = {c.name: c for c in (LECTURE, WIDE, WIDE_BN, RESNET)}


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
    from cnn_tui.ml.own_model import file_config, is_model_file

    if is_model_file(name):
        return file_config(name)
    try:
        return MODELS[name]
    except KeyError:
        raise ModelConfigError(
            f"unknown model {name!r}; choose one of {', '.join(MODELS)}, or your own as path/to/file.py:ClassName"
        ) from None


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
        from cnn_tui.ml.own_model import build_file_model

        return build_file_model(config)
    if config.arch == "residual":
        from cnn_tui.ml.resnet import ResidualNet

        return ResidualNet(config)
    return ImageClassification(config)


def count_parameters(model: nn.Module, trainable_only: bool = False) -> int:
    """Number of parameters (81,302 for the lecture's network)."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)
