"""A local HTTP server on 127.0.0.1 serving one file with Range support, for download tests (no network needed).

The download code path is the real one; only the server is local. `cut_after` makes the server
close the connection after that many bytes of a response (an interrupted download); `ranges`
False makes it ignore Range headers (a server that always sends the whole file); `endless` makes it send
no Content-Length and repeat the payload until the client hangs up (a hostile or broken server).
"""

from __future__ import annotations

import hashlib
import io
import tarfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.unit.ml.conftest import write_batches_folder


@dataclass
class Served:
    """What the server sends and what it saw."""

    payload: bytes
    cut_after: int | None = None  # close the first response after this many bytes
    ranges: bool = True
    delay_s: float = 0.0  # a pause between chunks, so a test can cancel mid-download
    requests: list[str | None] = field(default_factory=list)  # the Range header of each request
    endless: bool = False  # no Content-Length; the payload repeats until the client closes the connection
    sent: int = 0  # bytes the endless response wrote before the client hung up
    url: str = ""

    @property
    def md5(self) -> str:
        return hashlib.md5(self.payload).hexdigest()  # noqa: S324 - torchvision's checksum


class _Handler(BaseHTTPRequestHandler):
    served: Served

    def log_message(self, *args: object) -> None:
        return None

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        served = self.served
        header = self.headers.get("Range")
        served.requests.append(header)
        start = int(header.split("=")[1].split("-")[0]) if header and served.ranges else 0
        if start >= len(served.payload) and header and served.ranges:
            self.send_response(416)
            self.end_headers()
            return
        if served.endless:
            self._send_endlessly()
            return
        body = served.payload[start:]
        self.send_response(206 if start else 200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        limit = served.cut_after if served.cut_after is not None else len(body)
        served.cut_after = None  # only the first response is cut
        sent = 0
        while sent < min(limit, len(body)):
            chunk = body[sent : min(limit, sent + 8192)]
            try:
                self.wfile.write(chunk)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return
            sent += len(chunk)
            if served.delay_s:
                threading.Event().wait(served.delay_s)
        if sent < len(body):
            self.close_connection = True


    def _send_endlessly(self) -> None:
        self.send_response(200)
        self.end_headers()
        self.close_connection = True
        try:
            while True:
                self.wfile.write(self.served.payload)
                self.served.sent += len(self.served.payload)
        except OSError:  # the client hung up: BrokenPipeError, ConnectionResetError
            return


@contextmanager
def serve(served: Served) -> Iterator[Served]:
    """Run the server in a thread for the duration of the block; `served.url` is the file's address."""
    handler = type("Handler", (_Handler,), {"served": served})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    served.url = f"http://127.0.0.1:{server.server_address[1]}/cifar-10-python.tar.gz"
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def fake_cifar_archive(scratch: Path, per_batch: int = 4) -> bytes:
    """A small cifar-10-python.tar.gz holding a cifar-10-batches-py folder of `per_batch` images per batch."""
    write_batches_folder(scratch / "cifar-10-batches-py", per_batch=per_batch)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        archive.add(scratch / "cifar-10-batches-py", arcname="cifar-10-batches-py")
    return buffer.getvalue()
