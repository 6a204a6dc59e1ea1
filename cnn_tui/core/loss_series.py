"""The smoothed batch-loss curve of a run, kept short enough to replot many times a second.

Every batch's loss goes into an exponential moving average (debiased, as TensorBoard's
smoothing is, so the curve starts at the first loss rather than at 0). Points are kept at a
stride that doubles whenever there would be more than `max_points`, so a 60,000-batch run
draws as a few hundred points spread over the whole run.
"""

from __future__ import annotations

from dataclasses import dataclass


def batch_loss(mean_now: float, seen_now: int, mean_before: float, seen_before: int) -> float:
    """One batch's mean loss from the epoch's running means before and after it."""
    count = seen_now - seen_before
    if count <= 0:
        raise ValueError("a batch must add at least one image")
    return (mean_now * seen_now - mean_before * seen_before) / count


@dataclass(frozen=True)
class SeriesPoints:
    """A snapshot of the curve: x in epochs (1.5 = half way through epoch 2), y the smoothed loss."""

    xs: tuple[float, ...] = ()
    ys: tuple[float, ...] = ()

    def __len__(self) -> int:
        return len(self.xs)


class LossSeries:
    """Smoothed batch losses at a doubling stride; `points()` is an immutable snapshot."""

    def __init__(self, smoothing: float = 0.9, max_points: int = 400) -> None:
        if not 0 <= smoothing < 1:
            raise ValueError("smoothing must be in [0, 1)")
        if max_points < 2:
            raise ValueError("a curve needs at least 2 points")
        self.smoothing = smoothing
        self.max_points = max_points
        self.stride = 1
        self._count = 0
        self._average = 0.0
        self._xs: list[float] = []
        self._ys: list[float] = []

    def add(self, x: float, loss: float) -> None:
        """Add one batch's loss at position `x` (in epochs)."""
        self._count += 1
        self._average = self.smoothing * self._average + (1 - self.smoothing) * loss
        if (self._count - 1) % self.stride:
            return
        self._xs.append(x)
        self._ys.append(self.smoothed)
        if len(self._xs) > self.max_points:
            self._xs, self._ys = self._xs[::2], self._ys[::2]
            self.stride *= 2

    @property
    def smoothed(self) -> float:
        """The debiased moving average after the latest batch (0 before any)."""
        if self._count == 0:
            return 0.0
        return self._average / (1 - self.smoothing**self._count)

    def points(self) -> SeriesPoints:
        return SeriesPoints(tuple(self._xs), tuple(self._ys))
