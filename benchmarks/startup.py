"""Startup time: process start to the first full frame, `cnn-tui` beside a bare Textual app.

Both run in tmux at 120×36; the clock stops when the screen shows the whole tab bar
(for cnn-tui) or the hello text (for the bare app). Median of N runs.

    python benchmarks/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from pathlib import Path

HELLO_APP = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Hello(App):
        def compose(self):
            yield Header()
            yield Static("hello-world-ready")
            yield Footer()

    Hello().run()
    """
)


def time_to_text(command: list[str], marker: str, timeout: float = 30.0) -> float:
    """Seconds from starting `command` in a fresh tmux pane until `marker` is on screen."""
    socket = f"cnn-tui-bench-{uuid.uuid4().hex[:8]}"
    tmux = ["tmux", "-L", socket]
    subprocess.run([*tmux, "new-session", "-d", "-s", "b", "-x", "120", "-y", "36", "sleep 600"], check=True)
    try:
        start = time.perf_counter()
        subprocess.run([*tmux, "respawn-pane", "-k", "-t", "b", " ".join(command)], check=True)
        while time.perf_counter() - start < timeout:
            screen = subprocess.run([*tmux, "capture-pane", "-p", "-t", "b"], capture_output=True, text=True).stdout
            if marker in screen:
                return time.perf_counter() - start
            time.sleep(0.005)
        raise TimeoutError(f"{marker!r} did not appear within {timeout}s")
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not shutil.which("tmux") or not shutil.which("cnn-tui"):
        sys.exit("needs tmux and an installed cnn-tui (pip install -e .)")
    with tempfile.TemporaryDirectory() as tmp:
        hello = Path(tmp) / "hello.py"
        hello.write_text(HELLO_APP)
        cases = {
            "bare Textual app": ([sys.executable, str(hello)], "hello-world-ready"),
            "cnn-tui": (["cnn-tui", "--lang", "en"], "Training"),
        }
        results: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.runs):  # interleave runs so machine noise hits both alike
            for name, (command, marker) in cases.items():
                results[name].append(time_to_text(command, marker))
    base = statistics.median(results["bare Textual app"])
    print(f"| app | median of {args.runs} (s) | min (s) | max (s) | ratio to bare Textual |")
    print("| --- | --- | --- | --- | --- |")
    for name, times in results.items():
        median = statistics.median(times)
        print(f"| {name} | {median:.3f} | {min(times):.3f} | {max(times):.3f} | {median / base:.2f}× |")


if __name__ == "__main__":
    main()
