"""Own-network mistakes that only training reveals (issue 29): `cnn-tui train` and `cnn-tui homework` say each in one
sentence before the first step — or, for one met later, name the epoch, batch and line — never with a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cnn_tui.cli import main

HEADER = """
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.out = nn.Linear(3 * 32 * 32, 10)

    def forward(self, x):
"""
HOMEWORK = ["--data", "synthetic", "--train-limit", "64", "--test-limit", "32", "--batch-size", "32", "--threads", "1"]
SMALL = [*HOMEWORK, "--min-steps", "0"]


def write(folder: Path, forward: str, header: str = HEADER) -> Path:
    path = folder / "net.py"
    path.write_text(textwrap.dedent(header) + textwrap.indent(textwrap.dedent(forward), " " * 8), encoding="utf-8")
    return path


def refused(capsys, args: list[str]) -> str:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1, err
    return err.strip()


CASES = [
    (
        "batch size fixed at 2",
        "return self.out(x.flatten(1))[:2]",
        "net.py:Net: in training mode forward maps a [3, 3, 32, 32] batch to [2, 10]; it must give [3, 10] for every batch size",
    ),
    (
        "integer output",
        "return self.out(x.flatten(1)).round().long()",
        "net.py:Net: forward gives int64 scores; the cross-entropy loss needs floating-point scores",
    ),
    (
        "detached output",
        "return self.out(x.flatten(1)).detach()",
        "net.py:Net: the output does not depend on the parameters (a .detach(), .data or torch.no_grad() in forward?)",
    ),
    (
        "raises only in training mode",
        "if self.training:\n    raise RuntimeError('only while training')\nreturn self.out(x.flatten(1))",
        "net.py:Net: forward failed in training mode (model.train()) on a [3, 3, 32, 32] batch at net.py:13: "
        "RuntimeError: only while training",
    ),
]


@pytest.mark.parametrize(("case", "forward", "sentence"), CASES, ids=[c[0] for c in CASES])
def test_train_refuses_each_mistake_in_one_sentence_before_training(tmp_path, capsys, case, forward, sentence):
    path = write(tmp_path, forward)
    checkpoint = tmp_path / "models" / "c.pth"
    line = refused(capsys, ["train", "--model", f"{path}:Net", *SMALL, "--epochs", "1", "--plain", "--checkpoint", str(checkpoint)])
    assert line.startswith("cnn-tui train: " + sentence), line
    assert not checkpoint.exists()


@pytest.mark.slow
def test_a_model_without_parameters_has_a_summary_and_is_refused_for_training(tmp_path, capsys):
    path = write(tmp_path, "return x.flatten(1)[:, :10]", HEADER.replace("self.out = nn.Linear(3 * 32 * 32, 10)", "pass"))
    assert main(["summary", "--model", f"{path}:Net"]) == 0
    assert "Total params: 0" in capsys.readouterr().out
    line = refused(capsys, ["train", "--model", f"{path}:Net", *SMALL, "--epochs", "1", "--plain",
                            "--checkpoint", str(tmp_path / "c.pth")])
    assert line == "cnn-tui train: net.py:Net has no trainable parameters, so training cannot change it; give it layers such as nn.Conv2d or nn.Linear"


BATCH_NORM_1D = """
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.l = nn.Linear(3072, 32)
        self.bn = nn.BatchNorm1d(32)
        self.o = nn.Linear(32, 10)

    def forward(self, x):
        return self.o(self.bn(self.l(x.flatten(1))))
"""


@pytest.mark.slow
def test_batch_norm_1d_meeting_a_last_batch_of_one_is_a_sentence_from_the_command_line(tmp_path):
    path = tmp_path / "bn1d.py"
    path.write_text(BATCH_NORM_1D, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "cnn_tui", "train", "--data", "synthetic", "--epochs", "1", "--model", f"{path}:Net",
         "--train-limit", "65", "--batch-size", "64", "--min-steps", "0", "--checkpoint", str(tmp_path / "c.pth")],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip() == (
        "cnn-tui train: bn1d.py:Net: the last batch of every epoch holds a single image, and forward fails on it in "
        "training mode at bn1d.py:13: ValueError: Expected more than 1 value per channel when training, got input "
        "size torch.Size([1, 32]); BatchNorm1d needs at least 2, so choose another --batch-size or number of training images"
    )


# Fails on training batch FAIL_AT of 32 images : with 3, homework's second experiment's
# first batch (each experiment builds the network afresh, trains 64 images in 2 batches).
LATE_FAILURE = """
import builtins  # a count that outlives each new import of this file
counts = builtins.__dict__.setdefault("own_model_training_calls", {})
hit = self.training and x.shape[0] == 32
calls = counts[__file__] = counts.get(__file__, 0) + hit
if hit and calls == FAIL_AT:
    raise RuntimeError("a late batch")
return self.out(x.flatten(1))
"""


@pytest.mark.slow
def test_a_failure_met_while_training_names_epoch_batch_and_line_and_keeps_the_record(tmp_path, capsys):
    path = write(tmp_path, LATE_FAILURE.replace("FAIL_AT", "3"))
    checkpoint = tmp_path / "models" / "c.pth"
    line = refused(capsys, ["train", "--model", f"{path}:Net", *SMALL, "--epochs", "2", "--plain", "--checkpoint", str(checkpoint)])
    sentence = "net.py:Net: training failed at epoch 2, batch 1, at net.py:18: RuntimeError: a late batch"
    assert line == "cnn-tui train: " + sentence
    assert json.loads(checkpoint.with_suffix(".json").read_text())["epoch"] == 1
    (record,) = [json.loads(p.read_text()) for p in (tmp_path / "models" / "runs").glob("*/run.json")]
    assert (record["status"], record["reason"], len(record["epochs"])) == ("stopped", sentence, 1)


@pytest.mark.slow
def test_homework_goes_on_after_an_experiment_the_own_network_fails(tmp_path, capsys):
    path = write(tmp_path, LATE_FAILURE.replace("FAIL_AT", "3"))
    runs = tmp_path / "runs"
    status = main(["homework", "--model", f"{path}:Net", *HOMEWORK, "--epochs", "1", "--plain", "--only", "lr_up", "lr_down",
                   "--no-combine", "--runs-dir", str(runs)])
    out = capsys.readouterr()
    assert status == 1 and "Traceback" not in out.err + out.out
    assert "lr_up failed: net.py:Net: training failed at epoch 1, batch 1, at net.py:18: RuntimeError: a late batch" in out.out + out.err
    statuses = sorted(json.loads(p.read_text())["status"] for p in runs.glob("*/run.json"))
    assert statuses == ["finished", "finished"]  # the baseline and lr_down; lr_up ended before its first epoch


@pytest.mark.slow
def test_homework_refuses_a_network_that_raises_only_in_training_in_one_sentence(tmp_path, capsys):
    path = write(tmp_path, "if self.training:\n    raise RuntimeError('only while training')\nreturn self.out(x.flatten(1))")
    line = refused(capsys, ["homework", "--model", f"{path}:Net", *HOMEWORK, "--epochs", "1", "--plain", "--no-record"])
    assert line.startswith("cnn-tui homework: net.py:Net: forward failed in training mode")
