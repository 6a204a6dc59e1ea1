"""The command line: help, version, bad image paths, and no traceback for a user's mistake."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
from PIL import Image

from cnn_tui import __version__, commands
from cnn_tui.cli import build_parser, main


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cnn_tui", *args], capture_output=True, text=True, timeout=120
    )


def test_help_lists_options_and_registered_commands_only():
    result = _cli("--help")
    assert result.returncode == 0
    assert "--lang" in result.stdout and "IMAGE" in result.stdout
    for name in commands.COMMANDS:
        assert name in result.stdout
    for name in ("explain", "train", "eval", "summary", "predict", "runs"):
        if name not in commands.COMMANDS:
            assert f"\n  {name} " not in result.stdout


def test_version():
    result = _cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"cnn-tui {__version__}"


def test_missing_image_is_one_line_and_status_2():
    result = _cli("no/such/image.png")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["cnn-tui: cannot open 'no/such/image.png': no such file"]
    assert "Traceback" not in result.stderr


def test_directory_and_non_image_are_rejected(tmp_path, capsys):
    assert main([str(tmp_path)]) == 2
    assert "directory" in capsys.readouterr().err
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    assert main([str(text)]) == 2
    err = capsys.readouterr().err
    assert "not an image" in err and "Traceback" not in err


def test_unknown_language_is_an_argparse_error():
    result = _cli("--lang", "fr")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_valid_image_reaches_the_app(tmp_path, monkeypatch):
    path = tmp_path / "img.png"
    Image.fromarray(np.zeros((4, 4, 3), np.uint8)).save(path)
    seen = {}

    def fake_run_app(config):
        seen["config"] = config
        return 0

    monkeypatch.setattr("cnn_tui.ui.app.run_app", fake_run_app)
    monkeypatch.setattr("cnn_tui.cli.stdout_is_terminal", lambda: True)
    assert main([str(path), "--lang", "zh"]) == 0
    assert seen["config"].image == path and seen["config"].lang == "zh"


def test_parser_defaults():
    args = build_parser().parse_args([])
    assert args.image is None and args.lang is None


def test_practice_record_reaches_the_app(tmp_path, monkeypatch):
    seen = {}

    def fake_run_app(config):
        seen["config"] = config
        return 0

    monkeypatch.setattr("cnn_tui.cli.stdout_is_terminal", lambda: True)
    monkeypatch.setattr("cnn_tui.ui.app.run_app", fake_run_app)
    assert main(["--practice-record", str(tmp_path / "me.json")]) == 0
    assert seen["config"].practice_record == tmp_path / "me.json"
