"""A float array written as PyTorch prints it: `tensor([[[[4., 5.], [7., 8.]]]])`, as the lecture's printouts show.

Follows torch's own formatter for float32 tensors: whole numbers as `4.`, others with 4 decimals, every value
right-aligned to the widest, nested brackets indented under the first, a blank line between channels; very large
or very small values in scientific notation. tests/unit/test_tensor_print.py checks it against torch's repr.
"""

from __future__ import annotations

import numpy as np

PREFIX = "tensor("


def _formatter(values: np.ndarray):
    finite = values[np.isfinite(values)]
    nonzero = np.abs(finite[finite != 0])
    whole = finite.size == 0 or bool(np.all(finite == np.ceil(finite)))
    if nonzero.size and (nonzero.max() / nonzero.min() > 1000 or nonzero.max() > 1e8 or (not whole and nonzero.min() < 1e-4)):
        return lambda v: f"{v:.4e}"
    if whole:
        return lambda v: f"{v:.0f}." if np.isfinite(v) else str(v)
    return lambda v: f"{v:.4f}"


def torch_print(values: np.ndarray) -> str:
    """`values` (any shape, at least 1-D) as `print(torch.tensor(values, dtype=torch.float32))` shows it."""
    array = np.asarray(values, dtype=np.float32)
    fmt = _formatter(array)
    width = max(len(fmt(float(v))) for v in array.ravel())

    def block(part: np.ndarray, indent: int) -> str:
        if part.ndim == 1:
            return "[" + ", ".join(fmt(float(v)).rjust(width) for v in part) + "]"
        separator = "," + "\n" * (part.ndim - 1) + " " * (indent + 1)
        return "[" + separator.join(block(sub, indent + 1) for sub in part) + "]"

    return PREFIX + block(array, len(PREFIX)) + ")"
