"""A stand-in for one served cnn-tui session that speaks textual-serve's protocol and reports what it was given.

Run as `python tests/fake_session.py [MODE]`: it sends textual-serve's prelude, then one data packet saying its
terminal size and environment (JSON), then echoes every packet it receives (a resize, a key) as a data packet.
MODE `crash` exits with status 3 at once; MODE `allocate MB` tries to allocate that much memory first;
MODE `spin` keeps a core busy after its report, as a training does.
"""

from __future__ import annotations

import json
import os
import sys


def packet(kind: bytes, payload: bytes) -> bytes:
    return kind + len(payload).to_bytes(4, "big") + payload


def main() -> int:
    out = sys.stdout.buffer
    out.write(b"__GANGLION__\n")
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "crash":
        return 3
    if mode == "allocate":
        block = bytearray(int(sys.argv[2]) * 1024 * 1024)  # MemoryError past the session's `ulimit -d`
        block[-1] = 1
    report = {"size": [os.environ.get("COLUMNS"), os.environ.get("ROWS")], "env": sorted(os.environ)}
    report["threads"] = os.environ.get("OMP_NUM_THREADS")
    out.write(packet(b"D", json.dumps(report).encode()))
    out.flush()
    if mode == "spin":  # works without a key, as a training does
        while True:
            sum(range(10_000))
    stdin = sys.stdin.buffer
    while header := stdin.read(5):
        if len(header) < 5:
            break
        payload = stdin.read(int.from_bytes(header[1:], "big"))
        if header[:1] == b"M" and json.loads(payload).get("type") == "quit":
            out.write(packet(b"M", b'{"type": "exit"}'))
            out.flush()
            return 0
        out.write(packet(b"D", header[:1] + payload))
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
