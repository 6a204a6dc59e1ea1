"""SIGTERM and SIGHUP stop `cnn-tui train` as Ctrl+C does: after the batch, a sentence, the checkpoint kept, the run
recorded as stopped (issue 29); a second one quits at once."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cnn_tui.commands.interrupts import StopOnCtrlC
from cnn_tui.ml.events import TrainController

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_stop_like_ctrl_c_and_the_old_handlers_come_back(number):
    notes: list[str] = []
    before = {n: signal.getsignal(n) for n in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    with StopOnCtrlC(notes.append, "Ctrl+C: stopping after this batch") as interrupts:
        running = interrupts.watch(TrainController())
        signal.raise_signal(number)
        assert running.stopped and interrupts.stopped
        assert notes == [f"{signal.Signals(number).name}: stopping after this batch"]
        assert interrupts.exit_status == 128 + number
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(number)
    assert {n: signal.getsignal(n) for n in before} == before


@pytest.mark.slow
@pytest.mark.parametrize(("number", "status"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_train_stopped_by_a_signal_keeps_its_checkpoint_and_records_the_run_as_stopped(tmp_path, number, status):
    checkpoint = tmp_path / "models" / "c.pth"
    process = subprocess.Popen(
        [sys.executable, "-m", "cnn_tui", "train", "--data", "synthetic", "--epochs", "1000", "--plain",
         "--train-limit", "256", "--test-limit", "64", "--threads", "1", "--checkpoint", str(checkpoint)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
    )
    try:
        for line in process.stdout:  # blocks until the first epoch is saved
            if line.startswith("epoch: 1 "):
                break
        process.send_signal(number)
        out, err = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == status, err
    assert "Traceback" not in err
    name = signal.Signals(number).name
    assert f"{name}: stopping after this batch (press again to quit at once)" in out
    (sentence,) = err.strip().splitlines()
    assert sentence.startswith("cnn-tui train: stopped by request during epoch ")
    saved = json.loads(checkpoint.with_suffix(".json").read_text())["epoch"]
    assert saved >= 1 and sentence.endswith(f"; {checkpoint} holds epoch {saved}")
    (record,) = [json.loads(p.read_text()) for p in (tmp_path / "models" / "runs").glob("*/run.json")]
    assert record["status"] == "stopped" and len(record["epochs"]) == saved
