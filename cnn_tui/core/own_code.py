"""The learner's own code run with a time limit its caller can abandon: in a daemon thread waited on in short slices."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
WAIT_SLICE_S = 0.05  # how often the waiting caller looks at the clock and at `abandon_own_code`


class OwnCodeTimeout(Exception):
    """The own code did not finish within its time limit; it may still be running in its (abandoned) thread."""


class OwnCodeAbandoned(Exception):
    """The caller stopped waiting (the app quit, the learner pressed x) before the own code finished."""


_generation = 0  # abandon_own_code() counts up: every wait begun before gives up
_local = threading.local()


def abandon_own_code() -> None:
    """Make every wait for own code in progress give up now (OwnCodeAbandoned); later runs are unaffected.

    Threads cannot be killed: an endless loop keeps running, but in a daemon thread nobody waits for,
    so the program can still exit."""
    global _generation
    _generation += 1


def stop_condition() -> Callable[[], bool] | None:
    """The `abandon_when` condition of this thread (None outside one), to hand to threads it starts (`adopt_condition`)."""
    return getattr(_local, "stopped", None)


def adopt_condition(stopped: Callable[[], bool] | None) -> None:
    """Make `stopped` this thread's condition for good: for a pool's threads working for a thread inside `abandon_when`."""
    _local.stopped = stopped


def inside_own_code() -> bool:
    """Whether this thread is one `run_bounded` started: own code it calls is already under a time limit."""
    return getattr(_local, "inside", False)


@contextmanager
def abandon_when(stopped: Callable[[], bool]) -> Iterator[None]:
    """While inside, waits for own code on this thread also give up once `stopped()` is true (e.g. `x` in the app)."""
    previous = getattr(_local, "stopped", None)
    _local.stopped = stopped
    try:
        yield
    finally:
        _local.stopped = previous


RUNNING_NAME = "cnn-tui own code"  # a runner thread's name while it runs own code (tests look for it)
IDLE_NAME = "cnn-tui own code (idle)"


class _Runner:
    """A daemon thread that runs the pieces of own code handed to it, one at a time. Kept for the next piece once
    one has finished (a new thread per call cost torch about 6 ms of setting up per forward pass); given up for
    good, never handed more, once a wait for it has given up."""

    def __init__(self) -> None:
        self.jobs: queue.SimpleQueue[tuple[Callable[[], object], dict[str, object], threading.Event]] = queue.SimpleQueue()
        self.given_up = False  # a wait for it gave up: once its piece returns (if ever), the thread ends
        self.thread = threading.Thread(target=self._serve, name=IDLE_NAME, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        _local.inside = True
        me = threading.current_thread()
        while not self.given_up:
            work, outcome, done = self.jobs.get()
            me.name = RUNNING_NAME
            try:
                outcome["value"] = work()
            except BaseException as error:  # noqa: BLE001 - SystemExit, KeyboardInterrupt: handed to the caller
                outcome["error"] = error
            finally:
                me.name = IDLE_NAME
                done.set()
            del work, outcome, done  # hold nothing of the finished piece while waiting for the next


_idle: list[_Runner] = []
_idle_lock = threading.Lock()


def run_bounded(work: Callable[[], T], seconds: float) -> T:
    """`work()` in a daemon thread: its result, or what it raised (any BaseException, re-raised here).

    OwnCodeTimeout after `seconds`, OwnCodeAbandoned on `abandon_own_code` or an `abandon_when` condition;
    in both cases the thread is left running, and being a daemon it never holds up the program's exit."""
    outcome: dict[str, object] = {}
    done = threading.Event()
    with _idle_lock:
        runner = _idle.pop() if _idle else None
    runner = runner or _Runner()
    started, deadline = _generation, time.monotonic() + seconds
    stopped = getattr(_local, "stopped", None)
    runner.jobs.put((work, outcome, done))
    while not done.wait(WAIT_SLICE_S):
        if _generation != started or (stopped is not None and stopped()):
            runner.given_up = True
            raise OwnCodeAbandoned
        if time.monotonic() >= deadline:
            runner.given_up = True
            raise OwnCodeTimeout(seconds)
    with _idle_lock:
        _idle.append(runner)  # only a runner that finished its piece is used again
    if "error" in outcome:
        error = outcome["error"]
        assert isinstance(error, BaseException)
        raise error.with_traceback(error.__traceback__)
    return outcome["value"]  # type: ignore[return-value]
