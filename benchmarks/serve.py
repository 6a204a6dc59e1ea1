"""`cnn-tui serve` in headless Chromium: page load to first full frame, memory per session, key-press-to-frame.

- first frame: from `page.goto` until a screenshot shows the Pixels tab's colour bars (screenshots are polled,
  so the time includes up to one screenshot's latency); also until the first terminal output arrives.
- memory: one session's cnn-tui process, RSS and USS (its private pages, what each further session adds), idle
  on the Pixels tab (no torch), then after `6` opened the Training tab and torch is mapped in, once RSS settles.
- key-press-to-frame: N sessions open on the Pixels tab; every round presses → or ← in each page at once and
  times, in the page, keydown to the first terminal output that follows. p50 / p99 / max over all presses.
  The browser runs on the same machine as the server and its sessions.

    python benchmarks/serve.py [--sessions 1,4,8] [--rounds 16]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cnn_tui.commands.options import cpu_count  # noqa: E402
from cnn_tui.core.test_image import BARS  # noqa: E402
from tests.e2e.browser import (  # noqa: E402
    ServeProcess,
    browser_missing,
    chromium,
    frames,
    has_colour_bars,
    open_app,
    screenshot,
    wait_until,
)

COLOUR_BARS = list(BARS[:-1])


def private_and_rss_mb(pid: int) -> tuple[float, float]:
    values: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("Rss", "Private_Clean", "Private_Dirty"):
            values[name] = int(rest.split()[0]) / 1024
    return values["Rss"], values["Private_Clean"] + values["Private_Dirty"]


def settled_memory(pid: int, timeout: float = 60.0) -> tuple[float, float]:
    """(RSS, USS) once RSS has stopped changing by more than 1 MB over a second."""
    last = private_and_rss_mb(pid)

    def settled():
        nonlocal last
        time.sleep(1.0)
        now = private_and_rss_mb(pid)
        steady = abs(now[0] - last[0]) < 1.0
        last = now
        return steady and now

    return wait_until(settled, timeout, "memory to settle", interval=0)


def first_frame(browser, url: str) -> tuple[float, float, object]:
    """(seconds to the first terminal output, seconds to the colour bars on screen, page)."""
    start = time.perf_counter()
    page = open_app(browser, url)
    first_output = time.perf_counter() - start
    wait_until(lambda: has_colour_bars(screenshot(page), COLOUR_BARS), 90, "the colour bars", interval=0.05)
    return first_output, time.perf_counter() - start, page


def key_latencies(pages: list, rounds: int) -> list[float]:
    """Milliseconds from keydown to the next terminal output, for → and ← pressed in every page at once."""
    marks = [int(page.evaluate("window.__keys.length")) for page in pages]
    for round_ in range(rounds):
        before = [frames(page) for page in pages]
        for page in pages:
            page.keyboard.press("ArrowRight" if round_ % 2 == 0 else "ArrowLeft")
        for page, count in zip(pages, before):
            wait_until(lambda: frames(page) > count, 30, "a frame after the key", interval=0.01)
        # let the frame finish before the next round
        wait_until(lambda: all(quiet(page) for page in pages), 30, "the pages to go quiet", interval=0.02)
    latencies = []
    for page, mark in zip(pages, marks):
        keys = page.evaluate("window.__keys")[mark:]
        outputs = page.evaluate("window.__frames")
        for key in keys:
            after = [t for t in outputs if t >= key]
            if after:
                latencies.append(after[0] - key)
    return latencies


def quiet(page, gap_ms: float = 100.0) -> bool:
    return bool(page.evaluate(f"performance.now() - (window.__frames.at(-1) || 0) > {gap_ms}"))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", default="1,4,8", help="session counts for key-press-to-frame (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=16, help="key presses per page and count (default: %(default)s)")
    args = parser.parse_args()
    counts = [int(n) for n in args.sessions.split(",")]
    problem = browser_missing()
    if problem:
        print(f"cannot run: {problem}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cnn-tui-serve-bench-") as workdir, chromium() as browser:
        server = ServeProcess(Path(workdir), "--lang", "en", "--max-sessions", str(max(counts)))
        try:
            output_s, frame_s, page = first_frame(browser, server.url)
            (pid,) = server.sessions()
            idle_rss, idle_uss = settled_memory(pid)
            page.keyboard.press("6")
            wait_until(lambda: "libtorch" in Path(f"/proc/{pid}/maps").read_text(), 120, "torch in the session")
            torch_rss, torch_uss = settled_memory(pid)
            page.keyboard.press("1")
            wait_until(lambda: has_colour_bars(screenshot(page), COLOUR_BARS), 60, "the Pixels tab again")
            pages = [page]
            rows = []
            for count in counts:
                while len(pages) < count:
                    pages.append(first_frame(browser, server.url)[2])
                latencies = key_latencies(pages[:count], args.rounds)
                rows.append((count, len(latencies), statistics.median(latencies), percentile(latencies, 99), max(latencies)))
        finally:
            server.close()
    print(f"cnn-tui serve in headless Chromium ({cpu_count()} cores), {time.perf_counter() - started:.0f} s in all")
    print()
    print(f"page load → first terminal output   {output_s:6.2f} s")
    print(f"page load → first full frame        {frame_s:6.2f} s   (Pixels tab with its image)")
    print(f"idle session (no torch)             RSS {idle_rss:4.0f} MB   USS {idle_uss:4.0f} MB")
    print(f"after the Training tab (torch)      RSS {torch_rss:4.0f} MB   USS {torch_uss:4.0f} MB")
    print()
    print("| sessions | key presses | p50 ms | p99 ms | max ms |")
    print("|---:|---:|---:|---:|---:|")
    for count, n, p50, p99, worst in rows:
        print(f"| {count} | {n} | {p50:.0f} | {p99:.0f} | {worst:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
