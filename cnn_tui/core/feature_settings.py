"""The Feature maps tab's settings and the shape chain they give, by the lecture's formula alone."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from cnn_tui.config import FEATURE_MAP_DEFAULTS as DEFAULTS
from cnn_tui.config import LIMITS as CONFIG_LIMITS
from cnn_tui.core.kernels import PRESETS, fits

RANDOM = "random"
"""The kernel choice meaning PyTorch's default initialisation under the settings' seed."""
POOL_MODES: tuple[str, ...] = ("none", "max", "avg")
POOL_CLASSES: dict[str, str] = {"max": "MaxPool2d", "avg": "AvgPool2d"}

# Ranges the tab's keys move within (PyTorch allows more; these keep the view readable: config.Limits).
LIMITS: dict[str, tuple[int, int]] = {
    "out_channels": (1, CONFIG_LIMITS.feature_out_channels),
    "kernel_size": (1, CONFIG_LIMITS.feature_kernel_size),
    "stride": (1, CONFIG_LIMITS.feature_stride),
    "padding": (0, CONFIG_LIMITS.feature_padding),
    "pool_kernel": (1, CONFIG_LIMITS.feature_pool),
    "pool_stride": (1, CONFIG_LIMITS.feature_pool),
    "seed": (0, 2**31 - 1),
}

# Error code -> English message; the UI translates the code as `feature_maps.error.<code>`.
ERRORS: dict[str, str] = {
    "range": "{name} must be between {low} and {high}, got {value}",
    "pool_mode": "pooling must be one of none, max, avg, got {value!r}",
    "kernel_name": "unknown kernel {value!r}",
    "kernel_size_preset": "the {value} kernel needs kernel_size of at least {low}",
    "conv_too_big": "kernel_size {kernel} does not fit the padded image {padded}×{padded_w}: make it smaller or pad more",
    "pool_too_big": "the pooling window {kernel} does not fit the {size}×{size_w} feature map: make it smaller",
    "image_channels": "the image must be H × W × 3, got shape {value}",
}


class FeatureSettingsError(ValueError):
    """Settings PyTorch would reject or the tab does not offer; `code` keys ERRORS, `fields` fill it."""

    def __init__(self, code: str, **fields: object) -> None:
        self.code = code
        self.fields = fields
        super().__init__(ERRORS[code].format(**fields))


@dataclass(frozen=True)
class FeatureMapSettings:
    """One run of the pipeline. The defaults (config.FeatureMapDefaults) are the lecture's:
    Conv2d(3, 3, kernel_size=3, stride=2, padding=0), no ReLU, no pooling."""

    out_channels: int = DEFAULTS.out_channels
    kernel_size: int = DEFAULTS.kernel_size
    stride: int = DEFAULTS.stride
    padding: int = DEFAULTS.padding
    relu: bool = False
    pool: str = "none"
    pool_kernel: int = DEFAULTS.pool_kernel
    pool_stride: int = DEFAULTS.pool_stride
    seed: int = DEFAULTS.seed
    kernels: tuple[str, ...] = field(default=())  # per output channel; missing entries are RANDOM

    def __post_init__(self) -> None:
        for name, (low, high) in LIMITS.items():
            value = getattr(self, name)
            if not low <= value <= high:
                raise FeatureSettingsError("range", name=name, low=low, high=high, value=value)
        if self.pool not in POOL_MODES:
            raise FeatureSettingsError("pool_mode", value=self.pool)
        for name in self.kernels:
            if name != RANDOM and name not in PRESETS:
                raise FeatureSettingsError("kernel_name", value=name)
        # One canonical form, so equal pipelines compare equal: no choices past out_channels,
        # no trailing RANDOM (missing entries mean RANDOM).
        kernels = list(self.kernels[: self.out_channels])
        while kernels and kernels[-1] == RANDOM:
            kernels.pop()
        object.__setattr__(self, "kernels", tuple(kernels))

    def kernel_for(self, channel: int) -> str:
        """The kernel choice of output channel `channel` (RANDOM unless a preset was picked)."""
        return self.kernels[channel] if channel < len(self.kernels) else RANDOM

    def channel_kernels(self) -> tuple[str, ...]:
        """One kernel choice per output channel."""
        return tuple(self.kernel_for(i) for i in range(self.out_channels))

    def with_kernel(self, channel: int, name: str) -> FeatureMapSettings:
        """These settings with output channel `channel` using kernel `name`."""
        kernels = list(self.channel_kernels())
        kernels[channel] = name
        return replace(self, kernels=tuple(kernels))

    def with_all_kernels(self, name: str) -> FeatureMapSettings:
        """These settings with every output channel using kernel `name`."""
        return replace(self, kernels=() if name == RANDOM else (name,) * self.out_channels)

    def conv_text(self, in_channels: int = 3) -> str:
        """The layer as the lecture writes it: `Conv2d(3, 3, kernel_size=3, stride=2, padding=0)`."""
        return (
            f"Conv2d({in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}, padding={self.padding})"
        )

    def pool_text(self) -> str:
        """`MaxPool2d(kernel_size=2, stride=2)` (or AvgPool2d); empty without pooling."""
        if self.pool == "none":
            return ""
        return f"{POOL_CLASSES[self.pool]}(kernel_size={self.pool_kernel}, stride={self.pool_stride})"


@dataclass(frozen=True)
class AxisFormula:
    """N = (W − F + 2P) / S + 1 for one axis, with its numbers."""

    size: int  # W
    kernel: int  # F
    padding: int  # P
    stride: int  # S

    @property
    def numerator(self) -> int:
        return self.size - self.kernel + 2 * self.padding

    @property
    def output(self) -> int:
        return self.numerator // self.stride + 1

    @property
    def exact(self) -> bool:
        return self.numerator % self.stride == 0

    def text(self, quotient: bool = True) -> str:
        """`(5 − 3 + 2×1) / 1 + 1 = 5`; ⌊…⌋ marks a division PyTorch floors, and with `quotient`
        the floored value is written out: `⌊(640 − 3 + 2×0) / 2⌋ + 1 = ⌊318.5⌋ + 1 = 319`."""
        inner = f"({self.size} − {self.kernel} + 2×{self.padding}) / {self.stride}"
        if self.exact:
            return f"{inner} + 1 = {self.output}"
        middle = f" = ⌊{self.numerator / self.stride:.4g}⌋ + 1" if quotient else ""
        return f"⌊{inner}⌋ + 1{middle} = {self.output}"


@dataclass(frozen=True)
class ShapeStep:
    """One arrow of the chain: the operation, the shape after it and, for conv and pool, the formulas."""

    kind: str  # "image", "to_tensor", "conv", "relu", "pool"
    layer: str  # the code of the step, e.g. `Conv2d(3, 3, kernel_size=3, stride=2, padding=0)`
    shape: tuple[int, ...]
    rows: AxisFormula | None = None
    cols: AxisFormula | None = None

    def shape_text(self) -> str:
        """The shape as PyTorch prints it (`torch.Size([1, 3, 319, 319])`), or numpy's tuple for the image."""
        if self.kind == "image":
            return str(self.shape)
        return f"torch.Size([{', '.join(str(n) for n in self.shape)}])"


def shape_chain(settings: FeatureMapSettings, height: int, width: int, channels: int = 3) -> list[ShapeStep]:
    """Every shape from the H×W×C image to the last layer's output; FeatureSettingsError if a layer does not fit."""
    if channels != 3:
        raise FeatureSettingsError("image_channels", value=(height, width, channels))
    s = settings
    for name in s.channel_kernels():
        if name != RANDOM and not fits(name, s.kernel_size):
            raise FeatureSettingsError("kernel_size_preset", value=name, low=PRESETS[name].min_size)
    if s.kernel_size > height + 2 * s.padding or s.kernel_size > width + 2 * s.padding:
        raise FeatureSettingsError(
            "conv_too_big", kernel=s.kernel_size, padded=height + 2 * s.padding, padded_w=width + 2 * s.padding
        )
    steps = [
        ShapeStep("image", "", (height, width, channels)),
        ShapeStep("to_tensor", "permute(2, 0, 1).unsqueeze(0)", (1, channels, height, width)),
    ]
    rows = AxisFormula(height, s.kernel_size, s.padding, s.stride)
    cols = AxisFormula(width, s.kernel_size, s.padding, s.stride)
    shape = (1, s.out_channels, rows.output, cols.output)
    steps.append(ShapeStep("conv", s.conv_text(channels), shape, rows, cols))
    if s.relu:
        steps.append(ShapeStep("relu", "ReLU()", shape))
    if s.pool != "none":
        if s.pool_kernel > shape[2] or s.pool_kernel > shape[3]:
            raise FeatureSettingsError("pool_too_big", kernel=s.pool_kernel, size=shape[2], size_w=shape[3])
        prow = AxisFormula(shape[2], s.pool_kernel, 0, s.pool_stride)
        pcol = AxisFormula(shape[3], s.pool_kernel, 0, s.pool_stride)
        steps.append(ShapeStep("pool", s.pool_text(), (1, s.out_channels, prow.output, pcol.output), prow, pcol))
    return steps
