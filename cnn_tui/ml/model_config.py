"""A network's settings as one frozen dataclass (`ModelConfig`), checked on creation, with the activations it may name.

`cnn_tui.ml.models` registers the lecture's network and its variants and builds any config;
`cnn_tui.ml.resnet` and `cnn_tui.ml.own_model` build the residual and the learner's own networks from it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

import torch
import torch.nn.functional as F

from cnn_tui.config import LIMITS
from cnn_tui.i18n import LocalizedError

ARCHS = ("plain", "residual", "file")
# Fields a network from the learner's own file keeps (the layer settings do not apply to it).
FILE_FIELDS = ("name", "arch", "file", "class_name", "sha256", "in_channels", "image_size", "num_classes")
ACTIVATIONS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "relu": F.relu,
    "leaky_relu": F.leaky_relu,
    "gelu": F.gelu,
    "silu": F.silu,
}


class ModelConfigError(LocalizedError, ValueError):
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
            raise ModelConfigError("error.model.unknown_arch", arch=self.arch, choices=", ".join(ARCHS))
        if self.arch == "file":
            if not self.file or not self.class_name:
                raise ModelConfigError("error.model.file_fields")
            return
        if self.depth < 0 or (self.depth and self.arch != "residual"):
            raise ModelConfigError("error.model.depth")
        if self.arch == "residual" and (self.kernel_size % 2 == 0 or len(self.conv_channels) < 2):
            raise ModelConfigError("error.model.residual_shape")
        if self.activation not in ACTIVATIONS:
            raise ModelConfigError("error.model.unknown_activation", activation=self.activation, choices=", ".join(ACTIVATIONS))
        if not self.conv_channels or min(self.conv_channels) < 1:
            raise ModelConfigError("error.model.conv_channels")
        if any(size < 1 for size in self.fc_sizes) or self.num_classes < 2:
            raise ModelConfigError("error.model.fc_sizes")
        if not 0.0 <= self.dropout < 1.0:
            raise ModelConfigError("error.model.dropout")
        if self.feature_size() < 1:
            raise ModelConfigError("error.model.shrinks", stages=len(self.conv_channels), size=self.image_size)
        self._check_size()

    def _check_size(self) -> None:
        """Refuse a network over LIMITS before anything is built (checkpoint metadata, --channels 100000,100000)."""
        activations = self.activation_count()
        if activations > LIMITS.model_activations:
            raise ModelConfigError(
                "error.model.too_many_activations",
                activations=activations,
                limit=LIMITS.model_activations,
                megabytes=LIMITS.model_activations * 4 // 1_000_000,
            )
        parameters = self.parameter_count()
        if parameters > LIMITS.model_parameters:
            raise ModelConfigError(
                "error.model.too_many_parameters",
                parameters=parameters,
                limit=LIMITS.model_parameters,
                megabytes=LIMITS.model_parameters * 4 // 1_000_000,
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
            raise ModelConfigError("error.model.unknown_settings", names=", ".join(unknown))
        values = dict(data)
        for key in ("conv_channels", "fc_sizes"):
            if key in values:
                values[key] = tuple(int(v) for v in values[key])
        return cls(**values)
