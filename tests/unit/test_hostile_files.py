"""Text and files from disk, from the user's side: markup and escapes are shown as text, bad records never hang or crash."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from cnn_tui.cli import main
from tests.hostile import ESCAPE_SHOWN, MARKUP_LABEL, write_hostile_checkpoint, write_hostile_runs


def _within(seconds: float, call):  # noqa: ANN001, ANN202
    """`call()`'s result, failing (not hanging) when it blocks longer than `seconds` (e.g. on a FIFO)."""
    box: dict = {}
    thread = threading.Thread(target=lambda: box.setdefault("result", call()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still blocked after {seconds} s"
    return box["result"]


def test_runs_shows_hostile_labels_as_text_and_skips_bad_records_with_a_sentence(tmp_path, capsys):
    runs_dir = tmp_path / "runs"
    runs_dir.mkdir()
    write_hostile_runs(runs_dir)
    assert _within(60, lambda: main(["runs", "--runs-dir", str(runs_dir)])) == 0
    out, err = capsys.readouterr()
    assert "\x1b" not in out and "\x07" not in out, "control characters from a file reached the terminal"
    assert MARKUP_LABEL in out and ESCAPE_SHOWN[:20] in out
    skipped = [line for line in err.splitlines() if "skipped" in line]
    assert len(skipped) == 2 and "Traceback" not in err
    assert any("holds a JSON list, not a record" in line for line in skipped)
    assert any("is a named pipe (FIFO), not a file" in line for line in skipped)

    assert _within(60, lambda: main(["runs", "--runs-dir", str(runs_dir), "--compare", "1", "2", "--all"])) == 0
    out, err = capsys.readouterr()
    assert "\x1b" not in out and "\x07" not in out and "Traceback" not in err
    assert "1. lr [/b]" in out and "[red]\\x1b]2;PWNED-TITLE\\x1b\\" in out


@pytest.fixture
def hostile_checkpoint(tmp_path) -> Path:
    path = tmp_path / "evil.pth"
    write_hostile_checkpoint(path)
    return path


def test_predict_shows_class_names_from_a_checkpoint_as_text(hostile_checkpoint, tmp_path, capsys):
    from PIL import Image

    image = tmp_path / "img.png"
    Image.new("RGB", (32, 32), (200, 30, 30)).save(image)
    assert main(["predict", str(image), "--checkpoint", str(hostile_checkpoint), "--threads", "1"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b]2;PWNED-TITLE\\x1b\\[b]" in out


def test_a_fifo_or_device_as_checkpoint_is_refused_at_once(hostile_checkpoint, tmp_path, capsys):
    image = tmp_path / "img.png"
    from PIL import Image

    Image.new("RGB", (32, 32)).save(image)
    fifo = tmp_path / "pipe.pth"
    os.mkfifo(fifo)
    for checkpoint, words in ((fifo, "is a named pipe (FIFO), not a file"), (Path("/dev/zero"), "/dev/zero is a device")):
        code = _within(60, lambda c=checkpoint: main(["predict", str(image), "--checkpoint", str(c), "--threads", "1"]))
        err = capsys.readouterr().err
        assert code == 2 and words in err and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    # the metadata beside a checkpoint as a FIFO
    hostile_checkpoint.with_suffix(".json").unlink()
    os.mkfifo(hostile_checkpoint.with_suffix(".json"))
    code = _within(60, lambda: main(["predict", str(image), "--checkpoint", str(hostile_checkpoint), "--threads", "1"]))
    err = capsys.readouterr().err
    assert code == 2 and "evil.json cannot be read" in err and "named pipe" in err, err
