"""File names are text from a stranger (issue 29): `predict`'s output, its notes and its errors show their control
characters escaped, never as escape sequences the terminal obeys — as `cat -v` would reveal."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import torch
from PIL import Image

from cnn_tui.cli import main
from cnn_tui.ml.checkpoints import CheckpointMeta, save_checkpoint
from cnn_tui.ml.data import CIFAR10_CLASSES
from cnn_tui.ml.models import LECTURE, build_model
from tests.conftest import REPO_ROOT

RED = "\x1b[31mred.png"
RED_SHOWN = "\\x1b[31mred.png"


@pytest.fixture
def checkpoint(tmp_path):
    torch.manual_seed(0)
    path = tmp_path / "m.pth"
    save_checkpoint(path, build_model(LECTURE), CheckpointMeta(LECTURE, CIFAR10_CLASSES, None, None, epoch=1))
    return path


@pytest.fixture
def red(tmp_path):
    Image.new("RGB", (30, 30)).save(tmp_path / RED)
    (tmp_path / "\x1b]2;TITLE\x07broken.png").write_bytes(b"not an image")
    return tmp_path / RED


@pytest.mark.slow
def test_predict_shows_a_file_names_escape_as_text(checkpoint, red, tmp_path):
    """The issue's reproduction: `cnn-tui predict /tmp/*red.png | cat -v` showed a raw ESC."""
    images = sorted(str(p) for p in tmp_path.glob("*.png"))
    done = subprocess.run([sys.executable, "-m", "cnn_tui", "predict", *images, "--checkpoint", str(checkpoint),
                           "--threads", "1"], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    assert done.returncode == 2 and "Traceback" not in done.stderr  # one image did not open
    assert "\x1b" not in done.stdout + done.stderr and "\x07" not in done.stdout + done.stderr
    assert done.stdout.splitlines()[0] == f"{tmp_path}/{RED_SHOWN} (resized from 30×30 to 32×32)"
    assert "broken.png" in done.stderr and "\\x1b]2;TITLE\\x07broken.png" in done.stderr


def test_predict_explain_and_save_png_show_it_escaped(checkpoint, red, tmp_path, capsys):
    out = tmp_path / "\x1b[2Jout.png"
    assert main(["predict", str(red), "--checkpoint", str(checkpoint), "--save-png", str(out), "--threads", "1"]) == 0
    printed = capsys.readouterr()
    assert "\x1b" not in printed.out + printed.err
    assert printed.out.startswith(f"{tmp_path}/{RED_SHOWN}") and f"saved {tmp_path}/\\x1b[2Jout.png" in printed.out
    assert out.is_file()


def test_data_errors_and_notes_quote_file_names_escaped(tmp_path, capsys):
    assert main(["data", "import", str(tmp_path / "\x1b[2Jnowhere"), "--data-dir", str(tmp_path / "home")]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and f"--data {tmp_path}/\\x1b[2Jnowhere: no such file or folder" in err

