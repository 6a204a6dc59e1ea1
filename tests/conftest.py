"""Shared fixtures: English by default, no cursor blink, a fixed terminal size for snapshots."""

from __future__ import annotations

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
