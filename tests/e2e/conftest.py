"""Fixtures for real-terminal tests: skip cleanly where tmux or the installed script is missing."""

from __future__ import annotations

import pytest

from tests.e2e.tmux import TmuxSession, tmux_available


@pytest.fixture
def tmux_app():
    """Start `cnn-tui ARGS` in tmux; every session is killed at the end of the test."""
    if not tmux_available():
        pytest.skip("tmux or the installed cnn-tui script is not available")
    sessions: list[TmuxSession] = []

    def start(args: str = "", **kwargs) -> TmuxSession:
        session = TmuxSession(f"cnn-tui {args}".strip(), **kwargs)
        sessions.append(session)
        return session

    yield start
    for session in sessions:
        session.close()
