"""`kill` (SIGTERM) or a closed terminal (SIGHUP) ends the app as `q` does: it leaves the alternate screen, turns
mouse tracking off and shows the cursor again, so the learner's shell is usable (issue 29). Run in a real pty."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ALTERNATE_SCREEN_ON, ALTERNATE_SCREEN_OFF = b"\x1b[?1049h", b"\x1b[?1049l"
MOUSE_OFF, CURSOR_SHOWN = b"\x1b[?1000l", b"\x1b[?25h"
READY = b"Pixels"  # the first tab's title, drawn once the app is mounted
LIMIT_S = 120  # a bound for a hung app, far above the seconds a start takes: no test waits for it when all is well


def _read_until(fd: int, wanted: bytes, seen: bytearray) -> bool:
    """Read the pty into `seen` until `wanted` appears (True) or it closes (False)."""
    deadline = time.monotonic() + LIMIT_S
    while wanted not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1.0)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child closed its side
                return wanted in seen
            if not chunk:
                return wanted in seen
            seen += chunk
    return wanted in seen


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_ends_the_app_with_the_terminal_restored(tmp_path, number):
    main, child = pty.openpty()
    os.set_blocking(main, False)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    process = subprocess.Popen(
        [sys.executable, "-m", "cnn_tui"], stdin=child, stdout=child, stderr=child, cwd=tmp_path, env=env,
        start_new_session=True,
    )
    os.close(child)
    seen = bytearray()
    try:
        assert _read_until(main, READY, seen), bytes(seen[-2000:])
        assert ALTERNATE_SCREEN_ON in seen
        before = len(seen)
        process.send_signal(number)
        _read_until(main, b"\x00never\x00", seen)  # everything until the app closes the terminal
        assert process.wait(timeout=LIMIT_S) == 0
    finally:
        process.kill()
        os.close(main)
    after = bytes(seen[before:])
    assert ALTERNATE_SCREEN_OFF in after and MOUSE_OFF in after and CURSOR_SHOWN in after
    assert b"Traceback" not in after
