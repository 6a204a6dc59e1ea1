"""`cnn-tui serve` tried as a stranger and as a hostile page would: plain HTTP and websocket clients (aiohttp), and
a stand-in session (tests/fake_session.py) that reports the size, environment and messages it was given."""

from __future__ import annotations

import asyncio
import json
import shlex
import sys
from pathlib import Path

import pytest

from cnn_tui.cli import main

pytest.importorskip("textual_serve", reason="textual-serve is not installed (pip install -e '.[test]')")
from aiohttp import ClientSession, WSMsgType, WSServerHandshakeError  # noqa: E402
from aiohttp.test_utils import TestClient, TestServer  # noqa: E402

from cnn_tui.web.access import cookie_name  # noqa: E402
from cnn_tui.web.server import ClassroomServer, ServeSettings  # noqa: E402
from cnn_tui.web.session import MessageBudget, clamp_size, process_cpu_seconds  # noqa: E402

TOKEN = "token-of-the-class"
FAKE = Path(__file__).resolve().parent.parent / "fake_session.py"


def fake(*mode: str) -> str:
    return "exec " + shlex.join([sys.executable, str(FAKE), *mode])


@pytest.fixture
async def serving(tmp_path):
    """start(**settings) -> (server, client) on a free port; every client is closed at the end."""
    clients: list[TestClient] = []

    async def start(command: str = fake(), **more):
        fields = {"public_url": None, "token": TOKEN, "sessions_dir": tmp_path / "classroom", "stop_wait_s": 5.0, **more}
        settings = ServeSettings(command, "127.0.0.1", 8000, max_sessions=2, lang="en", **fields)
        server = ClassroomServer(settings)
        client = TestClient(TestServer(await server.web_app()))
        await client.start_server()
        clients.append(client)
        return server, client

    yield start
    for client in clients:
        await client.close()


def origin(client: TestClient) -> str:
    return str(client.make_url("/")).rstrip("/")


async def first_report(websocket) -> dict:
    """The fake session's first data packet: its size, environment and threads."""
    while True:
        message = await websocket.receive(timeout=30)
        assert message.type == WSMsgType.BINARY, message
        return json.loads(message.data)


async def texts_until_closed(websocket) -> list:
    """Every JSON text message until the server closes the connection."""
    texts = []
    while True:
        message = await websocket.receive(timeout=30)
        if message.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED):
            return texts
        if message.type == WSMsgType.TEXT:
            texts.append(json.loads(message.data))


# -- the token ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/ws", "/download/some-key"])
@pytest.mark.parametrize("token", [None, "wrong-token-of-the-class", TOKEN[:-1]])
async def test_without_the_token_page_websocket_and_downloads_are_refused(serving, tmp_path, path, token):
    server, client = await serving()
    query = {"token": token} if token else {}
    response = await client.get(path, params=query, headers={"Origin": origin(client)})
    assert response.status == 401
    html = await response.text()
    assert "cnn-tui needs the class" in html and "?token=" in html and "Ask your teacher" in html
    assert cookie_name(8000) not in response.cookies
    assert not server.sessions and not (tmp_path / "classroom").exists()  # no session was started


async def test_the_token_in_the_address_sets_a_strict_http_only_cookie_that_lets_the_page_in(serving):
    server, client = await serving()
    response = await client.get("/", params={"token": TOKEN})
    assert response.status == 200
    cookie = response.cookies[cookie_name(8000)]
    assert cookie.value == TOKEN and cookie["httponly"] and cookie["samesite"] == "Strict"
    # The browser comes back with the cookie alone (a reload, the websocket, a download).
    async with ClientSession() as browser:
        again = await browser.get(client.make_url("/"), cookies={cookie_name(8000): TOKEN})
        assert again.status == 200 and "data-session-websocket-url" in await again.text()
        wrong = await browser.get(client.make_url("/"), cookies={cookie_name(8000): "not-the-token"})
        assert wrong.status == 401


async def test_without_a_token_only_this_machine_s_names_are_answered(serving):
    """--no-token: a page reached by another name (DNS rebinding) gets nothing."""
    server, client = await serving(token=None)
    assert (await client.get("/")).status == 200
    assert (await client.get("/", headers={"Host": "localhost:8000"})).status == 200
    refused = await client.get("/", headers={"Host": "evil.example:8000"})
    assert refused.status == 403 and "127.0.0.1 or localhost" in await refused.text()


def test_no_token_is_refused_on_an_address_other_machines_reach(capsys):
    assert main(["serve", "--host", "0.0.0.0", "--no-token"]) == 2
    err = capsys.readouterr().err
    assert "--no-token is allowed only on this machine's own address" in err and "Traceback" not in err


# -- the origin ---------------------------------------------------------------------


@pytest.mark.parametrize("foreign", ["http://evil.example", "http://127.0.0.1:1", "null", "http://127.0.0.1.evil.example"])
async def test_a_websocket_from_another_origin_is_refused_before_a_session_starts(serving, tmp_path, foreign):
    server, client = await serving()
    with pytest.raises(WSServerHandshakeError) as refused:
        await client.ws_connect("/ws", params={"token": TOKEN}, headers={"Origin": foreign})
    assert refused.value.status == 403
    assert not server.sessions and not (tmp_path / "classroom").exists()


async def test_a_websocket_from_the_page_s_own_origin_or_public_url_gets_a_session(serving, tmp_path):
    server, client = await serving()
    websocket = await client.ws_connect("/ws", params={"token": TOKEN}, headers={"Origin": origin(client)})
    assert (await websocket.receive_json(timeout=30))[0] == "instance_id"
    assert (await first_report(websocket))["size"] == ["80", "24"]
    assert len(list((tmp_path / "classroom").iterdir())) == 1
    await websocket.close()

    server, client = await serving(public_url="https://lab.example.org/cnn")
    websocket = await client.ws_connect("/ws", params={"token": TOKEN}, headers={"Origin": "https://lab.example.org"})
    assert (await websocket.receive_json(timeout=30))[0] == "instance_id"
    await websocket.close()


# -- static files and downloads ---------------------------------------------------------


@pytest.mark.parametrize("folder", ["/static/", "/static/js/", "/static/js", "/static/fonts/"])
async def test_static_folders_are_not_listed(serving, folder):
    server, client = await serving()
    response = await client.get(folder, params={"token": TOKEN})
    assert response.status in (403, 404)
    assert "textual.js" not in await response.text()
    assert (await client.get("/static/js/textual.js")).status == 200  # the files themselves are served


async def test_a_download_key_works_only_with_its_own_session_s_instance(serving):
    server, client = await serving(command=fake("offer", "k1"))
    mine = await client.ws_connect("/ws", params={"token": TOKEN}, headers={"Origin": origin(client)})
    mine_instance = (await mine.receive_json(timeout=30))[1]
    await first_report(mine)
    assert await mine.receive_json(timeout=30) == ["deliver_file_start", "k1"]  # what textual.js opens
    server.command = fake()  # the second session offers nothing
    other = await client.ws_connect("/ws", params={"token": TOKEN}, headers={"Origin": origin(client)})
    other_instance = (await other.receive_json(timeout=30))[1]
    await first_report(other)
    for instance in (other_instance, "", "k1"):
        response = await client.get("/download/k1", params={"token": TOKEN, "instance": instance})
        assert response.status == 404
    response = await client.get("/download/k1", params={"instance": mine_instance})  # no token: refused first
    assert response.status == 401
    response = await client.get("/download/k1", params={"token": TOKEN, "instance": mine_instance})
    assert response.status == 200 and await response.read() == b"the weights"
    assert "attachment; filename=weights.pth" in response.headers["Content-Disposition"]
    await mine.close()
    await other.close()


# -- limits -------------------------------------------------------------------------------


async def test_an_oversized_terminal_is_clamped_in_the_address_and_in_resize_messages(serving):
    server, client = await serving()
    websocket = await client.ws_connect(
        "/ws", params={"token": TOKEN, "width": "100000", "height": "100000"}, headers={"Origin": origin(client)}
    )
    await websocket.receive_json(timeout=30)
    assert (await first_report(websocket))["size"] == ["500", "200"]
    await websocket.send_json(["resize", {"width": 100000, "height": -5}])
    await websocket.send_json(["resize", {"width": "wide", "height": [1]}])
    echoed = [(await websocket.receive(timeout=30)).data for _ in range(2)]
    assert [json.loads(e[1:]) for e in echoed] == [
        {"type": "resize", "width": 500, "height": 1}, {"type": "resize", "width": 80, "height": 24},
    ]
    await websocket.close()


async def test_a_message_past_the_size_limit_ends_the_connection_and_its_session(serving):
    server, client = await serving(max_message_bytes=4096)
    websocket = await client.ws_connect("/ws", params={"token": TOKEN}, headers={"Origin": origin(client)})
    await websocket.receive_json(timeout=30)
    await first_report(websocket)
    await websocket.send_json(["stdin", "x" * 1_000_000])
    while (message := await websocket.receive(timeout=30)).type not in (WSMsgType.CLOSE, WSMsgType.CLOSED):
        assert message.type != WSMsgType.BINARY or b"x" * 4096 not in message.data  # nothing reached the app
    assert message.type == WSMsgType.CLOSED or message.data == 1009  # "message too big"


async def test_messages_the_page_never_sends_are_dropped(serving):
    server, client = await serving()
    websocket = await client.ws_connect("/ws", params={"token": TOKEN}, headers={"Origin": origin(client)})
    await websocket.receive_json(timeout=30)
    await first_report(websocket)
    for junk in ("not json", "[]", '{"stdin": 1}', '["stdin", 5]', '["resize", "big"]', '["run", "rm -rf /"]'):
        await websocket.send_str(junk)
    await websocket.send_json(["stdin", "k"])
    assert (await websocket.receive(timeout=30)).data == b"Dk"  # the first thing the app got is the real key
    await websocket.close()


def test_the_message_budget_holds_back_a_client_past_its_rate():
    now = [0.0]
    budget = MessageBudget(rate=10, burst=3, clock=lambda: now[0])
    assert [budget.wait() for _ in range(3)] == [0, 0, 0]
    assert budget.wait() == pytest.approx(0.1)
    now[0] = 10.0  # a quiet while refills the burst, no more
    assert [budget.wait() for _ in range(3)] == [0, 0, 0] and budget.wait() > 0


def test_clamp_size():
    assert clamp_size("120", "40", (500, 200), (80, 24)) == (120, 40)
    assert clamp_size("9" * 50, "0", (500, 200), (80, 24)) == (500, 1)
    assert clamp_size(None, True, (500, 200), (80, 24)) == (80, 24)


async def test_an_idle_session_is_ended_with_a_sentence_and_its_folder_kept(serving, tmp_path):
    server, client = await serving(idle_s=0.5)
    websocket = await client.ws_connect("/ws", params={"token": TOKEN}, headers={"Origin": origin(client)})
    await websocket.send_json(["ping", "1"])  # what the page sends by itself is no sign of a student
    await websocket.send_json(["focus"])
    texts = await texts_until_closed(websocket)
    assert ["notice", "This session ended after 0.00833333 minutes without a key; its checkpoints are kept in its "
            "folder. Start again for a new session."] in texts
    assert len(list((tmp_path / "classroom").iterdir())) == 1


async def test_a_session_past_its_memory_ends_with_a_sentence_not_a_frozen_page(serving):
    server, client = await serving(command=fake("allocate", "400"), memory_mb=100)
    websocket = await client.ws_connect("/ws", params={"token": TOKEN}, headers={"Origin": origin(client)})
    texts = await texts_until_closed(websocket)
    assert any(t[0] == "notice" and "more than its 100 MB of memory" in t[1] for t in texts), texts


async def test_the_same_allocation_runs_without_the_cap(serving):
    """The control for the test above: 400 MB is allowed when the cap is higher."""
    server, client = await serving(command=fake("allocate", "400"), memory_mb=4096)
    websocket = await client.ws_connect("/ws", params={"token": TOKEN}, headers={"Origin": origin(client)})
    await websocket.receive_json(timeout=30)
    assert (await first_report(websocket))["size"] == ["80", "24"]
    await websocket.close()


async def test_a_session_inherits_only_a_minimal_environment(serving, monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "the server's secret")
    monkeypatch.setenv("SSH_AUTH_SOCK", "/tmp/agent")
    monkeypatch.setenv("CNN_TUI_DATA", "/srv/data")
    server, client = await serving(threads=3)
    websocket = await client.ws_connect("/ws", params={"token": TOKEN}, headers={"Origin": origin(client)})
    await websocket.receive_json(timeout=30)
    report = await first_report(websocket)
    assert "AWS_SECRET_ACCESS_KEY" not in report["env"] and "SSH_AUTH_SOCK" not in report["env"]
    assert {"PATH", "CNN_TUI_DATA", "TEXTUAL_DRIVER", "COLUMNS"} <= set(report["env"])
    assert report["threads"] == "3"
    await websocket.close()


@pytest.mark.slow
async def test_a_session_that_works_without_keys_is_not_idle(serving):
    """A training uses its process's CPU: the session counts as working; a process that waits does not."""
    server, client = await serving(command=fake("spin"))
    websocket = await client.ws_connect("/ws", params={"token": TOKEN}, headers={"Origin": origin(client)})
    await websocket.receive_json(timeout=30)
    (service,) = server.sessions
    assert (await first_report(websocket))["size"] == ["80", "24"]
    assert not service.working(0.2)  # the first look only notes the CPU used so far
    cpu = process_cpu_seconds(service.process.pid)
    while process_cpu_seconds(service.process.pid) - cpu < 0.1:  # the fake spins: a tenth of a CPU-second
        await asyncio.sleep(0.02)
    assert service.working(0.2)
    await websocket.close()

    server, client = await serving()
    websocket = await client.ws_connect("/ws", params={"token": TOKEN}, headers={"Origin": origin(client)})
    await websocket.receive_json(timeout=30)
    await first_report(websocket)
    (service,) = server.sessions
    service.working(0.2)
    await websocket.send_json(["ping", "1"])
    await websocket.receive_json(timeout=30)  # the pong: the server has relayed the message and the app sits still
    assert not service.working(0.5)  # the waiting fake used far less than 0.05 CPU-seconds since
    await websocket.close()
