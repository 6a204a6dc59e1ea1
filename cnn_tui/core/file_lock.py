"""An advisory lock beside a file, so files written together (weights and their metadata) are read together."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]


def lock_path(path: Path) -> Path:
    """`.NAME.lock` beside `path`."""
    return path.with_name(f".{path.name}.lock")


@contextmanager
def locked(path: Path, *, shared: bool = False) -> Iterator[None]:
    """Hold the lock of `path` (exclusive for writing, `shared` for reading) for the `with` block."""
    if fcntl is None:
        yield
        return
    try:
        fd = os.open(lock_path(path), os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError:
        if not shared:
            raise
        yield  # a reader in a folder it cannot write: no writer can be there either
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
