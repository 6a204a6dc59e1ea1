"""`ClassroomServer`: textual-serve's `Server` with a session limit, a page for a full room, clean shutdown and
URLs that follow the address the browser used (or `--public-url`).

textual-serve starts the command once per browser connection (its `AppService`), so every visitor gets their own
cnn-tui process: their own image, their own training, their own torch import.
"""

from __future__ import annotations

import asyncio
import logging
import shlex
import shutil
import signal
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from cnn_tui.config import TRAINING_TAB_DEFAULTS
from cnn_tui.i18n import tr

log = logging.getLogger("textual-serve")
TEMPLATES = Path(__file__).with_name("templates")
# textual-serve's default terminal size when the browser does not say.
DEFAULT_SIZE = (80, 24)


@dataclass(frozen=True)
class ServeSettings:
    """What `cnn-tui serve` was asked for."""

    command: str  # the shell command of one session; `--checkpoint PATH` is added per session when sessions_dir is set
    host: str
    port: int
    public_url: str | None
    max_sessions: int
    lang: str
    # Each session trains into its own folder here (checkpoints and runs), starting from a copy of start_checkpoint.
    sessions_dir: Path | None = None
    start_checkpoint: Path | None = None
    # How long a session may take to quit before its process is killed: longer than the Training tab waits for
    # its trainer to finish a batch, so a quitting session saves nothing half-written.
    stop_wait_s: float = TRAINING_TAB_DEFAULTS.quit_wait_s + 5.0


class ClassroomServer(Server):
    """Serve cnn-tui to at most `max_sessions` browsers at once."""

    def __init__(self, settings: ServeSettings, announce: Callable[[], None] = lambda: None) -> None:
        super().__init__(
            settings.command,
            host=settings.host,
            port=settings.port,
            title="cnn-tui",
            public_url=settings.public_url,
            templates_path=TEMPLATES,
        )
        self.settings = settings
        self.fixed_public_url = settings.public_url
        # The running sessions, each with its browser's websocket.
        self.sessions: dict[AppService, web.WebSocketResponse] = {}
        self._announce = announce

    # -- pages ----------------------------------------------------------------------

    def base_url(self, request: web.Request) -> str:
        """`--public-url` if given, else the address the browser asked for (so SSH tunnels and proxies that keep the
        Host header work: textual-serve would embed its own bind address, Textualize/textual-serve#42)."""
        if self.fixed_public_url:
            return self.fixed_public_url.rstrip("/")
        scheme = request.headers.get("X-Forwarded-Proto", request.scheme).split(",")[0].strip()
        host = request.headers.get("X-Forwarded-Host", request.host).split(",")[0].strip()
        return f"{scheme}://{host}"

    def is_full(self) -> bool:
        return len(self.sessions) >= self.settings.max_sessions

    def page_text(self) -> dict[str, str]:
        lang = self.settings.lang
        keys = ("title", "loading", "ended", "restart", "start", "full_title", "full_body", "retry")
        texts = {key: tr(f"serve.page.{key}", lang=lang) for key in keys}
        texts["full_body"] = tr("serve.page.full_body", lang=lang, limit=self.settings.max_sessions)
        return texts

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The app page, or (status 503) a page saying the room is full."""
        base = self.base_url(request)
        texts = self.page_text()
        if self.is_full():
            context = {"text": texts, "lang": self.settings.lang}
            return aiohttp_jinja2.render_template("full.html", request, context, status=503)
        router = request.app.router
        websocket = f"{base}{router['websocket'].url_for()}"
        websocket = ("wss:" if base.startswith("https:") else "ws:") + websocket.split(":", 1)[1]
        context: dict[str, Any] = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": websocket,
            "static_url": f"{base}{router['static'].url_for(filename='/')}".rstrip("/") + "/",
            "text": texts,
            "lang": self.settings.lang,
        }
        return aiohttp_jinja2.render_template("index.html", request, context)

    # -- sessions -------------------------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One browser connection: start its own cnn-tui process, relay until either side closes."""
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        if self.is_full():
            # Someone took the last place between this visitor's page load and their connection.
            notice = tr("serve.page.full_body", lang=self.settings.lang, limit=self.settings.max_sessions)
            await websocket.send_bytes(f"\x1b[2J\x1b[H{notice}\r\n".encode())
            await websocket.close()
            return websocket
        width = to_int(request.query.get("width", str(DEFAULT_SIZE[0])), DEFAULT_SIZE[0])
        height = to_int(request.query.get("height", str(DEFAULT_SIZE[1])), DEFAULT_SIZE[1])
        service = AppService(
            self.session_command(),
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        self.sessions[service] = websocket
        log.info("session started (%d of %d)", len(self.sessions), self.settings.max_sessions)
        try:
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            pass
        except Exception as error:  # a broken connection must not take the server down
            log.exception(error)
        finally:
            await self.stop_session(service)
            self.sessions.pop(service, None)
            log.info("session ended (%d of %d)", len(self.sessions), self.settings.max_sessions)
            if not websocket.closed:
                await websocket.close()
        return websocket

    def session_command(self) -> str:
        """The command for a new session: with its own checkpoint in a new folder under `sessions_dir`, so that
        students who train at once do not overwrite each other's checkpoint or runs (the data folder is shared)."""
        folder_root = self.settings.sessions_dir
        if folder_root is None:
            return self.command
        folder = folder_root / f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
        folder.mkdir(parents=True)
        start = self.settings.start_checkpoint
        checkpoint = folder / (start.name if start else "image_classification.pth")
        if start is not None and start.is_file():
            shutil.copy2(start, checkpoint)  # everyone starts from the teacher's network
        record = shlex.quote(str(folder / "practice.json"))  # each student's own streak and progress
        return f"{self.command} --practice-record {record} --checkpoint {shlex.quote(str(checkpoint))}"

    async def stop_session(self, service: AppService) -> None:
        """Ask the session's app to quit; kill its process if it has not exited within `stop_wait_s`."""
        process = service._process
        try:
            await asyncio.wait_for(asyncio.shield(service.stop()), self.settings.stop_wait_s)
        except (asyncio.TimeoutError, Exception):  # noqa: BLE001 - any failure ends in the kill below
            pass
        if process is not None and process.returncode is None:
            try:
                process.kill()
            except ProcessLookupError:
                pass
        if process is not None:
            try:
                await asyncio.wait_for(process.wait(), self.settings.stop_wait_s)
            except asyncio.TimeoutError:
                log.error("session process %s did not exit", process.pid)

    async def on_shutdown(self, app: web.Application) -> None:
        """Ctrl+C: every session's app quits (or is killed) before the server exits."""
        sessions = list(self.sessions.items())
        await asyncio.gather(*(self.stop_session(service) for service, _ in sessions))
        await asyncio.gather(*(websocket.close() for _, websocket in sessions), return_exceptions=True)

    async def on_startup(self, app: web.Application) -> None:
        """Nothing: textual-serve prints its logo here; `serve` says where to go once the port is open."""

    def serve(self, debug: bool = False) -> None:
        """Run until Ctrl+C (SIGINT) or SIGTERM; OSError when the address cannot be listened on."""
        self.debug = debug
        self.initialize_logging()
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, stop.set)
            except NotImplementedError:  # Windows
                pass
        runner = web.AppRunner(await self._make_app(), access_log=None, shutdown_timeout=self.settings.stop_wait_s)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.settings.host, self.settings.port).start()
            self._announce()  # only once the port is open
            await stop.wait()
        finally:
            await runner.cleanup()  # on_shutdown: every session quits (or is killed)
