"""Ctrl+C while `train` or `homework` trains: the first stops after the batch, the second quits at once."""

from __future__ import annotations

import signal

import pytest

from cnn_tui.commands.interrupts import StopOnCtrlC
from cnn_tui.ml.events import TrainController


def test_first_ctrl_c_stops_the_run_second_quits_and_the_old_handler_comes_back():
    notes: list[str] = []
    before = signal.getsignal(signal.SIGINT)
    with StopOnCtrlC(notes.append, "stopping") as ctrl_c:
        running = ctrl_c.watch(TrainController())
        signal.raise_signal(signal.SIGINT)
        assert running.stopped and ctrl_c.stopped and notes == ["stopping"]
        assert ctrl_c.watch(TrainController()).stopped  # homework: the next experiment does not start
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGINT)
    assert signal.getsignal(signal.SIGINT) is before


def test_no_ctrl_c_leaves_the_run_alone():
    with StopOnCtrlC(print, "stopping") as ctrl_c:
        controller = ctrl_c.watch(TrainController())
    assert not controller.stopped and not ctrl_c.stopped
