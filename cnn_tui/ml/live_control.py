"""A TrainController for an interactive trainer: besides pause/resume/stop, it runs requested calls
in the training thread between batches (also while paused), where the weights are not changing.

The Training tab uses it to save a checkpoint "now": the request is queued from the UI thread and
the trainer runs it before its next batch, or within `poll_s` while paused.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable

from cnn_tui.ml.events import TrainController


class LiveController(TrainController):
    """`call_between_batches(fn)` from any thread; the trainer's `checkpoint()` runs `fn` before the next batch."""

    def __init__(self, poll_s: float = 0.05) -> None:
        super().__init__()
        self.poll_s = poll_s
        self._calls: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()

    def call_between_batches(self, fn: Callable[[], None]) -> None:
        """Queue `fn` to run in the training thread at the next batch boundary (or pause tick)."""
        self._calls.put(fn)

    def run_pending(self) -> int:
        """Run every queued call now, in this thread; returns how many ran (used after the run ends too)."""
        ran = 0
        while True:
            try:
                fn = self._calls.get_nowait()
            except queue.Empty:
                return ran
            fn()
            ran += 1

    def checkpoint(self, timeout: float | None = None) -> float:
        """Run queued calls, then block while paused (still running calls as they come); returns the seconds spent."""
        start = time.perf_counter()
        self.run_pending()
        while self.paused:
            super().checkpoint(timeout=self.poll_s)
            self.run_pending()
        return time.perf_counter() - start
