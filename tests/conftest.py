"""Shared fixtures: English by default, no cursor blink, a fixed terminal size for snapshots."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cnn_tui import i18n

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = REPO_ROOT.parent / "shared"
CIFAR10_JPEG_DIR = SHARED_DIR / "datasets" / "cifar10-jpeg"
SNAPSHOT_SIZE = (120, 36)


@pytest.fixture(autouse=True)
def _english_by_default():
    """Every test starts in English; the language is process-wide state."""
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def scratch_folder(tmp_path: Path, monkeypatch) -> Path:
    """The test works in its own empty folder: the app's relative data/ and models/ are there."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(autouse=True)
def _no_animation(monkeypatch):
    """Animations (the tab underline sliding) make snapshots depend on timing: turn them off."""
    from textual import constants

    monkeypatch.setattr(constants, "TEXTUAL_ANIMATIONS", "none")


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch):
    """A blinking cursor makes snapshots flaky: freeze it on."""
    from textual.widgets import Input, TextArea

    monkeypatch.setattr(Input, "cursor_blink", False)
    monkeypatch.setattr(TextArea, "cursor_blink", False)


@pytest.fixture(autouse=True)
def _notifications_stay(monkeypatch):
    """A notification stays shown until the test ends: on a loaded machine more than a toast's few seconds can
    pass between the note and the check (a CI run once found the command line image's note already gone)."""
    from textual.notifications import Notification

    monkeypatch.setattr(Notification, "has_expired", property(lambda self: False))


# Where tests that do not choose a data home look: fixed paths that do not exist (so snapshots show the same
# text everywhere); a test that downloads or imports sets its own with tmp_path.
TEST_XDG_DATA = "/home/learner/.local/share"
TEST_XDG_CACHE = "/home/learner/.cache"


@pytest.fixture(autouse=True)
def _no_user_data_home(monkeypatch):
    """The data-home lookup never sees the real user's data folder, $CNN_TUI_DATA or a real download URL."""
    monkeypatch.setenv("XDG_DATA_HOME", TEST_XDG_DATA)
    monkeypatch.setenv("XDG_CACHE_HOME", TEST_XDG_CACHE)
    monkeypatch.delenv("CNN_TUI_DATA", raising=False)
    monkeypatch.setenv("CNN_TUI_CIFAR10_URL", "http://127.0.0.1:9/no-network-in-tests.tar.gz")


@pytest.fixture(autouse=True)
def _no_terminal_size_from_the_environment(monkeypatch):
    """Commands size their tables by COLUMNS and LINES when set (xdist's workers get COLUMNS=80, a user's shell may
    export them): tests see what a pipe gets, the same everywhere."""
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)


@pytest.fixture
def endless_loop(monkeypatch) -> str:
    """A line of learner code that never returns while the test runs and ends after it: a thread left spinning in
    the test process (threads cannot be killed) would hold the GIL and slow every later test of that process."""
    import builtins

    monkeypatch.setattr(builtins, "cnn_tui_test_running", True, raising=False)
    return "while getattr(__import__('builtins'), 'cnn_tui_test_running', False): pass"


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def pytest_xdist_auto_num_workers(config) -> int:
    """`-n auto` (pyproject's addopts): one worker per core, at most 4 (each holds torch and Textual, ~0.6 GB)."""
    return max(1, min(_cores(), 4))


@pytest.fixture(scope="session", autouse=True)
def _torch_threads_per_worker():
    """Under xdist each worker's own torch work gets its share of the cores (2 workers × 2 threads on 2 cores
    would make OpenMP's spinning threads wait on each other); the app's training picks its threads itself."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if workers > 1:
        import torch

        torch.set_num_threads(_threads_per_worker(workers))
    yield


def _threads_per_worker(workers: int) -> int:
    return max(1, _cores() // workers)


@pytest.fixture(autouse=True)
def _training_tab_threads_per_worker(monkeypatch):
    """Under xdist the Training tab trains on the worker's share of the cores too: with the cores it would pick
    for itself, its spinning threads and the other worker's test slowed each other down up to 15× (a Pixels
    test took 35 s beside a training test, 2 s alone)."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if workers > 1:
        from dataclasses import replace

        from cnn_tui.ui.tabs.training import job as training_job

        defaults = replace(training_job.TRAINING_TAB_DEFAULTS, threads=_threads_per_worker(workers))
        monkeypatch.setattr(training_job, "TRAINING_TAB_DEFAULTS", defaults)


def pytest_collection_modifyitems(config, items) -> None:
    """Every Pilot test (tests/ui) is in the slow tier: each starts the whole app, seconds on 2 cores, so the quick
    tier (`-m "not slow and not e2e"`) is the unit tests, about a minute on 2 cores."""
    ui = Path(__file__).resolve().parent / "ui"
    for item in items:
        if Path(str(item.path)).resolve().is_relative_to(ui):
            item.add_marker(pytest.mark.slow)
