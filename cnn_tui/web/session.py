"""One browser's session: textual-serve's `AppService` with a minimal environment, a download key of its own, a
clamped terminal size and a budget of messages; and the checks on what its browser sends."""

from __future__ import annotations

import asyncio
import os
import secrets
import time
from asyncio.subprocess import Process
from pathlib import Path
from typing import Any

from textual_serve.app_service import AppService

from cnn_tui.web.access import TOKEN_ENV

# What a session inherits from the server's environment (everything else, API keys and SSH agents included, stays
# behind): where programs and Python packages are, the user's language, and cnn-tui's own settings.
KEPT_VARIABLES = ("PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "PYTHONPATH", "VIRTUAL_ENV",
                  "XDG_DATA_HOME", "XDG_CACHE_HOME", "SYSTEMROOT")
KEPT_PREFIXES = ("LC_", "CNN_TUI_")
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
# What textual-serve sets for the app (its web driver, the terminal size, debug logging).
TEXTUAL_VARIABLES = ("TEXTUAL_DRIVER", "TEXTUAL_FPS", "TEXTUAL_COLOR_SYSTEM", "TERM_PROGRAM", "TERM_PROGRAM_VERSION",
                     "COLUMNS", "ROWS", "TEXTUAL", "TEXTUAL_LOG")


BUSY_SHARE = 0.1  # a session using more than this share of a core is working (training), not idle


def process_cpu_seconds(pid: int) -> float | None:
    """CPU seconds (user + system) process `pid` has used, from /proc; None where there is no /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def session_environment(environ: dict[str, str], threads: int) -> dict[str, str]:
    """The variables a session starts with: the kept ones, and its share of the cores for torch."""
    kept = {name: value for name, value in environ.items()
            if (name in KEPT_VARIABLES or name.startswith(KEPT_PREFIXES)) and name != TOKEN_ENV}
    kept.update({name: str(threads) for name in THREAD_VARIABLES})
    return kept


def clamp_size(width: object, height: object, limit: tuple[int, int], default: tuple[int, int]) -> tuple[int, int]:
    """A terminal size a browser asked for, as whole cells within 1 … limit (the default when it is no number)."""
    size = []
    for value, most, fallback in zip((width, height), limit, default):
        try:
            number = int(value) if isinstance(value, (int, str)) and not isinstance(value, bool) else fallback
        except ValueError:
            number = fallback
        size.append(min(max(number, 1), most))
    return size[0], size[1]


class MessageBudget:
    """A token bucket: `rate` messages a second, `burst` at once; `wait()` says how long to hold the next one."""

    def __init__(self, rate: float, burst: int, clock=time.monotonic) -> None:
        self.rate, self.burst, self.clock = rate, burst, clock
        self.tokens = float(burst)
        self.stamp = clock()

    def wait(self) -> float:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        self.tokens -= 1
        return 0.0 if self.tokens >= 0 else -self.tokens / self.rate


def parse_envelope(envelope: Any) -> tuple[str, Any] | None:
    """A browser message as (type, data), or None when it is not one textual-serve's page sends."""
    if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
        return None
    kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
    if kind == "stdin" and isinstance(data, str):
        return kind, data
    if kind == "resize" and isinstance(data, dict):
        return kind, data
    if kind == "ping" and isinstance(data, (str, int, float)) and len(str(data)) <= 64:
        return kind, data
    if kind in ("blur", "focus"):
        return kind, None
    return None


class SessionService(AppService):
    """A cnn-tui process for one browser, started with a minimal environment."""

    def __init__(self, command: str, *, threads: int, **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self.threads = threads
        # Sent to this session's page (textual.js adds it to its download addresses): a download works only with it.
        self.instance_key = secrets.token_urlsafe(16)
        self.last_message = time.monotonic()  # the last key or mouse event (stdin) its browser sent
        self._cpu_seen: float | None = None

    def working(self, interval: float, share: float = BUSY_SHARE) -> bool:
        """True when the app's process used more than `share` of a core since the last call, `interval` seconds
        ago (a training); from /proc, so never elsewhere."""
        used = process_cpu_seconds(self._process.pid) if self._process is not None else None
        before, self._cpu_seen = self._cpu_seen, used
        return used is not None and before is not None and used - before > share * interval

    @property
    def process(self) -> Process | None:
        """The app's process (textual-serve keeps it private)."""
        return self._process

    async def finished(self) -> int | None:
        """Wait until the app's process has ended; its exit status."""
        if self._task is not None:
            await asyncio.shield(self._task)
        return None if self._process is None else await self._process.wait()

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        textual = super()._build_environment(width=width, height=height)
        environment = session_environment(dict(os.environ), self.threads)
        environment.update({name: textual[name] for name in TEXTUAL_VARIABLES if name in textual})
        return environment
