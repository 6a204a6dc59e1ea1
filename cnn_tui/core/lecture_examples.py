"""Every worked example of the lecture's 卷积层 and 池化层 sections as a named preset."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cnn_tui.core.conv_trace import ConvTrace
from cnn_tui.core.pool_trace import PoolTrace

Nested = tuple  # nested tuples of numbers, turned into arrays on use

_IMAGE_5X5 = ((1, 1, 1, 0, 0), (0, 1, 1, 1, 0), (0, 0, 1, 1, 1), (0, 0, 1, 1, 0), (0, 1, 1, 0, 0))
_KERNEL_X = ((1, 0, 1), (0, 1, 0), (1, 0, 1))
_RGB_5X5 = (
    ((0, 1, 1, 2, 2), (0, 1, 1, 0, 0), (1, 1, 0, 1, 0), (1, 0, 1, 1, 1), (0, 2, 0, 1, 0)),
    ((1, 1, 1, 2, 0), (0, 2, 1, 1, 2), (1, 2, 0, 0, 2), (0, 2, 1, 2, 1), (2, 0, 1, 2, 0)),
    ((2, 0, 2, 0, 2), (0, 0, 1, 2, 1), (1, 0, 2, 2, 1), (2, 0, 2, 0, 0), (0, 0, 1, 1, 2)),
)
_KERNEL_RGB_A = (((1, 0, -1), (0, 1, 0), (1, 0, 1)), ((-1, 0, 0), (1, -1, 1), (0, 1, 0)), ((0, 1, 1), (-1, 0, 1), (0, -1, 0)))
_KERNEL_RGB_B = (((0, 1, 0), (1, -1, 0), (-1, 0, 1)), ((1, 0, 1), (0, 0, -1), (1, 1, 0)), ((-1, 1, 0), (0, 1, 1), (1, 0, -1)))
_RANGE_3X3 = ((0, 1, 2), (3, 4, 5), (6, 7, 8))
_RANGE_4X4 = ((0, 1, 2, 3), (4, 5, 6, 7), (8, 9, 10, 11), (12, 13, 14, 15))


@dataclass(frozen=True)
class ConvExample:
    """A convolution from the lecture: input [C][H][W], kernels [C_out][C_in][kH][kW], settings."""

    name: str
    section: str  # the lecture's heading
    description: str
    input: Nested
    weights: Nested
    bias: tuple[float, ...] = ()
    stride: int = 1
    padding: int = 0
    expected: Nested | None = None  # the output as printed (or drawn) in the lecture
    formula: str | None = None  # the lecture's size arithmetic, e.g. "(5 − 3 + 2) / 1 + 1 = 5"
    kind: str = field(default="conv", init=False)

    def trace(self) -> ConvTrace:
        return ConvTrace(
            np.array(self.input, dtype=np.float64),
            np.array(self.weights, dtype=np.float64),
            np.array(self.bias, dtype=np.float64) if self.bias else None,
            stride=self.stride,
            padding=self.padding,
        )


@dataclass(frozen=True)
class PoolExample:
    """A pooling from the lecture: input [C][H][W], mode, kernel, stride, padding."""

    name: str
    section: str
    description: str
    input: Nested
    mode: str
    kernel_size: int
    stride: int
    padding: int = 0
    expected: Nested | None = None
    kind: str = field(default="pool", init=False)

    def trace(self) -> PoolTrace:
        return PoolTrace(
            np.array(self.input, dtype=np.float64), self.mode, self.kernel_size, self.stride, self.padding
        )


CONV_EXAMPLES: tuple[ConvExample, ...] = (
    ConvExample(
        "conv-basic", "卷积计算", "5×5 input, 3×3 kernel: the dot product of kernel and window",
        (_IMAGE_5X5,), ((_KERNEL_X,),),
        expected=(((4, 3, 4), (2, 4, 3), (2, 3, 4)),), formula="(5 − 3 + 0) / 1 + 1 = 3",
    ),
    ConvExample(
        "conv-padding", "Padding（填充）", "5×5 input, 3×3 kernel, padding 1 keeps the size: 5×5",
        (_IMAGE_5X5,), ((_KERNEL_X,),), padding=1, formula="(5 − 3 + 2) / 1 + 1 = 5",
    ),
    ConvExample(
        "conv-stride", "Stride (步长)", "5×5 input, 3×3 kernel, padding 1, stride 2: 3×3",
        (_IMAGE_5X5,), ((_KERNEL_X,),), stride=2, padding=1, formula="(5 − 3 + 2) / 2 + 1 = 3",
    ),
    ConvExample(
        "conv-multi-channel", "多通道卷积计算", "3 channels, one 3×3×3 kernel, bias 1: channel sums added",
        _RGB_5X5, (_KERNEL_RGB_A,), bias=(1,), formula="(5 − 3 + 0) / 1 + 1 = 3",
    ),
    ConvExample(
        "conv-multi-kernel", "多卷积核卷积计算", "3 channels, 2 kernels, padding 1, stride 2: 2 output channels",
        _RGB_5X5, (_KERNEL_RGB_A, _KERNEL_RGB_B), bias=(1, 0), stride=2, padding=1,
        formula="(5 − 3 + 2) / 2 + 1 = 3",
    ),
)

POOL_EXAMPLES: tuple[PoolExample, ...] = (
    PoolExample(
        "max-pool-padding", "池化层 Padding", "3×3 input 0..8, 2×2 max pooling, stride 1, padding 1",
        (_RANGE_3X3,), "max", 2, 1, 1,
        expected=(((0, 1, 2, 2), (3, 4, 5, 5), (6, 7, 8, 8), (6, 7, 8, 8)),),
    ),
    PoolExample(
        "avg-pool-padding", "池化层 Padding", "3×3 input 0..8, 2×2 average pooling, stride 1, padding 1",
        (_RANGE_3X3,), "avg", 2, 1, 1,
        expected=(((0, 0.25, 0.75, 0.5), (0.75, 2, 3, 1.75), (2.25, 5, 6, 3.25), (1.5, 3.25, 3.75, 2)),),
    ),
    PoolExample(
        "max-pool-stride", "池化层 Stride", "4×4 input 0..15, 2×2 max pooling, stride 2",
        (_RANGE_4X4,), "max", 2, 2, expected=(((5, 7), (13, 15)),),
    ),
    PoolExample(
        "avg-pool-stride", "池化层 Stride", "4×4 input 0..15, 2×2 average pooling, stride 2",
        (_RANGE_4X4,), "avg", 2, 2, expected=(((2.5, 4.5), (10.5, 12.5)),),
    ),
    PoolExample(
        "max-pool-api", "PyTorch 池化 API", "nn.MaxPool2d(kernel_size=2, stride=1, padding=0) on 0..8",
        (_RANGE_3X3,), "max", 2, 1, expected=(((4, 5), (7, 8)),),
    ),
    PoolExample(
        "avg-pool-api", "PyTorch 池化 API", "nn.AvgPool2d(kernel_size=2, stride=1, padding=0) on 0..8",
        (_RANGE_3X3,), "avg", 2, 1, expected=(((2, 3), (5, 6)),),
    ),
    PoolExample(
        "max-pool-channels", "多通道池化层计算", "3 channels, 2×2 max pooling, stride 1: each channel on its own",
        (_RANGE_3X3, ((10, 20, 30), (40, 50, 60), (70, 80, 90)), ((11, 22, 33), (44, 55, 66), (77, 88, 99))),
        "max", 2, 1,
        expected=(((4, 5), (7, 8)), ((50, 60), (80, 90)), ((55, 66), (88, 99))),
    ),
)

EXAMPLES: dict[str, ConvExample | PoolExample] = {e.name: e for e in (*CONV_EXAMPLES, *POOL_EXAMPLES)}


def example(name: str) -> ConvExample | PoolExample:
    """The preset called `name`; KeyError lists the names when there is none."""
    try:
        return EXAMPLES[name]
    except KeyError:
        raise KeyError(f"no preset {name!r}; choose one of: {', '.join(EXAMPLES)}") from None
