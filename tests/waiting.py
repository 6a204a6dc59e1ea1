"""Waiting in Pilot tests on what the app does, never on time: its workers, then the messages they posted."""

from __future__ import annotations

import asyncio


async def wait_for_workers(pilot, rounds: int = 1) -> None:
    """Wait for every worker to end, then for the messages they posted to be handled; `rounds` repeats this for
    workers started by those messages. A worker cancelled by a newer one (exclusive) or failed is the app's to
    report, not the wait's."""
    for _ in range(rounds):
        await asyncio.gather(*(worker.wait() for worker in list(pilot.app.workers)), return_exceptions=True)
        await pilot.pause()
