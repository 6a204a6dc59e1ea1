"""What training reports and how it is steered: progress events and a thread-safe controller (no torch here).

A UI runs `train(...)` in a worker thread, passes callbacks that receive `BatchProgress`
and `EpochResult`, and keeps a `TrainController` to pause, resume or stop the run from
its own thread; the trainer checks the controller before every batch.
"""

from __future__ import annotations

import threading
import time
from dataclasses import asdict, dataclass
from typing import Any

from cnn_tui.i18n import Phrase

FINISHED = "finished"
STOPPED = "stopped"
DIVERGED = "diverged"


@dataclass(frozen=True)
class BatchProgress:
    """After each training batch: running means over the epoch so far."""

    epoch: int  # 1-based
    epochs: int
    batch: int  # 1-based
    batches: int
    loss: float
    accuracy: float
    images_per_s: float
    seconds: float  # training time in this epoch so far, pauses excluded
    lr: float

    @property
    def fraction(self) -> float:
        """How much of the epoch is done, 0..1."""
        return self.batch / self.batches if self.batches else 1.0


@dataclass(frozen=True)
class EpochResult:
    """After each epoch: the lecture's numbers (train loss, accuracy, time) plus the test set's."""

    epoch: int
    epochs: int
    train_loss: float
    train_accuracy: float
    test_loss: float
    test_accuracy: float
    seconds: float  # training time of this epoch, pauses and evaluation excluded
    eval_seconds: float
    images_per_s: float
    lr: float

    def line(self) -> str:
        """The lecture's line, `epoch: 1 loss:1.59926 acc:0.41 time:28.97s`, then the test set's numbers."""
        return (
            f"epoch:{self.epoch:2d} loss:{self.train_loss:.5f} acc:{self.train_accuracy:.2f} "
            f"time:{self.seconds:.2f}s  test_loss:{self.test_loss:.5f} test_acc:{self.test_accuracy:.4f}"
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EpochResult:
        return cls(**{key: data[key] for key in cls.__dataclass_fields__})


@dataclass(frozen=True)
class TrainResult:
    """How a run ended: `status` is finished, stopped (by the controller) or diverged (loss not finite)."""

    status: str
    epochs: tuple[EpochResult, ...]
    seconds: float
    reason: Phrase | str = ""  # why it stopped or diverged: str() is the English, describe() the app's language

    @property
    def last(self) -> EpochResult | None:
        return self.epochs[-1] if self.epochs else None

    @property
    def best_accuracy(self) -> float:
        return max((e.test_accuracy for e in self.epochs), default=0.0)


class TrainController:
    """Pause, resume and stop a run from any thread; the trainer calls `checkpoint()` before each batch."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._paused = False
        self._stopped = False

    def pause(self) -> None:
        with self._lock:
            self._paused = True
            self._lock.notify_all()

    def resume(self) -> None:
        with self._lock:
            self._paused = False
            self._lock.notify_all()

    def stop(self) -> None:
        """Ask the run to end after the current batch (also ends a pause)."""
        with self._lock:
            self._stopped = True
            self._lock.notify_all()

    @property
    def paused(self) -> bool:
        with self._lock:
            return self._paused and not self._stopped

    @property
    def stopped(self) -> bool:
        with self._lock:
            return self._stopped

    def checkpoint(self, timeout: float | None = None) -> float:
        """Block while paused; returns the seconds spent paused. Check `stopped` afterwards."""
        start = time.perf_counter()
        with self._lock:
            self._lock.wait_for(lambda: not self._paused or self._stopped, timeout=timeout)
        return time.perf_counter() - start
