"""Keep freed memory in the process for the next batch instead of handing it back to the kernel (glibc only).

glibc's malloc serves every block over 128 KB with a fresh `mmap` and returns it with `munmap` when freed,
raising that threshold only as it sees larger blocks freed. A training step allocates and frees the same
few-megabyte activations every batch, so until the threshold has grown past them each batch takes its
memory as new pages again, one page fault per 4 KB: over the first two epochs of `cnn-tui train --recipe
fast` that was 690,000 page faults against 200,000 with the thresholds fixed, and the first epoch took
5.2 s against 4.9 s, and making 128 training inputs took 4.9 ms against 2.0 ms (benchmarks/README.md).
`reuse_freed_memory` fixes both thresholds, as MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_ would at
start-up; the torch commands and the app call it. Blocks of 32 MB and more (a data set) still go back to the
kernel when freed, and at most 64 MB of free memory stays at the heap's top.
"""

from __future__ import annotations

import ctypes
import sys

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's own ceiling for its dynamic threshold on 64-bit machines
TRIM_THRESHOLD = 64 * 1024 * 1024  # freed memory kept for reuse before the heap's top is given back (a batch's ~40 MB)


def reuse_freed_memory() -> bool:
    """Set glibc's mmap and trim thresholds for this process; False (nothing changed) elsewhere."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version  # noqa: B018  (only glibc has it; musl's mallopt does nothing)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
