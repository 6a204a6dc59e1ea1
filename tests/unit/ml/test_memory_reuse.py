"""`reuse_freed_memory`: freed blocks are reused instead of being faulted in again (glibc's malloc)."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

GLIBC = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"

# Blocks of 1–5 MB allocated and freed again and again, in a second thread and the main one, as a
# training step's activations are; prints the page faults it took.
PATTERN = """
import resource, sys, threading
if sys.argv[1] == "reuse":
    from cnn_tui.ml.memory_reuse import reuse_freed_memory
    assert reuse_freed_memory()
def work():
    for i in range(60):
        blocks = [bytearray((1 + (i + k) % 5) << 20) for k in range(6)]
        del blocks
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
thread = threading.Thread(target=work)
thread.start()
thread.join()
work()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults(mode: str) -> int:
    done = subprocess.run([sys.executable, "-c", PATTERN, mode], capture_output=True, text=True, check=True, timeout=120)
    return int(done.stdout.strip())


@pytest.mark.slow
@pytest.mark.skipif(not GLIBC, reason="the thresholds are glibc's")
def test_freed_blocks_are_reused_instead_of_faulted_in_again():
    plain, reused = _faults("plain"), _faults("reuse")
    assert reused * 10 < plain, (plain, reused)


def test_it_says_whether_it_changed_anything():
    code = "from cnn_tui.ml.memory_reuse import reuse_freed_memory; print(reuse_freed_memory())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip() == str(GLIBC)  # True with glibc; elsewhere nothing changes, and it says so
