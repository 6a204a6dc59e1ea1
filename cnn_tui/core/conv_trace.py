"""Conv2d as a sequence of steps a learner can follow, with the full output computed vectorised."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from cnn_tui.core.conv_geometry import Pair, as_pair, check_conv, pair_text
from cnn_tui.core.trace_steps import SteppedTrace


@dataclass(frozen=True, slots=True)
class ConvStep:
    """One output cell: the window, the values under it, the products and the sums."""

    index: int
    out_channel: int
    row: int
    col: int
    rows: range  # padded-input rows under the window
    cols: range  # padded-input columns under the window
    inputs: np.ndarray  # (C_in, kH, kW) values under the window (zeros where it covers padding)
    kernel: np.ndarray  # (C_in, kH, kW) the kernel of this output channel
    products: np.ndarray  # (C_in, kH, kW) inputs × kernel
    partial_sums: np.ndarray  # (C_in,) one sum per input channel
    bias: float
    result: float  # the output cell, as the vectorised output (and PyTorch) has it

    @property
    def top(self) -> int:
        return self.rows.start

    @property
    def left(self) -> int:
        return self.cols.start


class ConvTrace(SteppedTrace[ConvStep]):
    """A checked conv2d: geometry, padded input, full output, and random access to every step."""

    def __init__(
        self,
        inputs: np.ndarray,
        weights: np.ndarray,
        bias: float | Sequence[float] | np.ndarray | None = None,
        stride: int | Sequence[int] = 1,
        padding: int | Sequence[int] = 0,
        dilation: int | Sequence[int] = 1,
    ) -> None:
        x = np.asarray(inputs, dtype=np.float64)
        w = np.asarray(weights, dtype=np.float64)
        if x.ndim == 2:
            x = x[None]
        if w.ndim == 2:
            w = w[None, None]
        elif w.ndim == 3:
            w = w[None]
        if x.ndim != 3:
            raise ValueError(f"input must be [H][W] or [C][H][W], got {x.ndim} dimensions")
        if w.ndim != 4:
            raise ValueError(f"kernel must be [kH][kW], [C_in][kH][kW] or [C_out][C_in][kH][kW], got {w.ndim} dimensions")
        if bias is None:
            b = np.zeros(w.shape[0])
        else:
            b = np.atleast_1d(np.asarray(bias, dtype=np.float64))
            if b.ndim != 1:
                raise ValueError("bias must be one number or one number per kernel")
            if b.shape[0] == 1 and w.shape[0] > 1:
                b = np.repeat(b, w.shape[0])
        self.stride: Pair = as_pair(stride, "stride")
        self.padding: Pair = as_pair(padding, "padding")
        self.dilation: Pair = as_pair(dilation, "dilation")
        self.rows, self.cols = check_conv(
            x.shape, w.shape, b.shape[0], self.stride, self.padding, self.dilation  # type: ignore[arg-type]
        )
        self.input = x
        self.weights = w
        self.bias = b
        self.has_bias = bool(np.any(b != 0))
        ph, pw = self.padding
        self.padded = np.pad(x, ((0, 0), (ph, ph), (pw, pw)))
        self.output = self._compute()

    # -- shapes ---------------------------------------------------------------------

    @property
    def in_channels(self) -> int:
        return self.input.shape[0]

    @property
    def out_channels(self) -> int:
        return self.weights.shape[0]

    @property
    def kernel_size(self) -> Pair:
        return (self.weights.shape[2], self.weights.shape[3])

    @property
    def output_shape(self) -> tuple[int, int, int]:
        return (self.out_channels, self.rows.output, self.cols.output)

    def padding_mask(self) -> np.ndarray:
        """(Hp, Wp) True where the padded input is padding, not input."""
        ph, pw = self.padding
        mask = np.ones(self.padded.shape[1:], dtype=bool)
        mask[ph : ph + self.input.shape[1], pw : pw + self.input.shape[2]] = False
        return mask

    def torch_call(self) -> str:
        """The PyTorch layer with these settings, e.g. `nn.Conv2d(in_channels=1, out_channels=1, kernel_size=3, stride=1, padding=1)`."""
        parts = [
            f"in_channels={self.in_channels}",
            f"out_channels={self.out_channels}",
            f"kernel_size={pair_text(self.kernel_size)}",
            f"stride={pair_text(self.stride)}",
            f"padding={pair_text(self.padding)}",
        ]
        if self.dilation != (1, 1):
            parts.append(f"dilation={pair_text(self.dilation)}")
        return f"nn.Conv2d({', '.join(parts)})"

    # -- the full output ------------------------------------------------------------

    def _compute(self) -> np.ndarray:
        (sh, sw), (dh, dw) = self.stride, self.dilation
        windows = sliding_window_view(
            self.padded,
            (self.rows.effective_kernel, self.cols.effective_kernel),
            axis=(1, 2),
        )[:, :: sh, :: sw, :: dh, :: dw][:, : self.rows.output, : self.cols.output]
        # windows: (C_in, H_out, W_out, kH, kW); contract C_in, kH, kW with the weights.
        out = np.tensordot(self.weights, windows, axes=([1, 2, 3], [0, 3, 4]))
        return out + self.bias[:, None, None]

    # -- steps ----------------------------------------------------------------------

    def step(self, index: int) -> ConvStep:
        """Step `index` (0-based), built on demand."""
        oc, r, c = self.position(index)
        (sh, sw), (dh, dw) = self.stride, self.dilation
        kh, kw = self.kernel_size
        top, left = r * sh, c * sw
        rows = range(top, top + dh * (kh - 1) + 1, dh)
        cols = range(left, left + dw * (kw - 1) + 1, dw)
        window = self.padded[:, rows.start : rows.stop : dh, cols.start : cols.stop : dw]
        kernel = self.weights[oc]
        products = window * kernel
        partial = products.reshape(products.shape[0], -1).sum(axis=1)
        return ConvStep(
            index, oc, r, c, rows, cols, window, kernel, products, partial,
            float(self.bias[oc]), float(self.output[oc, r, c]),
        )
