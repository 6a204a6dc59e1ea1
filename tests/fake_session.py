"""A stand-in for one served cnn-tui session that speaks textual-serve's protocol and reports what it was given.

Run as `python tests/fake_session.py [MODE]`: it sends textual-serve's prelude, then one data packet saying its
terminal size and environment (JSON), then echoes every packet it receives (a resize, a key) as a data packet.
MODE `crash` exits with status 3 at once; MODE `allocate MB` tries to allocate that much memory first;
MODE `spin` keeps a core busy after its report, as a training does; MODE `offer KEY` offers a file to download.
"""

from __future__ import annotations

import json
import os
import sys

from textual_serve._binary_encode import dump


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
    if mode == "offer":  # a file to download, as `w` in the Training tab offers its checkpoint in a browser
        offer = {"type": "deliver_file_start", "key": sys.argv[2], "path": "weights.pth", "open_method": "download",
                 "mime_type": "application/octet-stream", "encoding": None}
        out.write(packet(b"M", json.dumps(offer).encode()))
        out.flush()
    delivered: set[str] = set()
    stdin = sys.stdin.buffer
    while header := stdin.read(5):
        if len(header) < 5:
            break
        payload = stdin.read(int.from_bytes(header[1:], "big"))
        meta = json.loads(payload) if header[:1] == b"M" else {}
        if meta.get("type") == "quit":
            out.write(packet(b"M", b'{"type": "exit"}'))
            out.flush()
            return 0
        if meta.get("type") == "deliver_chunk_request":  # the file it offers, in one chunk, then the end
            sent = meta["key"] in delivered
            delivered.add(meta["key"])
            out.write(packet(b"P", dump(("deliver_chunk", meta["key"], b"" if sent else b"the weights"))))
            out.flush()
            continue
        out.write(packet(b"D", header[:1] + payload))
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
