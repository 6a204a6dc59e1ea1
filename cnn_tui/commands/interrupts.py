"""Ctrl+C during training, for `cnn-tui train` and `cnn-tui homework`: the first stops after the current batch, a
second one quits at once."""

from __future__ import annotations

import signal
from collections.abc import Callable
from typing import Any


class StopOnCtrlC:
    """While active, SIGINT stops the watched training controller after its batch and says so with `note(message)`;
    a second SIGINT raises KeyboardInterrupt. The previous handler comes back on exit.

        with StopOnCtrlC(display.note, "Ctrl+C: stopping after this batch") as interrupts:
            controller = interrupts.watch(TrainController())
            run_training(..., controller=controller)
        return 130 if interrupts.stopped else 0
    """

    def __init__(self, note: Callable[[str], None], message: str) -> None:
        self.note, self.message = note, message
        self.stopped = False
        self.controller: Any = None  # cnn_tui.ml.events.TrainController of the run in progress
        self.previous: Any = None

    def watch(self, controller: Any) -> Any:
        """Make `controller` the one a Ctrl+C stops (stopped at once if Ctrl+C came already); returns it."""
        self.controller = controller
        if self.stopped:
            controller.stop()
        return controller

    def __enter__(self) -> StopOnCtrlC:
        self.previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        signal.signal(signal.SIGINT, self.previous)

    def _handle(self, signum: int, frame: Any) -> None:
        if self.stopped:
            raise KeyboardInterrupt
        self.stopped = True
        if self.controller is not None:
            self.controller.stop()
        self.note(self.message)
