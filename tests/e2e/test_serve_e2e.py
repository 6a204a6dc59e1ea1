"""`cnn-tui serve` in a real browser: headless Chromium through Playwright, judged by its screenshots."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest
from PIL import Image

from cnn_tui.core.test_image import BARS
from tests.e2e.browser import (
    ServeProcess,
    alive,
    browser_missing,
    chromium,
    difference,
    has_colour_bars,
    open_app,
    parent,
    screenshot,
    settled,
    wait_until,
)

pytestmark = pytest.mark.e2e

# The test image's bars, left to right; the last (black) merges with the page around it.
COLOUR_BARS = list(BARS[:-1])
CHANGED = 0.002  # share of pixels that differ when the screen has changed (the tab underline alone: about 0.3%)
DISTINCT = 0.01  # two tabs' settled screens differ in more than this share (text-only tabs: 3% and more)


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
    """Wait until more than CHANGED of the page's pixels differ from `before`; returns the new screenshot."""
    return wait_until(
        lambda: (shot := screenshot(page)) is not None and difference(shot, before) > CHANGED and shot,
        timeout, what, interval=0.2,
    )


def content_drawn(shot) -> bool:
    """True when the area between the tab bar and the footer shows something (a tab being built is blank)."""
    body = shot[60:-30].reshape(-1, 3).astype(np.int32)
    packed = body[:, 0] << 16 | body[:, 1] << 8 | body[:, 2]
    values, counts = np.unique(packed, return_counts=True)
    background = body[np.flatnonzero(packed == values[counts.argmax()])[0]]
    return float((np.abs(body - background).max(axis=1) > 16).mean()) > 0.003  # blank: 0.0016


def tab_shown(page, previous, key: str):
    """Wait until the tab's own content is drawn (more than the tab bar changed, nothing blank), then settled."""
    wait_until(
        lambda: (shot := screenshot(page)) is not None and content_drawn(shot) and difference(shot, previous) > DISTINCT,
        90, f"tab {key} to show its content", interval=0.2,
    )
    return wait_until(lambda: content_drawn(shot := settled(page)) and shot, 90, f"tab {key} to settle", interval=0)


def test_every_tab_draws_in_the_browser_and_the_session_ends_with_the_page(serve, tmp_path):
    server = serve("--lang", "en", "--max-sessions", "1")
    with chromium() as browser:
        page = open_app(browser, server.url)
        wait_until(
            lambda: has_colour_bars(screenshot(page), COLOUR_BARS),
            90, "the Pixels tab's colour bars (white, yellow, cyan, green, magenta, red, blue)", interval=0.3,
        )
        (session,) = server.sessions()
        # The server holds the app's own process (no shell between them), so it can always end it.
        assert parent(session) == server.process.pid

        # A second visitor past --max-sessions gets a page saying so, not a hung tab.
        visitor = browser.new_page()
        response = visitor.goto(server.url)
        assert response is not None and response.status == 503
        assert "The room is full" in visitor.inner_text("body")
        assert "All 1 places are taken" in visitor.inner_text("body")
        visitor.close()

        # ctrl+p reaches the app through xterm.js: the palette opens and escape closes it. (Playwright's keys skip
        # the browser's own shortcuts; Chromium and Firefox let a page take ctrl+p, as VS Code for the Web does.)
        before = settled(page)
        page.keyboard.press("Control+p")
        palette = changed_from(page, before, what="ctrl+p to open the command palette")
        page.keyboard.press("Escape")
        changed_from(page, palette, what="escape to close the command palette")

        shots = {"1": settled(page)}
        for key in "23456":
            page.keyboard.press(key)
            shots[key] = tab_shown(page, shots[str(int(key) - 1)], key)
            Image.fromarray(shots[key]).save(tmp_path / f"tab{key}.png")  # to look at when this test fails
        page.keyboard.press("1")
        wait_until(lambda: has_colour_bars(screenshot(page), COLOUR_BARS), 60, "the Pixels tab again")
        # A key changes the screen: c shows one channel at a time, so the colour bars go.
        page.keyboard.press("c")
        wait_until(lambda: not has_colour_bars(screenshot(page), COLOUR_BARS), 30, "c to show the R channel alone")

        for key, shot in shots.items():
            assert shot.std() > 10, f"tab {key} looks blank"
            for other, other_shot in shots.items():
                if other < key:
                    assert difference(shot, other_shot) > DISTINCT, f"tabs {other} and {key} look (nearly) the same"

        page.close()
        wait_until(lambda: not alive(session), 30, "the session's cnn-tui to exit after its page closed")
        wait_until(lambda: not server.sessions(), 30, "the server to forget the session")


def test_ctrl_c_stops_the_server_and_every_session(serve, tmp_path):
    server = serve("--lang", "zh")
    assert "请在浏览器中打开 http://127.0.0.1:" in server.output()  # serve speaks the language it is given
    assert "按 Ctrl+C 停止" in server.output()
    with chromium() as browser:
        open_app(browser, server.url)
        open_app(browser, server.url)
        sessions = wait_until(lambda: len(server.sessions()) == 2 and server.sessions(), 60, "two sessions")
        # Each session trains into its own folder.
        assert len(list((tmp_path / "models" / "classroom").iterdir())) == 2
        assert server.interrupt() == 0, server.output()
        assert not [pid for pid in sessions if alive(pid)]
        assert "Traceback" not in server.output()


@pytest.fixture
def other_site():
    """A page on another origin (127.0.0.1, another port) that tries to open cnn-tui's websocket: serve(page) -> URL."""
    servers: list[ThreadingHTTPServer] = []

    def serve_page(html: str) -> str:
        class Page(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(html.encode())

            def log_message(self, *args) -> None:
                pass

        servers.append(ThreadingHTTPServer(("127.0.0.1", 0), Page))
        threading.Thread(target=servers[-1].serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{servers[-1].server_address[1]}/"

    yield serve_page
    for server in servers:
        server.shutdown()
        server.server_close()


def test_a_browser_needs_the_token_and_another_site_cannot_drive_a_session(serve, other_site, tmp_path):
    server = serve("--lang", "en")
    assert "?token=" in server.url
    bare = server.url.split("?")[0]
    with chromium() as browser:
        page = browser.new_page()
        response = page.goto(bare)
        assert response is not None and response.status == 401
        assert "Open the address that cnn-tui serve printed" in page.inner_text("body")
        assert not server.sessions()

        # The token address lets the browser in and leaves it the cookie (127.0.0.1's other ports see it too:
        # browsers share cookies between a host's ports, so only the Origin check stands in the way below).
        app = open_app(browser, server.url)
        wait_until(lambda: len(server.sessions()) == 1, 60, "the session to start")
        assert [c["name"] for c in browser.cookies()] == [f"cnn-tui-token-{server.port}"]
        app.close()
        wait_until(lambda: not server.sessions(), 60, "the first session to end")

        ws = f"ws://127.0.0.1:{server.port}/ws?width=80&height=24"
        attack = browser.new_page()
        attack.goto(other_site(
            "<script>const s = new WebSocket(" + repr(ws) + ");"
            "s.onopen = () => { s.send(JSON.stringify(['stdin', 'q'])); document.title = 'open'; };"
            "s.onerror = () => { document.title = 'refused'; };</script>"
        ))
        wait_until(lambda: attack.title() in ("open", "refused"), 30, "the other site's websocket to open or fail")
        assert attack.title() == "refused"
        assert not server.sessions()
        assert len(list((tmp_path / "models" / "classroom").iterdir())) == 1  # only the real page's session
        assert "refused a websocket from http://127.0.0.1:" in server.output()
