"""A full disk (or another OSError) while `cnn-tui train` saves: one sentence saying what was being saved and which
checkpoint is intact, no chained tracebacks, no partial files, the earlier epoch loadable (issue 29). The disk
fills through a monkeypatched write (ENOSPC) — no tmpfs is mounted."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

from cnn_tui.cli import main
from cnn_tui.ml.checkpoints import load_model

SMALL = ["--data", "synthetic", "--train-limit", "64", "--test-limit", "32", "--batch-size", "32", "--threads", "1",
         "--min-steps", "0", "--plain"]


def fill_disk(monkeypatch, when, number: int = errno.ENOSPC) -> None:
    """Writes of a `.part` file for which `when(path)` holds fail half-way with OSError(number)."""
    for method in ("write_bytes", "write_text"):
        real = getattr(Path, method)

        def failing(self, data, *args, _real=real, **kwargs):
            if self.name.endswith(".part") and when(self):
                _real(self, data[: len(data) // 2], *args, **kwargs)
                raise OSError(number, __import__("os").strerror(number))
            return _real(self, data, *args, **kwargs)

        monkeypatch.setattr(Path, method, failing)


def train(capsys, checkpoint: Path) -> tuple[int, str]:
    status = main(["train", *SMALL, "--epochs", "2", "--checkpoint", str(checkpoint)])
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1, err
    return status, err.strip()


def no_partial_files(folder: Path) -> bool:
    return not [p for p in folder.rglob("*") if p.name.endswith(".part")]


def test_no_space_while_saving_the_second_epoch_keeps_the_first(tmp_path, capsys, monkeypatch):
    checkpoint = tmp_path / "models" / "c.pth"
    fill_disk(monkeypatch, lambda p: p.name.startswith(".c.") and checkpoint.with_suffix(".json").exists())
    status, line = train(capsys, checkpoint)
    assert status == 2
    assert line == (
        f"cnn-tui train: no space left on the disk holding {checkpoint.parent} while saving epoch 2 to {checkpoint}; "
        "the epoch-1 checkpoint is intact"
    )
    monkeypatch.undo()
    _, meta = load_model(checkpoint)
    assert meta.epoch == 1 and no_partial_files(tmp_path)
    (record,) = [json.loads(p.read_text()) for p in (checkpoint.parent / "runs").glob("*/run.json")]
    assert record["status"] == "stopped" and len(record["epochs"]) == 1 and "no space left" in record["reason"]


def test_no_space_for_the_run_record_says_so_and_the_checkpoint_is_intact(tmp_path, capsys, monkeypatch):
    checkpoint = tmp_path / "models" / "c.pth"
    fill_disk(monkeypatch, lambda p: p.name.startswith(".run.json"))
    status, line = train(capsys, checkpoint)
    assert status == 2
    (folder,) = (checkpoint.parent / "runs").iterdir()
    assert line == (
        f"cnn-tui train: no space left on the disk holding {folder} while saving the run record of epoch 1; "
        "the epoch-1 checkpoint is intact"
    )
    monkeypatch.undo()
    assert load_model(checkpoint)[1].epoch == 1 and no_partial_files(tmp_path)


def test_another_error_on_the_first_save_names_its_reason(tmp_path, capsys, monkeypatch):
    checkpoint = tmp_path / "models" / "c.pth"
    fill_disk(monkeypatch, lambda p: p.name.startswith(".c."), errno.EIO)
    status, line = train(capsys, checkpoint)
    assert status == 2
    assert line == f"cnn-tui train: epoch 1 could not be saved to {checkpoint} (Input/output error); no earlier epoch had been saved"
    assert not checkpoint.exists() and no_partial_files(tmp_path)
