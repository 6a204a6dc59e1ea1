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
