"""Reading files anyone could have put there: regular files only, so a FIFO or a device never blocks a read."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO


class NotRegularFile(OSError):
    """The path is a folder, FIFO, device or socket where a file was expected; the message says which."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_regular(path: Path, info: os.stat_result | None = None) -> None:
    """Raise NotRegularFile unless `path` (or the already taken `info`) is a regular file; FileNotFoundError passes."""
    info = info if info is not None else os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise NotRegularFile(f"{path} is {_kind(info.st_mode)}, not a file")


def open_regular(path: Path) -> BinaryIO:
    """`path` opened for binary reading, refused (NotRegularFile) unless it is a regular file; never blocks."""
    check_regular(path)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        check_regular(path, os.fstat(fd))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular_text(path: Path, encoding: str = "utf-8") -> str:
    """The whole text of the regular file at `path` (NotRegularFile for a FIFO, device, socket or folder)."""
    with open_regular(path) as handle:
        return handle.read().decode(encoding)


def writable_problem(path: Path) -> str:
    """Why a file cannot be written (atomically: a temporary file beside it, then a rename) at `path`, or ''.

    Checked by creating and removing a temporary file in its folder (made if missing), so it gives
    the real answer for a folder in its place, /proc, a read-only folder or file system, or a full disk's
    inode table, before any work is done."""
    if path.is_dir():
        return "is a folder, not a file"
    if path.exists() and not path.is_file():
        return "is not a regular file"
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".probe", dir=folder)
    except OSError as error:
        return f"cannot write to {folder} ({error.strerror or error})"
    os.close(fd)
    os.unlink(probe)
    return ""
