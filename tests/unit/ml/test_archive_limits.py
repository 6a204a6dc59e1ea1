"""Hostile tarballs (issue 29): members claiming gigabytes, too many members, too much in all — each refused with
one sentence from the member headers, before anything of that size is read, skipped or allocated."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tarfile
import threading
import tracemalloc
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from cnn_tui.config import ARCHIVE_LIMITS
from cnn_tui.i18n import describe, set_language
from cnn_tui.ml import archive_limits
from cnn_tui.ml.archive_limits import ArchiveTooLarge
from cnn_tui.ml.data import DataSourceError, load_dataset
from tests.conftest import REPO_ROOT

GIGABYTES_20 = 20 << 30


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (9, 9, 9)).save(buffer, format="PNG")
    return buffer.getvalue()


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


def _pair(folder: Path, train_extra: list[tarfile.TarInfo] | None = None, images: int = 2) -> Path:
    """train.tar.gz / test.tar.gz with `images` small PNGs in class `cat` each; train ends with `train_extra`'s headers
    alone (a header claiming a size writes no bytes of it: the archive stays a few hundred bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    for split in ("train", "test"):
        with tarfile.open(folder / f"{split}.tar.gz", "w:gz", format=tarfile.GNU_FORMAT) as archive:
            for i in range(images):
                _add(archive, f"{split}/cat/{i}.png", _png())
            for info in train_extra or [] if split == "train" else []:
                archive.fileobj.write(info.tobuf(tarfile.GNU_FORMAT))  # the header only, never the claimed bytes
    return folder


def _claiming(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    return info


def test_a_header_claiming_20_gb_is_refused_without_allocating_it(tmp_path):
    folder = _pair(tmp_path / "bomb", [_claiming("train/cat/big.png", GIGABYTES_20)])
    assert (folder / "train.tar.gz").stat().st_size < 2000
    tracemalloc.start()
    try:
        with pytest.raises(ArchiveTooLarge) as error:
            load_dataset(folder, tmp_path / "home", cache=False)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 << 20, f"reading the archive allocated {peak:,} bytes"
    assert str(error.value) == (
        f"{folder / 'train.tar.gz'}: train/cat/big.png is {GIGABYTES_20:,} bytes, over the limit of 1,048,576 bytes "
        "for one file of a data-set archive (a CIFAR-10 image is about 1 KB); remove it from the archive or use another one"
    )
    set_language("zh")
    try:
        assert describe(error.value).startswith(f"{folder / 'train.tar.gz'}：train/cat/big.png 有 {GIGABYTES_20:,} 字节")
    finally:
        set_language("en")


def test_a_long_name_header_claiming_20_gb_is_refused_before_tarfile_reads_it(tmp_path):
    """tarfile reads a long name's whole claimed size before yielding its member; the bound comes first."""
    long_name = _claiming("train/cat/" + "x" * 200 + ".png", 10)
    block = bytearray(long_name.tobuf(tarfile.GNU_FORMAT)[:512])  # the ././@LongLink header
    block[124:136] = tarfile.itn(GIGABYTES_20, 12, tarfile.GNU_FORMAT)
    block[148:156] = b" " * 8
    block[148:156] = b"%06o\0 " % sum(block)
    folder = _pair(tmp_path / "bomb")
    with tarfile.open(folder / "train.tar.gz", "w:gz") as archive:
        archive.fileobj.write(bytes(block) + b"\0" * 4096)
    with pytest.raises(ArchiveTooLarge, match=r"././@LongLink is 21,474,836,480 bytes, over the limit"):
        load_dataset(folder, tmp_path / "home", cache=False)


def test_too_many_members_and_too_much_in_all_are_refused(tmp_path, monkeypatch):
    folder = _pair(tmp_path / "many", images=6)
    monkeypatch.setattr(archive_limits, "ARCHIVE_LIMITS", replace(ARCHIVE_LIMITS, members=5))
    with pytest.raises(ArchiveTooLarge) as error:
        load_dataset(folder, tmp_path / "home", cache=False)
    assert str(error.value).startswith(f"{folder / 'train.tar.gz'}: more than 5 files, over the limit for a data-set archive")
    monkeypatch.setattr(archive_limits, "ARCHIVE_LIMITS", replace(ARCHIVE_LIMITS, total_bytes=3 * len(_png())))
    with pytest.raises(ArchiveTooLarge) as error:
        load_dataset(folder, tmp_path / "home", cache=False)
    assert f"its files add up to more than {3 * len(_png()):,} bytes" in str(error.value)
    monkeypatch.setattr(archive_limits, "ARCHIVE_LIMITS", ARCHIVE_LIMITS)
    assert load_dataset(folder, tmp_path / "home", cache=False).train.images.shape == (6, 3, 32, 32)  # within bounds: read


def _run_measured(args: list[str], cwd: Path) -> tuple[int, str, int]:
    """Run `python -m cnn_tui ARGS` (killed after 180 s): (exit status, stderr, its peak resident memory in bytes)."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    with open(cwd / "stderr.txt", "w+") as err:
        process = subprocess.Popen([sys.executable, "-m", "cnn_tui", *args], cwd=cwd, env=env,
                                   stdout=subprocess.DEVNULL, stderr=err)
        watchdog = threading.Timer(180, process.kill)
        watchdog.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)  # this child's own rusage, not every child's so far
        finally:
            watchdog.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return process.returncode, err.read(), usage.ru_maxrss * 1024


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tar") is None, reason="needs tar to write a sparse member")
def test_the_issues_sparse_3_gb_bomb_is_one_sentence_in_import_and_data(tmp_path):
    """Issue 29's reproduction: a few hundred bytes of train.tar.gz holding a sparse 3 GB image."""
    src = tmp_path / "src"
    for split in ("train", "test"):
        (src / split / "cat").mkdir(parents=True)
        Image.new("RGB", (32, 32)).save(src / split / "cat" / "a.png")
    with open(src / "train" / "cat" / "big.png", "wb") as big:
        big.truncate(3 << 30)
    subprocess.run(["tar", "--sparse", "-czf", "../train.tar.gz", "train"], cwd=src, check=True)
    subprocess.run(["tar", "-czf", "../test.tar.gz", "test"], cwd=src, check=True)
    (src / "train" / "cat" / "big.png").unlink()
    assert (tmp_path / "train.tar.gz").stat().st_size < 4096
    expected = (f"{tmp_path / 'train.tar.gz'}: train/cat/big.png is 3,221,225,472 bytes, over the limit of 1,048,576 bytes "
                "for one file of a data-set archive (a CIFAR-10 image is about 1 KB); remove it from the archive or use another one")
    for command in (["data", "import", str(tmp_path), "--data-dir", str(tmp_path / "home")],
                    ["train", "--data", str(tmp_path), "--epochs", "1", "--plain"]):
        code, err, peak = _run_measured(command, tmp_path)
        assert code == 2 and "Traceback" not in err, err
        assert err.strip().splitlines()[-1] == f"cnn-tui {command[0] if command[0] == 'train' else 'data import'}: {expected}"
        assert peak < 2 << 30, f"{command[0]} peaked at {peak:,} bytes"  # importing torch alone takes about 0.7 GB
    assert not (tmp_path / "home" / "dataset.pt").exists()


def test_a_damaged_archive_is_one_line(tmp_path):
    folder = _pair(tmp_path / "damaged")
    (folder / "train.tar.gz").write_bytes(b"\x1f\x8b not really gzip" + b"\0" * 600)
    with pytest.raises(DataSourceError) as error:
        load_dataset(folder, tmp_path / "home", cache=False)
    assert str(error.value).startswith(f"{folder / 'train.tar.gz'}: not a readable tar archive (")
    assert "\n" not in str(error.value)
