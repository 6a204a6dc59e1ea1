"""Training's inner numbers for the live view: per layer the norms and histograms of weights and gradients.

Read in the training thread between batches (the gradients of the batch just done are still in
`.grad`): `InnerWatch.batch` every `interval_s` seconds at most, `InnerWatch.epoch` at every epoch's end,
which adds each layer's change over the epoch and its dead ReLUs (`cnn_tui.ml.inner_numbers`). A
histogram's range is symmetric around 0 (±the largest magnitude), so 0 is always its middle column.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from cnn_tui.ml.inner_numbers import InnerNumbers, weighted_layers

BINS = 32
MAX_COUNTED = 1 << 17  # a larger tensor's histogram counts every k-th value (its shape, at a bounded cost)


@dataclass(frozen=True)
class Histogram:
    """Counts of values in `len(counts)` equal bins from −`edge` to +`edge`."""

    counts: np.ndarray
    edge: float


@dataclass(frozen=True)
class LayerInner:
    """One layer: weight and gradient norms and histograms (gradient None before the first backward), and at an
    epoch's end how far its weights moved (relative to their norm) and the share of dead ReLUs after it."""

    layer: str
    weight_norm: float | None  # None for a layer without weights (a pooling layer, which feeds a ReLU)
    weights: Histogram | None
    grad_norm: float | None = None
    grads: Histogram | None = None
    change: float | None = None
    dead: float | None = None


@dataclass(frozen=True)
class InnerSnapshot:
    """Every weighted layer at one moment: after batch `batch` of epoch `epoch` (batch 0: the epoch's end)."""

    epoch: int
    batch: int
    layers: tuple[LayerInner, ...]


def histogram(values: torch.Tensor, bins: int = BINS) -> Histogram:
    """`values` counted in `bins` bins from −max|v| to +max|v| (all in the middle bins when they are all 0); of more
    than MAX_COUNTED values, every k-th is counted (the edge is still the largest of all). Counted with numpy on one
    thread: torch's threads, busy training, made a snapshot many times slower on loaded cores."""
    flat = _numpy(values)
    edge = float(np.abs(flat).max()) if flat.size else 0.0
    flat = flat[:: -(-flat.size // MAX_COUNTED)] if flat.size > MAX_COUNTED else flat
    if edge == 0.0 or not np.isfinite(edge):
        counts = np.zeros(bins, dtype=np.int64)
        counts[bins // 2] = flat.size
        return Histogram(counts, edge)
    index = ((flat + edge) * (bins / (2 * edge))).astype(np.int64)  # −edge → 0, +edge → bins (the last bin's)
    return Histogram(np.bincount(np.clip(index, 0, bins - 1), minlength=bins), edge)


def _numpy(values: torch.Tensor) -> np.ndarray:
    return values.detach().float().cpu().numpy().ravel()


def _norm(values: torch.Tensor) -> float:
    """The L2 norm, summed in float64 without BLAS (whose threads, like torch's, wait on busy cores)."""
    return float(np.sqrt(np.square(_numpy(values), dtype=np.float64).sum()))


def snapshot(model: nn.Module, epoch: int, batch: int, numbers: dict[str, Any] | None = None) -> InnerSnapshot:
    """The model's weighted layers now; `numbers` (InnerNumbers.read's) adds change and dead ReLUs by layer, and
    the layers without weights that feed a ReLU, in the order the forward pass runs them."""
    extra = {row["layer"]: row for row in (numbers or {}).get("layers", [])}
    weighted = dict(weighted_layers(model))
    names = [*extra, *(name for name in weighted if name not in extra)]
    layers = []
    with torch.no_grad():
        for name in names:
            row = extra.get(name, {})
            weight = weighted.get(name)
            if weight is None:
                layers.append(LayerInner(name, None, None, change=row.get("change"), dead=row.get("dead")))
                continue
            grad = weight.grad
            layers.append(LayerInner(
                name, _norm(weight), histogram(weight),
                _norm(grad) if grad is not None else None,
                histogram(grad) if grad is not None else None,
                row.get("change"), row.get("dead"),
            ))
    return InnerSnapshot(epoch, batch, tuple(layers))


class InnerWatch:
    """Snapshots for a run's live view: at most one every `interval_s` seconds between batches, one per epoch."""

    def __init__(self, model: nn.Module, probe: torch.Tensor | None, interval_s: float = 2.0) -> None:
        self.model = model
        self.numbers = InnerNumbers(model, probe) if probe is not None else None
        self.interval_s = interval_s
        self._last = time.monotonic()  # the first snapshot after one interval of training
        self._numbers: dict[str, Any] | None = None  # the last epoch's change and dead ReLUs, shown until the next

    def batch(self, epoch: int, batch: int) -> InnerSnapshot | None:
        """A snapshot after batch `batch` of epoch `epoch`, unless one was taken less than an interval ago."""
        now = time.monotonic()
        if now - self._last < self.interval_s:
            return None
        self._last = now
        return snapshot(self.model, epoch, batch, self._numbers)

    def epoch(self, epoch: int) -> InnerSnapshot:
        """The snapshot at an epoch's end, with each layer's change and dead ReLUs."""
        if self.numbers is not None:
            try:
                self._numbers = self.numbers.read(self.model)
            except Exception:  # noqa: BLE001  (an own network's code may not survive the probe: the view goes on without)
                self.numbers = self._numbers = None
        self._last = time.monotonic()
        return snapshot(self.model, epoch, 0, self._numbers)


PROBE_IMAGES = 64  # test images whose ReLU outputs decide which units are dead, in the live view


def watch_run(run: Any, data: Any, interval_s: float = 2.0) -> InnerWatch:
    """An InnerWatch for a prepared run (`cnn_tui.ml.prepared_run.PreparedRun`) on `data`'s test images."""
    from cnn_tui.ml.dataset import to_float

    device = next(run.model.parameters()).device
    images = data.test.images[:PROBE_IMAGES]
    probe = to_float(images.to(device), run.normalization) if len(images) else None
    return InnerWatch(run.model, probe, interval_s)
