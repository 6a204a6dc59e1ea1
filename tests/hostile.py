"""Hostile files for the reliability tests: run records whose labels hold markup and escape sequences, broken JSON, FIFOs.

    write_hostile_runs(models_dir / "runs")   # two readable runs (labels MARKUP_LABEL, ESCAPE_LABEL) and two bad folders
"""

from __future__ import annotations

import os
from pathlib import Path

OSC_TITLE = "\x1b]2;PWNED-TITLE\x1b\\"  # xterm: set the window title (ST-terminated: Rich strips a BEL)
CLEAR_SCREEN = "\x1b[2J"
MARKUP_LABEL = "lr [/b]"
ESCAPE_LABEL = f"evil{OSC_TITLE}{CLEAR_SCREEN}"
# What ESCAPE_LABEL looks like once shown as text: the controls as visible escapes.
ESCAPE_SHOWN = "evil\\x1b]2;PWNED-TITLE\\x1b\\\\x1b[2J"


def write_hostile_runs(runs_dir: Path) -> None:
    """Two readable runs with hostile labels, a run.json holding `[1,2,3]`, and a FIFO in place of a run.json."""
    from cnn_tui.ml.events import EpochResult
    from cnn_tui.ml.runs import RUN_FILE, RunRecord, write_run

    for number, (label, accuracy) in enumerate(((MARKUP_LABEL, 0.5), (ESCAPE_LABEL, 0.4))):
        run_id = f"20261201-00000{number}-lecture-{number:04x}"
        epoch = EpochResult(1, 2, 1.5, 0.4, 1.4, accuracy, 3.0, 0.5, 100.0, 0.001)
        record = RunRecord(
            run_id=run_id,
            model={"name": "lecture", "conv_channels": [6, 16]},
            recipe={"name": "fast", "optimizer": "adam", "lr": 0.001, "batch_size": 8, "epochs": 2, "note": f"[red]{OSC_TITLE}{number}"},
            data={"name": "synthetic", "source": f"synthetic [/i]{CLEAR_SCREEN}", "train_images": 100, "test_images": 50},
            label=label,
            epochs=(epoch,),
            status="finished",
        )
        write_run(record, runs_dir / run_id)
    (runs_dir / "list").mkdir()
    (runs_dir / "list" / RUN_FILE).write_text("[1,2,3]", encoding="utf-8")
    (runs_dir / "fifo").mkdir()
    os.mkfifo(runs_dir / "fifo" / RUN_FILE)


def write_hostile_checkpoint(path: Path) -> None:
    """An untrained lecture network whose metadata names its classes with a title escape and markup."""
    from cnn_tui.ml.checkpoints import CheckpointMeta, save_checkpoint
    from cnn_tui.ml.models import LECTURE, build_model

    classes = tuple(f"c{i}{OSC_TITLE}[b]" for i in range(10))
    save_checkpoint(path, build_model(LECTURE), CheckpointMeta(LECTURE, classes, None, None, epoch=1))


def png_bomb(path: Path, width: int = 30_000, height: int = 30_000) -> Path:
    """A PNG of a few hundred bytes whose header says width×height RGB pixels (its pixel data is one short row):
    opening it reads only the header; decoding it would allocate width×height×3 bytes first."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" + b"\0" * 3 * min(width, 64))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))
    return path


def jpeg_bomb(path: Path, width: int = 30_000, height: int = 30_000) -> Path:
    """A JPEG of a few hundred bytes (an 8×8 one) whose frame header says width×height pixels."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="JPEG")
    data = bytearray(buffer.getvalue())
    frame = data.index(b"\xff\xc0")  # baseline frame header: length (2), precision (1), height (2), width (2)
    data[frame + 5 : frame + 9] = height.to_bytes(2, "big") + width.to_bytes(2, "big")
    path.write_bytes(bytes(data))
    return path
