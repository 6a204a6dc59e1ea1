"""Waiting in Pilot tests on what the app does, never on time: its workers, then the messages they posted, or a
condition on what it shows."""

from __future__ import annotations

import asyncio
import sys
import threading
import time
import traceback


async def wait_for_workers(pilot, rounds: int = 1) -> None:
    """Wait for every worker to end, then for the messages they posted to be handled; `rounds` repeats this for
    workers started by those messages. A worker cancelled by a newer one (exclusive) or failed is the app's to
    report, not the wait's."""
    for _ in range(rounds):
        await asyncio.gather(*(worker.wait() for worker in list(pilot.app.workers)), return_exceptions=True)
        await pilot.pause()


async def until(pilot, condition, timeout: float = 60.0, step: float = 0.05) -> None:
    """Let the app run until `condition()` is true (a timer's tick, a thread's result); fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(
                f"timed out after {timeout}s waiting for {condition}\n{screen_texts(pilot.app)}\n{workers_of(pilot.app)}\n{thread_stacks()}"
            )
        await pilot.pause(step)


def screen_texts(app, limit: int = 160) -> str:
    """What the screen's named text widgets show (a status line often says why a wait was in vain)."""
    from textual.widgets import Static

    from tests.shown import text_of

    lines = []
    for widget in app.screen.query(Static):
        if widget.id and widget.region.area:  # on screen (a hidden tab's widgets have no region)
            text = " ".join(text_of(app.screen, f"#{widget.id}").split())
            lines.append(f"  #{widget.id}: {text[:limit]}")
    return "shown:\n" + ("\n".join(lines) or "  (nothing)")


def workers_of(app) -> str:
    """The app's workers: name, state and error (a worker that failed ends quietly with exit_on_error=False)."""
    lines = [f"  {worker.group}/{worker.name}: {worker.state.name} {worker.error!r}" for worker in app.workers]
    return "workers:\n" + ("\n".join(lines) or "  (none)")


def thread_stacks(limit: int = 8) -> str:
    """Where every thread of the test process is (the innermost `limit` frames): what a timed-out wait waited on."""
    names = {thread.ident: thread.name for thread in threading.enumerate()}
    parts = []
    for ident, frame in sys._current_frames().items():
        stack = "".join(traceback.format_stack(frame, limit=limit))
        parts.append(f"--- thread {names.get(ident, ident)}\n{stack}")
    return "\n".join(parts)


async def mounted(pilot, widget_type, timeout: float = 60.0):
    """The app's one `widget_type` once it exists: a tab's content is built when the tab is first shown, a few
    messages after its key (on a loaded machine one pause is not always enough)."""
    await until(pilot, lambda: len(pilot.app.query(widget_type)) == 1, timeout)
    return pilot.app.query_one(widget_type)
