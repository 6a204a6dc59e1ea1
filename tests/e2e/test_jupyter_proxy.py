"""cnn-tui through jupyter-server-proxy: a real `jupyter server` with a token, Chromium opens the proxied address and
the Pixels tab draws; without Jupyter's login the proxied page is refused, and serve itself wants the proxy's token."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass
from importlib.metadata import entry_points

import pytest

from cnn_tui.core.test_image import BARS
from cnn_tui.web.jupyter import NAME, setup_cnn_tui
from tests.conftest import REPO_ROOT
from tests.e2e.browser import (
    PACKAGE_ROOT,
    browser_missing,
    chromium,
    cmdline,
    descendants,
    free_port,
    has_colour_bars,
    open_app,
    screenshot,
    wait_until,
)

pytestmark = pytest.mark.e2e
JUPYTER_TOKEN = "jupyter-login-token"


def test_pyproject_registers_cnn_tui_with_jupyter_server_proxy():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    assert project["project"]["entry-points"]["jupyter_serverproxy_servers"] == {NAME: "cnn_tui.web.jupyter:setup_cnn_tui"}
    assert any(dep.startswith("jupyter-server-proxy") for dep in project["project"]["optional-dependencies"]["jupyter"])
    settings = setup_cnn_tui()
    assert settings["command"][1:5] == ["-m", "cnn_tui", "serve", "--port"]
    token = settings["environment"]["CNN_TUI_SERVE_TOKEN"]
    assert settings["request_headers_override"] == {"X-Cnn-Tui-Token": token} and token not in settings["command"]
    assert setup_cnn_tui()["environment"] != settings["environment"]  # a new token for each Jupyter server


@dataclass(frozen=True)
class Jupyter:
    url: str
    pid: int


def answer(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0  # nothing listens yet


@pytest.fixture
def jupyter(tmp_path):
    """`jupyter server` on a free port with a token, cnn-tui in its proxy (the installed entry point, else the
    same settings through its configuration); yields its address."""
    for module in ("jupyter_server", "jupyter_server_proxy"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} is not installed (pip install -e '.[jupyter]')")
    problem = browser_missing()
    if problem:
        pytest.skip(problem)
    config = tmp_path / "jupyter-config"
    config.mkdir()
    if NAME not in entry_points(group="jupyter_serverproxy_servers").names:
        (config / "jupyter_server_config.py").write_text(
            "from cnn_tui.web.jupyter import setup_cnn_tui\nc.ServerProxy.servers = {'cnn-tui': setup_cnn_tui()}\n"
        )
    port = free_port()
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(config), PYTHONPATH=os.pathsep.join(
        filter(None, [str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")])))
    log = open(tmp_path / "jupyter.log", "w+")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyter_server", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--ServerApp.token={JUPYTER_TOKEN}", "--ServerApp.allow_root=True", f"--ServerApp.root_dir={tmp_path}"],
        cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: process.poll() is not None or answer(f"{base}/api/status?token={JUPYTER_TOKEN}") == 200,
                   90, "jupyter server to answer", interval=0.3)
        assert process.poll() is None, (tmp_path / "jupyter.log").read_text()
        yield Jupyter(base, process.pid)
    finally:
        os.killpg(process.pid, 15)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait(10)
        log.close()


def test_a_jupyter_user_opens_cnn_tui_through_the_proxy_and_the_pixels_tab_draws(jupyter):
    # Without Jupyter's login the proxy sends the browser to Jupyter's login page; nothing reaches cnn-tui.
    with urllib.request.urlopen(f"{jupyter.url}/{NAME}/", timeout=30) as response:
        assert "/login" in response.url
    assert not [pid for pid in descendants(jupyter.pid) if b"cnn_tui" in cmdline(pid)]
    with chromium() as browser:
        page = open_app(browser, f"{jupyter.url}/{NAME}/?token={JUPYTER_TOKEN}", timeout=120)
        wait_until(lambda: has_colour_bars(screenshot(page), list(BARS[:-1])), 120, "the Pixels tab's colour bars")
        html = page.content()
        assert f'data-session-websocket-url="ws://{jupyter.url[7:]}/{NAME}/ws"' in html
        # The serve the proxy started wants the proxy's token: its port alone (another user of this machine) gets 401.
        (serve,) = [pid for pid in descendants(jupyter.pid) if b"\0serve\0--port\0" in cmdline(pid)]
        words = cmdline(serve).split(b"\0")
        serve_port = int(words[words.index(b"--port") + 1])
        assert answer(f"http://127.0.0.1:{serve_port}/") == 401
        assert b"CNN_TUI_SERVE_TOKEN" not in b"".join(cmdline(pid) for pid in descendants(jupyter.pid))
