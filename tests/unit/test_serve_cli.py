"""`cnn-tui serve` without a browser: its options, its warnings, the install hint, and the pages it hands out."""

from __future__ import annotations

import dataclasses
import importlib.util
import shlex
import os
import sys
from pathlib import Path

import pytest

import cnn_tui
from cnn_tui.cli import build_command_parser, main
from cnn_tui.commands import serve

TOKEN = "class-token"
PACKAGE_ROOT = Path(cnn_tui.__file__).resolve().parent.parent  # so `python -m cnn_tui` runs the code under test


def test_help_states_defaults_and_memory_per_session(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["serve", "--help"])
    assert stop.value.code == 0
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    assert "(default: 127.0.0.1)" in out and "(default: 8000)" in out and "default: 8)" in out
    assert f"about {serve.IDLE_MB} MB" in out and f"{serve.TORCH_MB} MB once torch is loaded" in out
    assert "?token=" in out and "--no-token" in out and "(default: 30)" in out and "(default: 2048)" in out


def test_without_textual_serve_it_names_the_install_command(monkeypatch, capsys):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "textual_serve" else real(name, *a))
    assert main(["serve"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert "pip install 'textual-serve>=1.1'" in err and "pip install -e '.[serve]'" in err


@pytest.mark.parametrize("args", [
    ["--port", "0"], ["--port", "http"], ["--max-sessions", "0"], ["--public-url", "lab.example.org"],
    ["--token", "short"], ["--token", "abcdefgh", "--no-token"], ["--idle-minutes", "0"], ["--session-memory", "0"],
])
def test_bad_values_exit_2(args, capsys):
    with pytest.raises(SystemExit) as stop:
        build_command_parser("serve").parse_args(args)
    assert stop.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_only_another_address_than_this_machine_gets_the_plain_http_warning():
    assert serve.exposure_warning("127.0.0.1", 8000) is None
    warning = serve.exposure_warning("0.0.0.0", 8000)
    assert warning is not None and "token travels in plain http" in warning
    assert "ssh -L 8000:127.0.0.1:8000" in warning and "reverse proxy" in warning


def test_each_session_runs_this_python_s_cnn_tui_in_the_chosen_language():
    assert serve.session_command("zh").split() == ["exec", sys.executable, "-m", "cnn_tui", "--lang", "zh"]


def test_url_to_open():
    assert serve.url_to_open("127.0.0.1", 8000, None) == "http://127.0.0.1:8000"
    assert serve.url_to_open("::1", 8000, None) == "http://[::1]:8000"
    assert serve.url_to_open("0.0.0.0", 8000, "https://lab.example.org") == "https://lab.example.org"
    assert serve.url_to_open("127.0.0.1", 8000, None, "a+b/c") == "http://127.0.0.1:8000/?token=a%2Bb%2Fc"
    assert serve.url_to_open("0.0.0.0", 8000, "https://lab.example.org/cnn", "t") == "https://lab.example.org/cnn/?token=t"


# -- the pages, through aiohttp's test client (no browser, no session started) ------------------------


@pytest.fixture
def pages():
    pytest.importorskip("textual_serve", reason="textual-serve is not installed (pip install -e '.[test]')")
    from aiohttp.test_utils import TestClient, TestServer

    from cnn_tui.web.server import ClassroomServer, ServeSettings

    async def start(public_url: str | None = None, max_sessions: int = 2, lang: str = "en", **more):
        settings = ServeSettings("true", "127.0.0.1", 0, public_url, max_sessions, lang, **{"token": TOKEN, **more})
        server = ClassroomServer(settings)
        client = TestClient(TestServer(await server.web_app()))
        await client.start_server()
        return server, client  # the test closes the client, inside its own event loop

    return start


async def test_the_page_uses_the_address_the_browser_asked_for(pages):
    server, client = await pages()
    try:
        response = await client.get(f"/?token={TOKEN}", headers={"Host": "tunnel.example:9000"})
        html = await response.text()
        assert response.status == 200
        assert 'data-session-websocket-url="ws://tunnel.example:9000/ws"' in html
        assert "http://tunnel.example:9000/static/js/textual.js" in html
        assert "googleapis" not in html  # no web fonts from the internet: the page must load offline
    finally:
        await client.close()


async def test_public_url_fixes_the_addresses_in_the_page(pages):
    server, client = await pages(public_url="https://lab.example.org/cnn")
    try:
        html = await (await client.get(f"/?token={TOKEN}")).text()
        assert 'data-session-websocket-url="wss://lab.example.org/cnn/ws"' in html
        assert "https://lab.example.org/cnn/static/js/textual.js" in html
    finally:
        await client.close()


async def test_past_max_sessions_the_page_says_the_room_is_full(pages):
    server, client = await pages(max_sessions=1, lang="zh")
    try:
        server.sessions[object()] = object()  # one session running
        response = await client.get(f"/?token={TOKEN}")
        html = await response.text()
        server.sessions.clear()
        assert response.status == 503
        assert "教室已满" in html and "1 个名额" in html
        assert "textual.js" not in html
    finally:
        await client.close()


def test_each_session_gets_its_own_folder_starting_from_the_teacher_s_checkpoint(tmp_path):
    pytest.importorskip("textual_serve", reason="textual-serve is not installed (pip install -e '.[test]')")
    from cnn_tui.web.server import ClassroomServer, ServeSettings

    start = tmp_path / "image_classification.pth"
    start.write_bytes(b"the teacher's weights")
    settings = ServeSettings("python -m cnn_tui", "127.0.0.1", 8000, None, 2, "en", tmp_path / "classroom", start)
    server = ClassroomServer(settings)
    commands = [server.session_command(), server.session_command()]
    folders = sorted((tmp_path / "classroom").iterdir())
    assert len(folders) == 2
    for folder in folders:
        assert (folder / "image_classification.pth").read_bytes() == b"the teacher's weights"
    words = [shlex.split(c.split(";", 1)[1]) for c in commands]
    assert sorted(w[w.index("--checkpoint") + 1] for w in words) == [str(f / "image_classification.pth") for f in folders]
    # Each session is confined to its folder and capped in memory (ulimit -d, in KB).
    assert sorted(w[w.index("--confine") + 1] for w in words) == [str(f) for f in folders]
    assert all(c.startswith("ulimit -d 2097152; python -m cnn_tui") for c in commands)
    allowed = ClassroomServer(dataclasses.replace(settings, allow_files=True)).session_command()
    assert "--confine" not in allowed
    records = sorted(w[w.index("--practice-record") + 1] for w in words)
    assert records == [str(f / "practice.json") for f in folders]  # each student practises on their own record


async def test_a_connection_that_finds_the_room_full_is_told_so_in_the_terminal(pages):
    """Someone took the last place between this visitor's page load and their connection."""
    server, client = await pages(max_sessions=1)
    try:
        server.sessions[object()] = object()
        websocket = await client.ws_connect(f"/ws?width=80&height=24&token={TOKEN}")
        message = await websocket.receive_bytes(timeout=10)
        assert b"All 1 places are taken" in message
        assert (await websocket.receive(timeout=10)).type.name in ("CLOSE", "CLOSING", "CLOSED")
        server.sessions.clear()
    finally:
        await client.close()


def test_a_port_in_use_is_one_line_and_status_2_without_an_address_to_open(tmp_path):
    pytest.importorskip("textual_serve", reason="textual-serve is not installed (pip install -e '.[test]')")
    import socket
    import subprocess

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "cnn_tui", "serve", "--port", str(port)],
            capture_output=True, text=True, timeout=60, cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(PACKAGE_ROOT)),
        )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"cnn-tui serve: cannot listen on 127.0.0.1 port {port}: error while attempting to bind on address "
        f"('127.0.0.1', {port}): address already in use; choose another --port or --host."
    )
    assert "open http" not in result.stdout
