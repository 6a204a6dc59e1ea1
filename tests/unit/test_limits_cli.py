"""Issue 17, part A, from the command line: every size is checked against config.Limits before anything is
allocated, every bad value ends in a sentence with exit status 2, a closed pipe or an ASCII terminal ends
quietly, and the full-screen app refuses a stdout that is not a terminal."""

from __future__ import annotations

import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cnn_tui.cli import main
from cnn_tui.config import LIMITS
from tests.tiny_network import tiny_models_dir

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), **kwargs.pop("env", {})}
    return subprocess.run(
        [sys.executable, "-m", "cnn_tui", *args], capture_output=True, text=True, timeout=120, env=env, **kwargs
    )


def _status(capsys, *args: str) -> tuple[int, str]:
    """main(args) in this process: its status (argparse's SystemExit included) and stderr."""
    try:
        status = main(list(args))
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    return status, capsys.readouterr().err


def png_header(path: Path, width: int, height: int, color_type: int = 6) -> Path:
    """A tiny PNG whose header claims width×height (colour type 6: RGBA) but holds no pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))
    return path


# -- sizes -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("conv", "--input", "range:4x4", "--kernel", "[[1]]", "--padding", "100000"),  # 298 GiB before
        ("conv", "--input", "range:4x4", "--kernel", "[[1]]", "--padding", "10000"),  # 23 GB, OOM-killed before
        ("pool", "--input", "range:4x4", "--kernel-size", "20000", "--padding", "10000"),
    ],
)
def test_explain_refuses_sizes_over_the_engine_budget_before_allocating(capsys, args):
    status, err = _status(capsys, "explain", *args)
    assert status == 2
    assert f"over the limit of {LIMITS.trace_numbers:,}" in err and "use less padding" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "shape, message",
    [
        ("random:9999x9999", f"each size can be at most {LIMITS.matrix_side}"),
        ("random:200x200x200", f"holds 8,000,000 numbers, more than the limit of {LIMITS.matrix_cells:,}"),
    ],
)
def test_typed_shapes_state_the_real_limit(capsys, shape, message):
    status, err = _status(capsys, "explain", "pool", "--input", shape)
    assert status == 2 and message in err


def test_explain_refuses_more_printed_numbers_than_it_writes_out(capsys):
    status, err = _status(capsys, "explain", "conv", "--input", "range:256x256", "--kernel", "[[1]]", "--padding", "300")
    assert status == 2
    assert f"more than the {LIMITS.report_cells:,} that explain writes out" in err


def test_explain_bad_seed_is_a_sentence(capsys):
    status, err = _status(capsys, "explain", "conv", "--seed", "-1", "--input", "random:3x3", "--kernel", "[[1]]")
    assert status == 2 and "a seed is a whole number from 0 to" in err and "Traceback" not in err


def test_long_explanation_shows_progress_and_stops_on_ctrl_c():
    process = subprocess.Popen(
        [sys.executable, "-m", "cnn_tui", "explain", "conv", "--input", "random:3x128x128", "--kernel",
         "random:4x3x3x3", "--steps", "all"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        first = process.stderr.readline()  # blocks until the first progress line
        assert "step" in first and "of 63,504 (Ctrl+C stops)" in first
        process.send_signal(signal.SIGINT)
        rest = process.stderr.read()
        assert process.wait(timeout=60) == 130
        assert "Traceback" not in rest
    finally:
        process.kill()


def test_summary_refuses_a_network_over_the_limits(capsys):
    status, err = _status(capsys, "summary", "--channels", "100000,100000")
    assert status == 2 and f"over the limit of {LIMITS.model_activations:,}" in err
    status, err = _status(capsys, "summary", "--fc", "100000,100000")
    assert status == 2 and f"parameters, over the limit of {LIMITS.model_parameters:,}" in err
    status, err = _status(capsys, "summary", "--batch-size", "60000")  # the shapes of one forward pass
    assert status == 2 and "a forward pass of 60,000 images would hold about" in err


def test_a_checkpoint_declaring_a_huge_network_is_refused_before_building(tmp_path, capsys):
    for file in tiny_models_dir().glob("image_classification.*"):
        shutil.copy(file, tmp_path / file.name)
    meta = tmp_path / "image_classification.json"
    data = json.loads(meta.read_text())
    data["model"]["conv_channels"] = [100000, 100000]
    meta.write_text(json.dumps(data))
    status, err = _status(capsys, "eval", "--data", "synthetic", "--checkpoint", str(tmp_path / "image_classification.pth"))
    assert status == 2 and "not valid cnn-tui checkpoint metadata" in err and "over the limit" in err


def test_an_image_too_large_to_decode_is_refused_from_its_header(tmp_path, capsys):
    path = png_header(tmp_path / "huge.png", 13000, 13000)  # 656 KB made predict use 7.1 GB
    status, err = _status(capsys, str(path))
    assert status == 2 and "13,000×13,000 RGBA would take about 8.1 GB of memory to decode" in err
    assert "over the limit of 2.0 GB" in err
    status, err = _status(capsys, "predict", str(path), "--checkpoint", str(tiny_models_dir() / "image_classification.pth"))
    assert status == 2 and "would take about 8.1 GB" in err


def test_a_truncated_jpeg_argument_exits_2_like_other_bad_files(tmp_path, capsys):
    path = tmp_path / "photo.jpg"
    Image.fromarray(np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)).save(path)
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    status, err = _status(capsys, str(cut))
    assert status == 2 and "damaged or truncated" in err


# -- command-line values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "option, value, sentence",
    [
        ("--momentum", "-1", "must be at least 0 and less than 1"),
        ("--lr", "0", "must be more than 0"),
        ("--lr", "inf", "must be more than 0"),
        ("--weight-decay", "-0.1", "must be at least 0"),
        ("--label-smoothing", "1", "less than 1"),
        ("--crop", "17", "from 0 to 16"),
        ("--seed", "-1", "from 0 to"),
        ("--epochs", "0", "must be at least 1"),
        ("--epochs", "5000", f"more than the limit of {LIMITS.epochs:,} epochs"),
        ("--batch-size", "100000", f"more than the limit of {LIMITS.batch_size:,} images per batch"),
        ("--threads", "1000", "only wait for each other"),
    ],
)
def test_bad_numbers_end_in_usage_and_a_sentence(capsys, option, value, sentence):
    status, err = _status(capsys, "train", option, value)
    assert status == 2
    assert err.startswith("usage: cnn-tui train") and f"argument {option}:" in err and sentence in err


def test_resume_refuses_a_different_model_or_recipe(tmp_path, capsys):
    for file in tiny_models_dir().glob("image_classification.*"):
        shutil.copy(file, tmp_path / file.name)
    checkpoint = str(tmp_path / "image_classification.pth")
    common = ("train", "--resume", "--checkpoint", checkpoint, "--data", "synthetic", "--epochs", "3")
    status, err = _status(capsys, *common, "--model", "wide")
    assert status == 2 and "not --model wide" in err and "leave --model out" in err
    status, err = _status(capsys, *common, "--recipe", "lecture")
    assert status == 2 and "not --recipe lecture" in err


def _image_tree(root: Path, empty: tuple[str, ...] = (), splits: tuple[str, ...] = ("train", "test")) -> Path:
    for split in splits:
        for name in ("cat", "dog"):
            folder = root / split / name
            folder.mkdir(parents=True)
            if (split, name) not in empty:
                for i in range(3):
                    Image.fromarray(np.full((32, 32, 3), 40 * i, np.uint8)).save(folder / f"{i}.png")
    return root


def test_an_image_tree_without_test_is_named(tmp_path, capsys):
    tree = _image_tree(tmp_path / "tree", splits=("train",))
    status, err = _status(capsys, "train", "--data", str(tree), "--no-record", "--checkpoint", str(tmp_path / "m.pth"))
    assert status == 2 and "test/ is missing" in err


@pytest.mark.slow
def test_an_empty_class_folder_is_warned_about(tmp_path):
    tree = _image_tree(tmp_path / "tree", empty=(("train", "dog"),))
    result = _run("train", "--data", str(tree), "--epochs", "1", "--no-record", "--plain", "--threads", "1",
                  "--checkpoint", str(tmp_path / "m.pth"), "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    assert "warning: class 'dog' has no training images" in result.stdout + result.stderr


# -- the terminal ----------------------------------------------------------------------------------


def test_a_closed_pipe_ends_quietly():
    process = subprocess.Popen(
        [sys.executable, "-m", "cnn_tui", "explain", "presets"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    process.stdout.close()  # the reader is gone before anything is written: `| head -0`
    err = process.stderr.read().decode()
    assert process.wait(timeout=60) == 1 and err == ""


def test_an_ascii_output_gets_replacement_characters_not_a_traceback():
    result = _run("explain", "conv", "--preset", "conv-padding", env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "(5 ? 3 + 2) / 1 + 1 = 5" in result.stdout  # the minus sign − has no ASCII form


def test_the_app_refuses_a_stdout_that_is_not_a_terminal(tmp_path):
    with (tmp_path / "out.txt").open("w") as out:
        result = subprocess.run(
            [sys.executable, "-m", "cnn_tui"], stdout=out, stderr=subprocess.PIPE, text=True, timeout=60,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    assert result.returncode == 2
    assert "the full-screen app needs a terminal" in result.stderr and "cnn-tui explain" in result.stderr
    assert (tmp_path / "out.txt").read_text() == ""
