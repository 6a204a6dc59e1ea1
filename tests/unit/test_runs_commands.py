"""`cnn-tui summary` with model settings, `cnn-tui train` recording its runs, and `cnn-tui runs` listing and comparing them."""

from __future__ import annotations

import pytest
import torch

from cnn_tui.cli import main

TINY = ["--data", "synthetic", "--train-limit", "400", "--test-limit", "100", "--batch-size", "50",
        "--optimizer", "adam", "--lr", "3e-3", "--epochs", "2", "--plain", "--threads", "1"]


@pytest.fixture(autouse=True)
def _keep_torch_threads():
    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)


def _one_line_error(capsys, code: int, *words: str) -> None:
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    for word in words:
        assert word in err


def test_summary_of_presets_and_edited_models(capsys):
    assert main(["summary", "--model", "resnet"]) == 0
    out = capsys.readouterr().out
    assert "model resnet:" in out and "Total params: 761,536" in out and "Mult-Adds per image: 23,988,736" in out
    assert main(["summary", "--channels", "32,64", "--fc", "256,128", "--activation", "gelu", "--batchnorm", "--dropout", "0.1"]) == 0
    out = capsys.readouterr().out
    assert "model lecture-custom:" in out and "BatchNorm2d-2" in out and "Total params: 643,850" in out
    _one_line_error(capsys, main(["summary", "--channels", "32,x"]), "--channels '32,x'")
    _one_line_error(capsys, main(["summary", "--depth", "2"]), "residual networks only")
    _one_line_error(capsys, main(["summary", "--model", "resnet", "--channels", "64"]), "at least two channel counts")


@pytest.mark.slow
def test_train_records_runs_that_runs_lists_and_compares(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["train", *TINY, "--label", "baseline"]) == 0
    out = capsys.readouterr().out
    assert "model lecture: 81,302 parameters, 371,856 multiply-adds per image" in out
    assert "recorded as run" in out and "models/runs" in out
    assert main(["train", *TINY, "--channels", "12,24", "--activation", "silu"]) == 0
    header = capsys.readouterr().out
    assert "model lecture-custom:" in header
    assert main(["train", *TINY, "--no-record", "--checkpoint", "other/m.pth"]) == 0
    assert "recorded" not in capsys.readouterr().out
    runs = list((tmp_path / "models" / "runs").iterdir())
    assert len(runs) == 2

    assert main(["runs"]) == 0
    listing = capsys.readouterr().out
    assert "2 runs in models/runs" in listing and "baseline" in listing and "lecture-custom" in listing
    assert main(["runs", "--compare", "1", "baseline"]) == 0
    compared = capsys.readouterr().out
    assert "model.conv_channels" in compared and "12,24" in compared and "6,16" in compared
    assert "model.activation" in compared and "silu" in compared and "recipe.lr" not in compared
    assert main(["runs", "--compare", "1", "2", "--all"]) == 0
    assert "recipe.lr" in capsys.readouterr().out
    _one_line_error(capsys, main(["runs", "--compare", "1", "nope"]), "no run 'nope'")
    _one_line_error(capsys, main(["runs", "--compare", "1"]), "at least two runs")
    _one_line_error(capsys, main(["train", *TINY, "--resume", "--channels", "8,8"]), "--resume")


def test_runs_with_nothing_recorded(tmp_path, capsys):
    assert main(["runs", "--runs-dir", str(tmp_path / "none")]) == 0
    assert "no recorded runs" in capsys.readouterr().out
