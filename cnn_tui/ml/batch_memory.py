"""The memory a batch needs — the layer outputs of its images (from the shape chain) and the weights with their
gradients and optimiser state — checked against what the machine has available, before anything is allocated.

The estimate is one float32 copy of every leaf layer's output per image (what autograd keeps for the backward
pass) plus the input: for `--model resnet` 0.33 MB an image, where a batch of 50,000 CIFAR-10 images was
measured at a 13.3 GB peak (0.27 MB an image), so it errs a little on the safe side.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from torch import nn

from cnn_tui.ml.summary import MB, summarize
from cnn_tui.ml.train import RecipeError

STATE_COPIES = 4  # weights, gradients and the optimiser's two moments (Adam; SGD with momentum keeps one)
GB = 1024.0**3


class BatchMemoryError(RecipeError):
    """A batch would need more memory than the machine has available; the message names a batch size that fits."""


@dataclass(frozen=True)
class BatchMemory:
    """Bytes a batch needs: `fixed` whatever its size, plus `per_image` for each image."""

    fixed: int
    per_image: int

    def total(self, batch: int) -> int:
        return self.fixed + batch * self.per_image

    def largest_batch(self, budget: int) -> int:
        """The largest power of two whose batch fits `budget` bytes (0 when not even one image does)."""
        room = (budget - self.fixed) // max(1, self.per_image)
        return 0 if room < 1 else 1 << (int(room).bit_length() - 1)


def batch_memory(model: nn.Module, input_size: tuple[int, ...], *, training: bool = True) -> BatchMemory:
    """The estimate for `model` from one forward pass of a single image (`training`: with gradients and optimiser
    state; otherwise a forward pass alone, as `cnn-tui summary` runs)."""
    summary = summarize(model, input_size, 1)
    per_image = (summary.input_mb + summary.forward_backward_mb / 2) * MB
    fixed = summary.params_mb * MB * (STATE_COPIES if training else 1)
    return BatchMemory(int(fixed), int(per_image))


def available_bytes() -> int | None:
    """The memory this machine has available now (Linux: MemAvailable), or None where it cannot be told."""
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def _gb(size: float) -> str:
    return f"{size / GB:.1f} GB"


def check_batch_memory(memory: BatchMemory, batch: int, name: str, *, training: bool = True, available: int | None = None) -> None:
    """BatchMemoryError when a batch of `batch` images would need more than the available memory."""
    have = available_bytes() if available is None else available
    need = memory.total(batch)
    if have is None or need <= have:
        return
    fits = memory.largest_batch(have)
    if training and fits:
        raise BatchMemoryError("error.batch_memory.training", name=name, batch=f"{batch:,}", need=_gb(need), have=_gb(have), fits=fits)
    if training:
        raise BatchMemoryError("error.batch_memory.training_none", name=name, need=_gb(memory.total(1)), have=_gb(have))
    raise BatchMemoryError("error.batch_memory.forward", name=name, batch=f"{batch:,}", need=_gb(need), have=_gb(have), fits=max(1, fits))
