"""SIGTERM and SIGHUP end the app as `q` does, so Textual restores the terminal (issue 29)."""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Callable

# `kill` and a closed terminal end the app as `q` does: Textual's exit leaves the alternate screen, turns mouse
# tracking off and shows the cursor again, which a process killed outright leaves to the learner's shell.
EXIT_SIGNALS = ("SIGTERM", "SIGHUP")


def exit_on_signals(exit_app: Callable[[], object]) -> list[int]:
    """Make SIGTERM and SIGHUP call `exit_app` on the event loop (main thread only); the signals handled."""
    if threading.current_thread() is not threading.main_thread():
        return []
    loop = asyncio.get_running_loop()
    handled = []
    for name in EXIT_SIGNALS:
        number = getattr(signal, name, None)
        if number is None:
            continue
        try:
            loop.add_signal_handler(number, exit_app)
        except (NotImplementedError, RuntimeError, ValueError):  # no signals on this platform or loop
            continue
        handled.append(number)
    return handled


def restore_signals(numbers: list[int]) -> None:
    """Stop handling the signals `exit_on_signals` took (the event loop gives them their default action)."""
    loop = asyncio.get_running_loop()
    for number in numbers:
        loop.remove_signal_handler(number)
