"""`cnn-tui serve` under a class's load: N sessions open, A students pressing a key every 0.5 s, one training.

Clients are plain websockets (aiohttp) with the printed token, not browsers, so the machine's cores go to the
server and its sessions. Every session opens on the Pixels tab and draws; then, for `--seconds`, A of them press
→ / ← every 0.5 s (key-to-frame: from sending the key to the first terminal output that follows) while one
more trains on synthetic data in its Training tab (`6`, `d`, `s`). Reported: the server's and each session's
memory (RSS, and USS: its private pages, what one more session costs), key-to-frame p50 / p99, and how busy the
machine's cores were.

    python benchmarks/serve_load.py [--sessions 30] [--active 5] [--seconds 60] [--no-train]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiohttp import ClientSession, WSMsgType  # noqa: E402

from benchmarks.serve import percentile, private_and_rss_mb  # noqa: E402
from cnn_tui.commands.options import cpu_count  # noqa: E402
from cnn_tui.ml.threads import cpu_seconds_busy  # noqa: E402
from tests.e2e.browser import ServeProcess  # noqa: E402

KEYS = ("\x1b[C", "\x1b[D")  # → and ←: the Pixels tab moves its cursor and redraws the readout


class Student:
    """One browser's websocket: notes when terminal output arrives."""

    def __init__(self, websocket) -> None:
        self.websocket = websocket
        self.frames: list[float] = []
        self.reader = asyncio.create_task(self.read())

    async def read(self) -> None:
        async for message in self.websocket:
            if message.type == WSMsgType.BINARY:
                self.frames.append(time.perf_counter())

    async def key(self, text: str) -> None:
        await self.websocket.send_json(["stdin", text])

    async def quiet(self, gap: float = 1.0, timeout: float = 180.0) -> None:
        """Wait until it has drawn something and then nothing for `gap` seconds."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            await asyncio.sleep(0.1)
            if self.frames and time.perf_counter() - self.frames[-1] > gap:
                return
        raise TimeoutError("a session did not settle")


async def run(server: ServeProcess, sessions: int, active: int, seconds: float, train: bool) -> dict:
    token = parse_qs(urlsplit(server.url).query)["token"][0]
    url = f"ws://127.0.0.1:{server.port}/ws?width=120&height=36&token={token}"
    origin = f"http://127.0.0.1:{server.port}"
    async with ClientSession() as http:
        students = []
        for _ in range(sessions):  # one after another, as a class arrives
            students.append(Student(await http.ws_connect(url, headers={"Origin": origin}, max_msg_size=0)))
            await students[-1].quiet()
        trainer = students[active] if train and active < sessions else None
        if trainer is not None:
            for key in ("6", "d", "s"):
                await trainer.key(key)
                await trainer.quiet(gap=1.0)
        latencies: list[float] = []
        busy_before, wall_before = cpu_seconds_busy(), time.perf_counter()

        async def press(student: Student) -> None:
            end = time.perf_counter() + seconds
            turn = 0
            while time.perf_counter() < end:
                count, sent = len(student.frames), time.perf_counter()
                await student.key(KEYS[turn % 2])
                turn += 1
                while len(student.frames) == count and time.perf_counter() - sent < 10:
                    await asyncio.sleep(0.002)
                if len(student.frames) > count:
                    latencies.append((student.frames[count] - sent) * 1000)
                await asyncio.sleep(max(0.0, 0.5 - (time.perf_counter() - sent)))

        await asyncio.gather(*(press(student) for student in students[:active]))
        busy = (cpu_seconds_busy() or 0) - (busy_before or 0)
        cores_busy = busy / (time.perf_counter() - wall_before)
        memory = {pid: private_and_rss_mb(pid) for pid in server.sessions()}
        server_memory = private_and_rss_mb(server.process.pid)
        for student in students:
            await student.websocket.close()
    return {"latencies": latencies, "cores_busy": cores_busy, "memory": memory, "server": server_memory,
            "trainer": trainer is not None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=30, help="sessions open (default: %(default)s)")
    parser.add_argument("--active", type=int, default=5, help="of them, students pressing keys (default: %(default)s)")
    parser.add_argument("--seconds", type=float, default=60, help="how long they press (default: %(default)s)")
    parser.add_argument("--no-train", action="store_true", help="no session trains meanwhile")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cnn-tui-serve-load-") as workdir:
        server = ServeProcess(Path(workdir), "--lang", "en", "--max-sessions", str(args.sessions))
        try:
            result = asyncio.run(run(server, args.sessions, args.active, args.seconds, not args.no_train))
        finally:
            server.close()
    latencies, memory = result["latencies"], result["memory"]
    rss = [value[0] for value in memory.values()]
    uss = [value[1] for value in memory.values()]
    print(f"cnn-tui serve under load ({cpu_count()} cores): {args.sessions} sessions, {args.active} pressing a key "
          f"every 0.5 s for {args.seconds:g} s, {'one' if result['trainer'] else 'none'} training; "
          f"{time.perf_counter() - started:.0f} s in all")
    print()
    print("| measure | value |")
    print("|---|---|")
    print(f"| server process | RSS {result['server'][0]:.0f} MB, USS {result['server'][1]:.0f} MB |")
    print(f"| a session, median (max) | RSS {statistics.median(rss):.0f} ({max(rss):.0f}) MB, "
          f"USS {statistics.median(uss):.0f} ({max(uss):.0f}) MB |")
    print(f"| all sessions | RSS {sum(rss):.0f} MB, USS {sum(uss):.0f} MB |")
    print(f"| key-to-frame ({len(latencies)} keys) | p50 {statistics.median(latencies):.0f} ms, "
          f"p99 {percentile(latencies, 99):.0f} ms, max {max(latencies):.0f} ms |")
    print(f"| cores busy (every process on the machine) | {result['cores_busy']:.1f} of {cpu_count()} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
