"""Drive the installed `cnn-tui` in a real terminal: tmux on a private socket, keys in, screen text out."""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from pathlib import Path


class TmuxSession:
    """One detached tmux session running a command at a fixed size."""

    def __init__(self, command: str, width: int = 120, height: int = 36, cwd: Path | None = None) -> None:
        self.socket = f"cnn-tui-e2e-{uuid.uuid4().hex[:8]}"
        # Under pytest the pane's shell may export COLUMNS and LINES (e.g. 80×24), which Textual
        # believes over the pane's real size: drop them so the app measures the terminal.
        command = f"env -u COLUMNS -u LINES {command}"
        self.name = "e2e"
        self._tmux(
            "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
            *(["-c", str(cwd)] if cwd else []),
            command,
        )
        self._tmux("set-option", "-t", self.name, "remain-on-exit", "on")

    def _tmux(self, *args: str) -> str:
        result = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30)
        return result.stdout

    def screen(self, scrollback: int = 0) -> str:
        """The visible text of the pane, with up to `scrollback` lines above it."""
        return self._tmux("capture-pane", "-p", *(["-S", str(-scrollback)] if scrollback else []), "-t", self.name)

    def title(self) -> str:
        """The pane's title (what an escape sequence in the output could set)."""
        return self._tmux("display-message", "-p", "-t", self.name, "#{pane_title}")

    def send(self, *keys: str) -> None:
        """Send tmux key names (e.g. "q", "Escape", "?")."""
        for key in keys:
            self._tmux("send-keys", "-t", self.name, key)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        """Wait until `text` is on screen; returns the screen, or fails with what was there."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared on screen; last screen:\n{screen}")

    def wait_gone(self, text: str, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        screen = self.screen()
        while time.monotonic() < deadline and text in screen:
            time.sleep(0.05)
            screen = self.screen()
        assert text not in screen, f"{text!r} is still on screen:\n{screen}"
        return screen

    def pane_dead(self, timeout: float = 10.0) -> bool:
        """True once the command in the pane has exited."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._tmux("display-message", "-p", "-t", self.name, "#{pane_dead}").strip() == "1":
                return True
            time.sleep(0.05)
        return False

    def pane_pid(self) -> int:
        return int(self._tmux("display-message", "-p", "-t", self.name, "#{pane_pid}").strip())

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=30)


def tmux_available() -> bool:
    return shutil.which("tmux") is not None and shutil.which("cnn-tui") is not None
