"""Output-size arithmetic per axis (padding, stride, dilation, ceil mode) and PyTorch's rules for valid settings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cnn_tui.config import LIMITS

Pair = tuple[int, int]

# Rule code -> English message; the fields are filled by SettingsError. The UI translates
# the same codes through its catalogue (`engine.rule.<code>`), with the same fields.
RULES: dict[str, str] = {
    "stride_positive": "{parameter} must be at least 1 (got {value}): the window has to move",
    "padding_non_negative": "{parameter} must be 0 or more (got {value})",
    "dilation_positive": "{parameter} must be at least 1 (got {value})",
    "kernel_positive": "{parameter} must be at least 1 (got {value})",
    "kernel_fits": (
        "{parameter} {kernel} is larger than the padded input {padded} "
        "(input {size} + 2×padding): the kernel must fit inside"
    ),
    "pool_padding_half": (
        "{parameter} {value} is more than half the kernel size {kernel} "
        "(PyTorch allows at most {limit}): a window would see only padding"
    ),
    "output_empty": "the output would be empty ({output}): {parameter} {kernel} does not fit the padded input {padded}",
    "channels_match": (
        "{parameter}: the kernel has {kernel_channels} channel(s) but the input has {input_channels}; "
        "in_channels must match"
    ),
    "bias_count": "{parameter} has {value} number(s) but there are {kernels} kernel(s): give one per kernel",
    "input_empty": "{parameter} must have at least one row and one column (got {value})",
    "pool_mode": "{parameter} must be 'max' or 'avg' (got {value!r})",
    "too_large": (
        "these settings need about {numbers:,} numbers (padded input {padded}, output {output}), over the limit "
        "of {limit:,} (about {megabytes:,} MB) that keeps one step-by-step trace in memory and quick; "
        "use less padding, a smaller input, a smaller kernel or fewer kernels"
    ),
}


class SettingsError(ValueError):
    """A setting PyTorch would reject. `parameter` names it, `rule` is a key of RULES, `fields` fill it."""

    def __init__(self, parameter: str, rule: str, **fields: object) -> None:
        self.parameter = parameter
        self.rule = rule
        self.fields = {"parameter": parameter, **fields}
        super().__init__(RULES[rule].format(**self.fields))


def as_pair(value: int | Sequence[int], name: str) -> Pair:
    """`3` -> (3, 3); `(2, 3)` -> (2, 3); anything else is an error naming `name`."""
    if isinstance(value, bool):
        raise TypeError(f"{name} must be an int or a pair of ints, not {value!r}")
    if isinstance(value, int):
        return (value, value)
    items = tuple(value)
    if len(items) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) for v in items):
        raise TypeError(f"{name} must be an int or a pair of ints, not {value!r}")
    return (items[0], items[1])


def pair_text(pair: Pair) -> str:
    """How PyTorch code writes a size: `3` when both axes agree, else `(2, 3)`."""
    return str(pair[0]) if pair[0] == pair[1] else f"({pair[0]}, {pair[1]})"


def size_text(pair: Pair) -> str:
    """A 2-D size as the lecture writes it: `5×5`."""
    return f"{pair[0]}×{pair[1]}"


@dataclass(frozen=True)
class AxisGeometry:
    """The output size along one axis and every number of the formula that gives it."""

    axis: str  # "H" (rows) or "W" (columns)
    size: int  # W: input size along this axis
    kernel: int  # F
    stride: int  # S
    padding: int  # P
    dilation: int  # D
    ceil_mode: bool
    output: int  # N
    numerator: int  # W + 2P − D(F − 1) − 1, which is W − F + 2P when D = 1
    exact: bool  # the division by S leaves no remainder
    ceil_corrected: bool  # ceil mode dropped a last window that would start in the right padding
    uncovered: tuple[int, ...]  # input indices (0-based, unpadded) that no window touches

    @property
    def effective_kernel(self) -> int:
        """The span of the (dilated) kernel: D(F − 1) + 1."""
        return self.dilation * (self.kernel - 1) + 1

    @property
    def padded(self) -> int:
        """The input size with padding on both sides: W + 2P."""
        return self.size + 2 * self.padding

    @property
    def extent(self) -> int:
        """How far the windows reach in padded coordinates (beyond `padded` only in ceil mode)."""
        return max(self.padded, (self.output - 1) * self.stride + self.effective_kernel)

    def window(self, index: int) -> range:
        """Padded positions under the window of output index `index`."""
        start = index * self.stride
        return range(start, start + self.effective_kernel, self.dilation)

    def symbolic(self) -> str:
        """The formula in letters, as the lecture writes it (with D when dilated)."""
        if self.dilation == 1:
            inner = "(W − F + 2P) / S"
        else:
            inner = "(W + 2P − D(F − 1) − 1) / S"
        if self.exact:
            return f"N = {inner} + 1"
        return f"N = {self._bracket(inner)} + 1"

    def numeric(self) -> str:
        """The formula with this axis's numbers filled in, e.g. `(5 − 3 + 2) / 1 + 1 = 5`."""
        if self.dilation == 1:
            inner = f"({self.size} − {self.kernel} + {2 * self.padding}) / {self.stride}"
        else:
            inner = (
                f"({self.size} + {2 * self.padding} − {self.dilation}×({self.kernel} − 1) − 1) / {self.stride}"
            )
        if self.exact:
            return f"{inner} + 1 = {self.output}"
        quotient = f"{self.numerator / self.stride:.4g}"
        rounded = self._bracket(inner)
        text = f"{rounded} + 1 = {self._bracket(quotient)} + 1"
        if self.ceil_corrected:
            text += " − 1"
        return f"{text} = {self.output}"

    def _bracket(self, text: str) -> str:
        return f"⌈{text}⌉" if self.ceil_mode else f"⌊{text}⌋"


def axis_geometry(
    axis: str, size: int, kernel: int, stride: int, padding: int, dilation: int = 1, ceil_mode: bool = False
) -> AxisGeometry:
    """The geometry of one axis; the settings must already be valid (see check_conv / check_pool)."""
    numerator = size + 2 * padding - dilation * (kernel - 1) - 1
    exact = numerator % stride == 0
    corrected = False
    if ceil_mode:
        output = -(-numerator // stride) + 1
        # PyTorch: the last window must start inside the input or its left padding.
        if (output - 1) * stride >= size + padding:
            output -= 1
            corrected = True
    else:
        output = numerator // stride + 1
    covered = np.zeros(size, dtype=bool)
    starts = np.arange(max(output, 0), dtype=np.int64) * stride - padding
    for tap in range(kernel):  # each kernel tap marks one cell of every window
        cells = starts + tap * dilation
        covered[cells[(cells >= 0) & (cells < size)]] = True
    uncovered = tuple(int(i) for i in np.flatnonzero(~covered))
    return AxisGeometry(
        axis=axis, size=size, kernel=kernel, stride=stride, padding=padding, dilation=dilation,
        ceil_mode=ceil_mode, output=output, numerator=numerator, exact=exact,
        ceil_corrected=corrected, uncovered=uncovered,
    )


def _check_common(stride: Pair, padding: Pair, dilation: Pair) -> None:
    for value in stride:
        if value < 1:
            raise SettingsError("stride", "stride_positive", value=value)
    for value in padding:
        if value < 0:
            raise SettingsError("padding", "padding_non_negative", value=value)
    for value in dilation:
        if value < 1:
            raise SettingsError("dilation", "dilation_positive", value=value)


def _outputs(size: Pair, padded: Pair, span: Pair, stride: Pair) -> Pair:
    """Output size per axis for a window of `span` (floor mode; ceil mode adds at most one)."""
    return (max((padded[0] - span[0]) // stride[0] + 1, 1), max((padded[1] - span[1]) // stride[1] + 1, 1))


def check_budget(
    channels: int, padded: Pair, output: Pair, out_channels: int, window: int, extra: int = 0,
    limit: int | None = None,
) -> None:
    """Raise SettingsError("too_large") before a trace holding this many numbers is built.

    The count is the padded input (channels × padded), the output (out_channels × output) and the
    products of every window (out_channels × output × window, where window is C_in·kH·kW for a
    convolution and kH·kW for pooling), plus `extra`."""
    limit = LIMITS.trace_numbers if limit is None else limit
    cells = output[0] * output[1]
    numbers = channels * padded[0] * padded[1] + out_channels * cells * (1 + window) + extra
    if numbers > limit:
        raise SettingsError(
            "settings", "too_large", numbers=numbers, limit=limit, megabytes=limit * 8 // 1_000_000,
            padded=size_text(padded), output=size_text(output),
        )


def _check_input(size: Pair) -> None:
    if size[0] < 1 or size[1] < 1:
        raise SettingsError("input", "input_empty", value=size_text(size))


def check_conv(
    input_shape: tuple[int, int, int],
    weight_shape: tuple[int, int, int, int],
    bias_count: int,
    stride: Pair,
    padding: Pair,
    dilation: Pair,
) -> tuple[AxisGeometry, AxisGeometry]:
    """Apply PyTorch's conv2d rules; returns the (rows, columns) geometry or raises SettingsError."""
    channels, height, width = input_shape
    kernels, kernel_channels, kh, kw = weight_shape
    _check_input((height, width))
    _check_common(stride, padding, dilation)
    for value in (kh, kw):
        if value < 1:
            raise SettingsError("kernel_size", "kernel_positive", value=value)
    if kernel_channels != channels:
        raise SettingsError(
            "in_channels", "channels_match", kernel_channels=kernel_channels, input_channels=channels
        )
    if bias_count != kernels:
        raise SettingsError("bias", "bias_count", value=bias_count, kernels=kernels)
    effective = (dilation[0] * (kh - 1) + 1, dilation[1] * (kw - 1) + 1)
    padded = (height + 2 * padding[0], width + 2 * padding[1])
    if effective[0] > padded[0] or effective[1] > padded[1]:
        raise SettingsError(
            "kernel_size", "kernel_fits", kernel=size_text(effective), padded=size_text(padded),
            size=size_text((height, width)),
        )
    output = _outputs((height, width), padded, effective, stride)
    check_budget(channels, padded, output, kernels, channels * kh * kw, extra=kernels * channels * kh * kw)
    return (
        axis_geometry("H", height, kh, stride[0], padding[0], dilation[0]),
        axis_geometry("W", width, kw, stride[1], padding[1], dilation[1]),
    )


def check_pool(
    input_shape: tuple[int, int, int], kernel: Pair, stride: Pair, padding: Pair, ceil_mode: bool
) -> tuple[AxisGeometry, AxisGeometry]:
    """Apply PyTorch's max/avg pool2d rules; returns the (rows, columns) geometry or raises SettingsError."""
    _, height, width = input_shape
    _check_input((height, width))
    for value in kernel:
        if value < 1:
            raise SettingsError("kernel_size", "kernel_positive", value=value)
    _check_common(stride, padding, (1, 1))
    for pad, size in zip(padding, kernel):
        if pad > size // 2:
            raise SettingsError("padding", "pool_padding_half", value=pad, kernel=size, limit=size // 2)
    padded = (height + 2 * padding[0], width + 2 * padding[1])
    output = _outputs((height, width), padded, kernel, stride)
    output = (output[0] + int(ceil_mode), output[1] + int(ceil_mode))
    # The padded array also gets room for ceil-mode windows (one stride more) and a kind per cell.
    room = (padded[0] + stride[0] * int(ceil_mode), padded[1] + stride[1] * int(ceil_mode))
    check_budget(input_shape[0], room, output, input_shape[0], kernel[0] * kernel[1], extra=room[0] * room[1])
    rows = axis_geometry("H", height, kernel[0], stride[0], padding[0], 1, ceil_mode)
    cols = axis_geometry("W", width, kernel[1], stride[1], padding[1], 1, ceil_mode)
    if rows.output < 1 or cols.output < 1:
        raise SettingsError(
            "kernel_size", "output_empty", output=size_text((rows.output, cols.output)),
            kernel=size_text(kernel), padded=size_text((rows.padded, cols.padded)),
        )
    return rows, cols
