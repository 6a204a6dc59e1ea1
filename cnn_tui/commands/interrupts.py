"""Ctrl+C (and SIGTERM, SIGHUP) during training, for `cnn-tui train` and `cnn-tui homework`: the first stops after
the current batch, a second one quits at once."""

from __future__ import annotations

import signal
from collections.abc import Callable
from typing import Any

# Signals that stop a run as Ctrl+C does: `kill` (SIGTERM) and a closed terminal or ssh session (SIGHUP).
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class StopOnCtrlC:
    """While active, SIGINT, SIGTERM and SIGHUP stop the watched training controller after its batch and say so with
    `note(message)` (for SIGTERM and SIGHUP the message names the signal); a second one raises KeyboardInterrupt.
    The previous handlers come back on exit; `exit_status` is 128 + the signal's number (130 for Ctrl+C).

        with StopOnCtrlC(display.note, "Ctrl+C: stopping after this batch") as interrupts:
            controller = interrupts.watch(TrainController())
            run_training(..., controller=controller)
        return interrupts.exit_status if interrupts.stopped else 0
    """

    def __init__(self, note: Callable[[str], None], message: str) -> None:
        self.note, self.message = note, message
        self.stopped = False
        self.signal = signal.SIGINT  # the signal that stopped the run
        self.controller: Any = None  # cnn_tui.ml.events.TrainController of the run in progress
        self.previous: dict[int, Any] = {}

    @property
    def exit_status(self) -> int:
        """What the shell reports for a program the signal ended: 128 + its number."""
        return 128 + int(self.signal)

    def watch(self, controller: Any) -> Any:
        """Make `controller` the one a Ctrl+C stops (stopped at once if Ctrl+C came already); returns it."""
        self.controller = controller
        if self.stopped:
            controller.stop()
        return controller

    def __enter__(self) -> StopOnCtrlC:
        for number in STOP_SIGNALS:
            self.previous[number] = signal.signal(number, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for number, previous in self.previous.items():
            signal.signal(number, previous)

    def _handle(self, signum: int, frame: Any) -> None:
        if self.stopped:
            raise KeyboardInterrupt
        self.stopped = True
        self.signal = signal.Signals(signum)
        if self.controller is not None:
            self.controller.stop()
        if signum == signal.SIGINT:
            self.note(self.message)
        else:
            self.note(f"{self.signal.name}: {self.message.partition(': ')[2] or self.message}")
