"""A batch too large for the machine's memory is refused before anything is allocated (issue 29): `train` (every
network, own files included) and `summary` say how much it needs, how much there is, and a batch size that fits."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap

import pytest

from cnn_tui.cli import main
from cnn_tui.ml import batch_memory as memory_module
from cnn_tui.ml.batch_memory import BatchMemory, batch_memory, check_batch_memory
from cnn_tui.ml.models import build_model
from cnn_tui.ml.summary import MB

MIB = 1024 * 1024
# Upsampled 32× to 3×1024×1024: 16 MB of layer outputs an image, so 50,000 images need 780 GB — more than any machine.
HUGE = """
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.up = nn.Upsample(scale_factor=32)
        self.c = nn.Conv2d(3, 1, 1)
        self.p = nn.AdaptiveAvgPool2d(1)
        self.o = nn.Linear(1, 10)

    def forward(self, x):
        return self.o(self.p(self.c(self.up(x))).flatten(1))
"""


def test_the_estimate_follows_the_shape_chain_and_names_the_largest_power_of_two_that_fits():
    memory = batch_memory(build_model("lecture"), (3, 32, 32))
    # lecture: 3,072 input numbers, 10,244 layer outputs (5,400 + 1,350 + 2,704 + 576 + 120 + 84 + 10), 81,302 parameters (×4: weights, gradients, Adam's two)
    assert memory == BatchMemory(fixed=81_302 * 4 * 4, per_image=(3_072 + 10_244) * 4)
    assert memory.largest_batch(memory.fixed + 1000 * memory.per_image) == 512
    assert memory.largest_batch(memory.fixed) == 0
    check_batch_memory(memory, 1000, "lecture", available=memory.total(1000))  # exactly enough: no error


@pytest.mark.slow
def test_train_refuses_a_batch_over_the_available_memory_and_names_one_that_fits(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(memory_module, "available_bytes", lambda: 512 * MIB)
    status = main(["train", "--model", "resnet", "--data", "synthetic", "--batch-size", "4096", "--train-limit", "5000",
                   "--min-steps", "0", "--epochs", "1", "--plain", "--no-record", "--checkpoint", str(tmp_path / "c.pth")])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1 and "Traceback" not in err, err
    assert re.fullmatch(
        r"cnn-tui train: training resnet on batches of 4,096 images needs about 1\.3 GB of memory \(.*\), more than "
        r"the 0\.5 GB this machine has available; a batch size of 1024 fits\n", err
    ), err


@pytest.mark.slow
def test_the_batch_counts_no_more_images_than_the_training_set_has(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(memory_module, "available_bytes", lambda: 512 * MIB)
    status = main(["train", "--model", "resnet", "--data", "synthetic", "--batch-size", "4096", "--train-limit", "64",
                   "--test-limit", "32", "--threads", "1", "--min-steps", "0", "--epochs", "1", "--plain", "--no-record",
                   "--checkpoint", str(tmp_path / "c.pth")])
    assert status == 0, capsys.readouterr().err  # 64 images a batch fit


@pytest.mark.slow
@pytest.mark.parametrize("command", ["summary", "train"])
def test_an_own_network_too_large_for_the_batch_is_a_sentence(tmp_path, command):
    path = tmp_path / "huge.py"
    path.write_text(textwrap.dedent(HUGE), encoding="utf-8")
    args = ["--model", f"{path}:Net", "--batch-size", "50000"]
    if command == "train":
        args += ["--data", "synthetic", "--min-steps", "0", "--epochs", "1", "--checkpoint", str(tmp_path / "c.pth")]
    result = subprocess.run([sys.executable, "-m", "cnn_tui", command, *args], capture_output=True, text=True,
                            timeout=300, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    (line,) = result.stderr.strip().splitlines()
    if command == "summary":
        assert re.fullmatch(
            r"cnn-tui summary: a forward pass of 50,000 images through huge\.py:Net would need about 781\.\d GB of "
            r"memory, more than the [\d.]+ GB this machine has available; the shapes scale with the batch, so "
            r"--batch-size \d+ shows the same table", line
        ), line
    else:  # the synthetic set has 5,000 training images: the batch cannot hold more
        assert re.fullmatch(
            r"cnn-tui train: training huge\.py:Net on batches of 5,000 images needs about 78\.\d GB of memory \(.*\), "
            r"more than the [\d.]+ GB this machine has available; a batch size of \d+ fits", line
        ), line
