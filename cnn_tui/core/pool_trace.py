"""Max and average pooling as a sequence of steps, with the full output computed vectorised.

Each channel is pooled on its own (C_out = C_in). Max pooling pads with −∞, so padding never
wins; average pooling pads with zeros and, with `count_include_pad` (PyTorch's default), counts
the padded cells in the divisor — but never the cells a `ceil_mode` window reaches beyond the
padding. The output equals `F.max_pool2d` / `F.avg_pool2d` with the same settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from cnn_tui.core.conv_geometry import AxisGeometry, Pair, SettingsError, as_pair, check_pool, pair_text
from cnn_tui.core.trace_steps import SteppedTrace

MODES = ("max", "avg")

# What a cell under a pooling window is.
INPUT, PADDING, OUTSIDE = 0, 1, 2


@dataclass(frozen=True, slots=True)
class PoolStep:
    """One output cell: the window, its values, and the max's winner or the average's sum and divisor."""

    index: int
    channel: int
    row: int
    col: int
    rows: range  # rows of the padded input (see PoolTrace.padded) under the window
    cols: range
    values: np.ndarray  # (kH, kW): −∞ (max) or 0 (avg) on padding and outside cells
    kinds: np.ndarray  # (kH, kW) of INPUT, PADDING, OUTSIDE
    result: float
    winner: tuple[int, int] | None  # max: (row, col) inside the window of the first largest value
    total: float  # avg: the sum of the window (padding adds zeros)
    divisor: int  # avg: what the sum is divided by

    @property
    def top(self) -> int:
        return self.rows.start

    @property
    def left(self) -> int:
        return self.cols.start

    def counted(self, count_include_pad: bool) -> np.ndarray:
        """(kH, kW) True for the cells an average divides by."""
        if count_include_pad:
            return self.kinds != OUTSIDE
        return self.kinds == INPUT


def _divisors(axis: AxisGeometry, include_pad: bool) -> np.ndarray:
    """Per output index along one axis, how many cells of the window count (PyTorch's rule)."""
    start = np.arange(axis.output) * axis.stride - axis.padding
    end = np.minimum(start + axis.kernel, axis.size + axis.padding)
    if include_pad:
        return end - start
    return np.minimum(end, axis.size) - np.maximum(start, 0)


class PoolTrace(SteppedTrace[PoolStep]):
    """A checked max or average pooling: geometry, padded input, output, and every step on demand."""

    def __init__(
        self,
        inputs: np.ndarray,
        mode: str = "max",
        kernel_size: int | Sequence[int] = 2,
        stride: int | Sequence[int] | None = None,
        padding: int | Sequence[int] = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
    ) -> None:
        if mode not in MODES:
            raise SettingsError("mode", "pool_mode", value=mode)
        x = np.asarray(inputs, dtype=np.float64)
        if x.ndim == 2:
            x = x[None]
        if x.ndim != 3:
            raise ValueError(f"input must be [H][W] or [C][H][W], got {x.ndim} dimensions")
        self.mode = mode
        self.kernel_size: Pair = as_pair(kernel_size, "kernel_size")
        self.stride_given = stride is not None
        self.stride: Pair = self.kernel_size if stride is None else as_pair(stride, "stride")
        self.padding: Pair = as_pair(padding, "padding")
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.rows, self.cols = check_pool(x.shape, self.kernel_size, self.stride, self.padding, ceil_mode)  # type: ignore[arg-type]
        self.input = x
        self.fill = -np.inf if mode == "max" else 0.0
        ph, pw = self.padding
        # Padding on the top/left, and on the bottom/right enough for ceil-mode windows too.
        extra_h = self.rows.extent - self.rows.padded
        extra_w = self.cols.extent - self.cols.padded
        self.padded = np.pad(
            x, ((0, 0), (ph, ph + extra_h), (pw, pw + extra_w)), constant_values=self.fill
        )
        self.kinds = np.full(self.padded.shape[1:], OUTSIDE, dtype=np.uint8)
        self.kinds[: self.rows.padded, : self.cols.padded] = PADDING
        self.kinds[ph : ph + x.shape[1], pw : pw + x.shape[2]] = INPUT
        self.divisors = np.outer(
            _divisors(self.rows, count_include_pad), _divisors(self.cols, count_include_pad)
        )
        self.output = self._compute()

    # -- shapes ---------------------------------------------------------------------

    @property
    def channels(self) -> int:
        return self.input.shape[0]

    @property
    def output_shape(self) -> tuple[int, int, int]:
        return (self.channels, self.rows.output, self.cols.output)

    def torch_call(self) -> str:
        """The PyTorch layer, e.g. `nn.MaxPool2d(kernel_size=2, stride=1, padding=1)`."""
        name = "nn.MaxPool2d" if self.mode == "max" else "nn.AvgPool2d"
        parts = [
            f"kernel_size={pair_text(self.kernel_size)}",
            f"stride={pair_text(self.stride)}",
            f"padding={pair_text(self.padding)}",
        ]
        if self.ceil_mode:
            parts.append("ceil_mode=True")
        if self.mode == "avg" and not self.count_include_pad:
            parts.append("count_include_pad=False")
        return f"{name}({', '.join(parts)})"

    # -- the full output ------------------------------------------------------------

    def _windows(self) -> np.ndarray:
        kh, kw = self.kernel_size
        sh, sw = self.stride
        return sliding_window_view(self.padded, (kh, kw), axis=(1, 2))[
            :, ::sh, ::sw
        ][:, : self.rows.output, : self.cols.output]

    def _compute(self) -> np.ndarray:
        windows = self._windows()
        if self.mode == "max":
            return windows.max(axis=(3, 4))
        return windows.sum(axis=(3, 4)) / self.divisors

    # -- steps ----------------------------------------------------------------------

    def step(self, index: int) -> PoolStep:
        """Step `index` (0-based), built on demand."""
        ch, r, c = self.position(index)
        kh, kw = self.kernel_size
        top, left = r * self.stride[0], c * self.stride[1]
        rows, cols = range(top, top + kh), range(left, left + kw)
        values = self.padded[ch, top : top + kh, left : left + kw]
        kinds = self.kinds[top : top + kh, left : left + kw]
        result = float(self.output[ch, r, c])
        if self.mode == "max":
            flat = int(np.argmax(values))  # the first largest, in PyTorch's scan order
            winner: tuple[int, int] | None = divmod(flat, kw)
            total, divisor = result, 1
        else:
            winner = None
            total, divisor = float(values.sum()), int(self.divisors[r, c])
        return PoolStep(index, ch, r, c, rows, cols, values, kinds, result, winner, total, divisor)
