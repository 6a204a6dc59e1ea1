"""Drive `cnn-tui serve` from a real browser: the server as a subprocess, Debian's Chromium through Playwright.

Playwright's pip wheel carries its driver but no browser; it must never download one, so Chromium is the
system's (`apt-get install chromium`), launched headless with a throwaway profile. The terminal in the page is
xterm.js drawing on a canvas, so what a person sees is read from screenshots (numpy arrays). Shared by
tests/e2e/test_serve_e2e.py and benchmarks/serve.py.
"""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

import cnn_tui

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}
# Where `python -m cnn_tui` must import from: the package under test (a worktree or the installed one).
PACKAGE_ROOT = Path(cnn_tui.__file__).resolve().parent.parent
# Notes when the page receives terminal output and when a key goes down, so a test can wait for the app's next
# frame and a benchmark can time key-press-to-frame.
FRAME_PROBE = """
window.__frames = [];
window.__keys = [];
document.addEventListener("keydown", () => window.__keys.push(performance.now()), true);
const NativeWebSocket = window.WebSocket;
window.WebSocket = function (url, protocols) {
  const socket = new NativeWebSocket(url, protocols);
  socket.addEventListener("message", (event) => {
    if (typeof event.data !== "string") window.__frames.push(performance.now());
  });
  return socket;
};
window.WebSocket.prototype = NativeWebSocket.prototype;
"""


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    try:
        import textual_serve  # noqa: F401
    except ImportError:
        return "textual-serve is not installed (pip install -e '.[test]')"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition: Callable[[], Any], timeout: float, what: str, interval: float = 0.1) -> Any:
    """Poll `condition` until it returns neither None nor False (returned); fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result is not None and result is not False:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


# -- the server ---------------------------------------------------------------------


class ServeProcess:
    """`python -m cnn_tui serve` on a free local port, in its own process group."""

    def __init__(self, cwd: Path, *args: str, startup_timeout: float = 60.0) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")])))
        env.pop("COLUMNS", None)
        env.pop("LINES", None)
        self.log = open(Path(cwd) / "serve.log", "w+")  # noqa: SIM115 - closed in close()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cnn_tui", "serve", "--port", str(self.port), *args],
            cwd=cwd, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        wait_until(self._answers, startup_timeout, f"cnn-tui serve to answer on {self.url}", interval=0.2)
        # The address it prints carries the class's token (`?token=…`); a browser that opens it gets the cookie.
        printed = wait_until(lambda: re.search(r"(http://\S+\?token=\S+|http://\S+)", self.output()), 30, "serve to print its address")
        self.url = printed.group(1) if "?token=" in printed.group(1) else self.url

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"cnn-tui serve exited with {self.process.returncode}:\n{self.output()}")
        try:
            with urllib.request.urlopen(self.url, timeout=5):
                return True
        except urllib.error.HTTPError:
            return True  # it answered (401: no token yet, 503: full)
        except OSError:
            return False

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text()

    def sessions(self) -> list[int]:
        """Process ids of the running cnn-tui sessions (descendants whose command is `-m cnn_tui --lang`)."""
        return [pid for pid in descendants(self.process.pid) if b"cnn_tui\0--lang" in cmdline(pid)]

    def interrupt(self, timeout: float = 30.0) -> int:
        """Ctrl+C in the server's terminal: SIGINT to its whole process group (sessions too); its exit status."""
        os.killpg(self.process.pid, signal.SIGINT)
        return self.process.wait(timeout)

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self.log.close()


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def alive(pid: int) -> bool:
    """True while `pid` runs (an exited process not yet reaped, a zombie, counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def parent(pid: int) -> int:
    """The parent process id of `pid`."""
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def descendants(root: int) -> list[int]:
    """Every live process below `root`, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            children.setdefault(parent(int(entry.name)), []).append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if alive(child):
                found.append(child)
            todo.append(child)
    return found


def memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of `pid` in MB: PSS counts pages shared with other sessions once, split between them."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("Rss", "Pss"):
            values[name] = int(rest.split()[0]) / 1024
    return values["Rss"], values["Pss"]


# -- the browser --------------------------------------------------------------------


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (Playwright BrowserContext) with a throwaway profile; closed at the end."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="cnn-tui-chromium-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True,
            viewport=VIEWPORT, accept_downloads=True,
        )
        context.add_init_script(FRAME_PROBE)
        context.set_default_timeout(60_000)
        try:
            yield context
        finally:
            context.close()


def open_app(context: Any, url: str, timeout: float = 90.0) -> Any:
    """A new page on the served app, waiting until the terminal has its first output; keys go to the terminal."""
    page = context.new_page()
    page.goto(url, timeout=timeout * 1000)
    page.wait_for_selector("body.-first-byte", timeout=timeout * 1000)
    page.focus("textarea.xterm-helper-textarea")
    return page


def screenshot(page: Any) -> np.ndarray:
    """What the page shows, as an H×W×3 uint8 array."""
    return np.asarray(Image.open(io.BytesIO(page.screenshot())).convert("RGB"))


def frames(page: Any) -> int:
    """How many pieces of terminal output the page has received so far."""
    return int(page.evaluate("window.__frames.length"))


def difference(a: np.ndarray, b: np.ndarray) -> float:
    """The share of pixels (0 … 1) that differ visibly between two screenshots."""
    return float((np.abs(a.astype(np.int16) - b.astype(np.int16)).max(axis=2) > 16).mean())


def settled(page: Any, timeout: float = 90.0, interval: float = 0.5) -> np.ndarray:
    """A screenshot once two in a row, `interval` apart, are the same (the app has finished drawing)."""
    last = screenshot(page)

    def same() -> np.ndarray | None:
        nonlocal last
        shot = screenshot(page)
        steady = difference(shot, last) == 0
        last = shot
        return shot if steady else None

    return wait_until(same, timeout, "the screen to stop changing", interval=interval)


def colour_runs(row: np.ndarray, min_width: int = 12, tolerance: int = 40) -> list[tuple[int, int, int]]:
    """The pure colours (each channel near 0 or 255) drawn in `row` for at least `min_width` pixels, left to right."""
    high, low = row >= 255 - tolerance, row <= tolerance
    pure = (high | low).all(axis=1)
    code = np.where(pure, high[:, 0] * 4 + high[:, 1] * 2 + high[:, 2], -1)
    edges = np.flatnonzero(np.diff(code)) + 1
    runs: list[tuple[int, int, int]] = []
    for begin, end in zip(np.r_[0, edges], np.r_[edges, len(code)]):
        value = int(code[begin])
        colour = (255 * (value >> 2 & 1), 255 * (value >> 1 & 1), 255 * (value & 1))
        if value >= 0 and end - begin >= min_width and (not runs or runs[-1] != colour):
            runs.append(colour)
    return runs


def has_colour_bars(image: np.ndarray, bars: list[tuple[int, int, int]]) -> bool:
    """True if some row of `image` shows `bars`, in order, as runs of pure colour."""
    for y in range(0, image.shape[0], 2):
        runs = iter(colour_runs(image[y]))
        if all(bar in runs for bar in bars):  # in order: `in` advances the iterator
            return True
    return False
