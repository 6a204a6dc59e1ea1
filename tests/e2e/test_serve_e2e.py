"""`cnn-tui serve` in a real browser: headless Chromium through Playwright, judged by its screenshots."""

from __future__ import annotations

import pytest

from cnn_tui.core.test_image import BARS
from tests.e2e.browser import (
    ServeProcess,
    alive,
    browser_missing,
    chromium,
    difference,
    has_colour_bars,
    open_app,
    screenshot,
    wait_until,
)

pytestmark = pytest.mark.e2e

# The test image's bars, left to right; the last (black) merges with the page around it.
COLOUR_BARS = list(BARS[:-1])
CHANGED = 1.0  # mean |difference| per channel (0 … 255) above which two screenshots show different screens


@pytest.fixture
def serve(tmp_path):
    """Start `cnn-tui serve ARGS` in tmp_path (so nothing lands in the checkout); stopped at the end."""
    problem = browser_missing()
    if problem:
        pytest.skip(problem)
    servers: list[ServeProcess] = []

    def start(*args: str) -> ServeProcess:
        servers.append(ServeProcess(tmp_path, *args))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def changed_from(page, before, timeout: float = 60.0, what: str = "the screen to change"):
    """Wait until the page looks different from `before`; returns the new screenshot."""
    return wait_until(
        lambda: (shot := screenshot(page)) is not None and difference(shot, before) > CHANGED and shot,
        timeout, what, interval=0.2,
    )


def test_every_tab_draws_in_the_browser_and_the_session_ends_with_the_page(serve):
    server = serve("--lang", "en", "--max-sessions", "1")
    with chromium() as browser:
        page = open_app(browser, server.url)
        pixels = wait_until(
            lambda: (shot := screenshot(page)) is not None and has_colour_bars(shot, COLOUR_BARS) and shot,
            90, "the Pixels tab's colour bars (white, yellow, cyan, green, magenta, red, blue)", interval=0.3,
        )
        assert len(server.sessions()) == 1

        # A second visitor past --max-sessions gets a page saying so, not a hung tab.
        visitor = browser.new_page()
        response = visitor.goto(server.url)
        assert response is not None and response.status == 503
        assert "The room is full" in visitor.inner_text("body")
        assert "All 1 places are taken" in visitor.inner_text("body")
        visitor.close()

        # ctrl+p reaches the app (the page, not the browser, gets it): the palette opens and escape closes it.
        before = screenshot(page)
        page.keyboard.press("Control+p")
        palette = changed_from(page, before, what="ctrl+p to open the command palette")
        page.keyboard.press("Escape")
        changed_from(page, palette, what="escape to close the command palette")

        shots = {"1": screenshot(page)}
        for key in "23456":
            page.keyboard.press(key)
            shots[key] = changed_from(page, shots[str(int(key) - 1)], what=f"tab {key} to show")
        page.keyboard.press("1")
        pixels = wait_until(
            lambda: (shot := screenshot(page)) is not None and has_colour_bars(shot, COLOUR_BARS) and shot,
            60, "the Pixels tab again",
        )
        # A key changes the screen: c shows one channel at a time, so the colour bars go.
        page.keyboard.press("c")
        channel = changed_from(page, pixels, what="c to show the R channel")
        assert not has_colour_bars(channel, COLOUR_BARS)

        for key, shot in shots.items():
            assert shot.std() > 10, f"tab {key} looks blank"
            for other, other_shot in shots.items():
                if other < key:
                    assert difference(shot, other_shot) > CHANGED, f"tabs {other} and {key} look the same"

        (session,) = server.sessions()
        page.close()
        wait_until(lambda: not alive(session), 30, "the session's cnn-tui to exit after its page closed")
        wait_until(lambda: not server.sessions(), 30, "the server to forget the session")


def test_ctrl_c_stops_the_server_and_every_session(serve):
    server = serve("--lang", "zh")
    assert "open http://127.0.0.1:" in server.output()
    assert "Ctrl+C" in server.output()
    with chromium() as browser:
        open_app(browser, server.url)
        open_app(browser, server.url)
        sessions = wait_until(lambda: len(server.sessions()) == 2 and server.sessions(), 60, "two sessions")
        assert server.interrupt() == 0, server.output()
        assert not [pid for pid in sessions if alive(pid)]
        assert "Traceback" not in server.output()
