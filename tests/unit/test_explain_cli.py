"""`cnn-tui explain`: the written-out steps, JSON for tools, presets, and one line with status 2 for mistakes."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnn_tui import commands
from cnn_tui.cli import main
from cnn_tui.core.lecture_examples import EXAMPLES


def _json(capsys, *args: str) -> dict:
    assert main(["explain", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_registered():
    assert "explain" in commands.COMMANDS


def test_conv_text_shows_padded_input_steps_output_formula_and_torch(capsys):
    assert main(["explain", "conv", "--input", "range:3x3", "--kernel", "[[1, 0], [0, 1]]", "--padding", "1", "--bias", "1"]) == 0
    out = capsys.readouterr().out
    assert "step 1/16" in out
    assert "0×1 + 0×0 + 0×0 + 0×1 + 1 (bias) = 1" in out  # the corner window sees three padding zeros and 0
    assert "(3 − 2 + 2) / 1 + 1 = 4" in out
    assert "nn.Conv2d(in_channels=1, out_channels=1, kernel_size=2, stride=1, padding=1)" in out


def test_pool_text_lecture_table(capsys):
    assert main(["explain", "pool", "--mode", "max", "--input", "[[0, 1, 2], [3, 4, 5], [6, 7, 8]]",
                 "--kernel-size", "2", "--stride", "1", "--padding", "1"]) == 0
    out = capsys.readouterr().out
    assert "max(-∞, -∞, -∞, 0) = 0" in out and "max(4, 5, 7, 8) = 8" in out
    assert " 6  7  8  8 " in out
    assert "nn.MaxPool2d(kernel_size=2, stride=1, padding=1)" in out


def test_json_conv_equals_torch(capsys):
    data = _json(capsys, "conv", "--input", "random:3x5x5", "--seed", "0", "--kernel", "random:2x3x3x3", "--bias", "1,0",
                 "--stride", "2", "--padding", "1", "--steps", "all")
    x = torch.tensor(data["input"], dtype=torch.float64)[None]
    w = torch.tensor(data["weights"], dtype=torch.float64)
    expected = F.conv2d(x, w, torch.tensor([1.0, 0.0], dtype=torch.float64), stride=2, padding=1)[0]
    assert data["output"] == expected.tolist() and data["output_shape"] == [2, 3, 3]
    assert data["shape"]["rows"]["arithmetic"] == "(5 − 3 + 2) / 2 + 1 = 3"
    assert len(data["steps"]) == data["steps_total"] == 18
    first = data["steps"][0]
    assert sum(first["partial_sums"]) + first["bias"] == first["result"] == data["output"][0][0][0]


def test_json_seed_changes_random_input(capsys):
    a = _json(capsys, "pool", "--input", "random:2x4x4", "--seed", "1")
    b = _json(capsys, "pool", "--input", "random:2x4x4", "--seed", "2")
    assert a["input"] != b["input"] and np.array(a["input"]).shape == (2, 4, 4)


def test_json_avg_pool_with_ceil_mode_and_steps_limit(capsys):
    data = _json(capsys, "pool", "--mode", "avg", "--input", "range:5x5", "--kernel-size", "2", "--ceil-mode",
                 "--no-count-include-pad", "--steps", "2")
    expected = F.avg_pool2d(torch.arange(25.0).reshape(1, 1, 5, 5), 2, ceil_mode=True, count_include_pad=False)[0]
    assert data["output"] == expected.tolist()
    assert len(data["steps"]) == 2 and data["steps_total"] == 9
    assert data["steps"][0]["sum"] == 0 + 1 + 5 + 6 and data["steps"][0]["divisor"] == 4
    assert data["torch"] == "nn.AvgPool2d(kernel_size=2, stride=2, padding=0, ceil_mode=True, count_include_pad=False)"


def test_json_max_pool_padding_is_null(capsys):
    data = _json(capsys, "pool", "--preset", "max-pool-padding", "--steps", "1")
    assert data["steps"][0]["values"] == [[None, None], [None, 0]]
    assert data["steps"][0]["kinds"] == [["padding", "padding"], ["padding", "input"]]
    assert data["steps"][0]["winner"] == [1, 1]


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_every_preset_explains(capsys, name):
    kind = EXAMPLES[name].kind
    data = _json(capsys, kind, "--preset", name)
    assert data["output"] == EXAMPLES[name].trace().output.tolist()


def test_presets_listing(capsys):
    assert main(["explain", "presets"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in EXAMPLES)


@pytest.mark.parametrize(
    "args, message",
    [
        (["conv", "--input", "[[1, 2], [3]]", "--kernel", "[[1]]"], "ragged rows"),
        (["conv", "--input", "[[1, x]]", "--kernel", "[[1]]"], "not a matrix"),
        (["conv", "--input", "range:3x3", "--kernel", "range:4x4"], "kernel_size 4×4 is larger than the padded input 3×3"),
        (["conv", "--input", "range:3x3", "--kernel", "range:2x2x2"], "in_channels"),
        (["conv", "--input", "range:3x3", "--kernel", "ones:2x2", "--stride", "0"], "stride must be at least 1"),
        (["conv", "--input", "range:3x3", "--kernel", "ones:2x2", "--padding", "-1"], "padding must be 0 or more"),
        (["conv", "--input", "range:3x3", "--kernel", "ones:2x1x2x2", "--bias", "1,2,3"], "bias has 3 number(s)"),
        (["conv", "--input", "range:3x3"], "give --input and --kernel"),
        (["conv", "--preset", "max-pool-api"], "is a pool example"),
        (["conv", "--preset", "nope"], "no preset 'nope'"),
        (["pool", "--input", "range:4x4", "--padding", "2"], "padding 2 is more than half the kernel size 2"),
        (["pool", "--input", "range:2x2", "--kernel-size", "3", "--stride", "1"], "the output would be empty"),
        (["pool", "--input", "range:4x4", "--stride", "two"], "is not a whole number"),
        (["pool", "--input", "range:4x4", "--mode", "median"], "invalid choice"),
        (["pool", "--input", "range:4x4", "--steps", "-1"], "0 or more"),
    ],
)
def test_mistakes_are_one_line_and_status_2(capsys, args, message):
    try:
        status = main(["explain", *args])
    except SystemExit as exit_:  # argparse's own errors (one line too, see OneLineParser)
        status = exit_.code
    assert status == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.slow
def test_subprocess_exit_status_and_no_traceback():
    result = subprocess.run(
        [sys.executable, "-m", "cnn_tui", "explain", "pool", "--input", "[[1, 2], [3]]"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "cnn-tui explain: ragged rows: input[1] has 1 number(s) but input[0] has 2; all rows must be the same length"
    ]
    bad_arg = subprocess.run(
        [sys.executable, "-m", "cnn_tui", "explain", "conv", "--stride", "x"], capture_output=True, text=True, timeout=60
    )
    assert bad_arg.returncode == 2 and len(bad_arg.stderr.strip().splitlines()) == 1


def test_five_thousand_nested_brackets_are_one_sentence(capsys):
    """Issue 29: `explain --input` with 5,000 nested brackets raised RecursionError."""
    assert main(["explain", "conv", "--input", "[" * 5000 + "1" + "]" * 5000, "--kernel", "[[1]]"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "lists nested 5,000 deep, more than the 8 a matrix can use" in err[0]
