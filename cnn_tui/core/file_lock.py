"""An advisory lock beside a file, so files written together (weights and their metadata) are read together.

Two `cnn-tui train` runs on one checkpoint path each replace `model.pth` and `model.json` every
epoch; without a lock a reader could get one run's weights with the other's metadata, and the two
writers could interleave their pairs. `locked(path)` holds `fcntl.flock` on `.model.pth.lock`
beside the file: writers take it exclusively around the whole pair, readers shared:

    with locked(checkpoint):                 # exclusive: write .pth, .json (and .resume.pth)
        ...
    with locked(checkpoint, shared=True):    # shared: read them as one unit
        ...

Where locks do not exist (not POSIX), or a reader cannot create the lock file (a read-only
folder, where nobody can be writing either), it does nothing.
"""

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
