"""`ClassroomServer`: textual-serve's `Server` with a session limit, a page for a full room, clean shutdown and
URLs that follow the address the browser used (or `--public-url`).

textual-serve starts the command once per browser connection (its `AppService`, here `SessionService`), so every visitor gets their own
cnn-tui process: their own image, their own training, their own torch import.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
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
import jinja2
from aiohttp import WSMsgType, web
from textual_serve.server import Server, to_int

from cnn_tui.config import SERVE_DEFAULTS, TRAINING_TAB_DEFAULTS
from cnn_tui.i18n import tr
from cnn_tui.web.access import TokenGate, loopback_host, same_origin
from cnn_tui.web.session import MessageBudget, SessionService, clamp_size, parse_envelope

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
    # The class's token (None: `--no-token`, this machine only); what a browser may ask of a session.
    token: str | None = None
    allow_files: bool = False  # True: sessions reach every file the server's user can (a teacher alone)
    idle_s: float = SERVE_DEFAULTS.idle_minutes * 60
    memory_mb: int | None = SERVE_DEFAULTS.session_memory_mb
    threads: int = 1
    max_size: tuple[int, int] = (SERVE_DEFAULTS.max_width, SERVE_DEFAULTS.max_height)
    max_message_bytes: int = SERVE_DEFAULTS.max_message_bytes
    messages_per_s: float = SERVE_DEFAULTS.messages_per_s
    message_burst: int = SERVE_DEFAULTS.message_burst


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
        self.sessions: dict[SessionService, web.WebSocketResponse] = {}
        self._announce = announce
        self.gate = TokenGate(settings.token, settings.port)
        self._reaper: asyncio.Task[None] | None = None

    # -- pages ----------------------------------------------------------------------

    def message_page(
        self, request: web.Request, page_id: str, title: str, body: str, retry: str | None, status: int
    ) -> web.Response:
        """A page in place of the app (message.html), its texts from `page_text`."""
        texts = self.page_text()
        context = {"page_id": page_id, "title": texts[title], "body": texts[body], "lang": self.settings.lang,
                   "retry": texts[retry] if retry else None}
        return aiohttp_jinja2.render_template("message.html", request, context, status=status)

    def base_url(self, request: web.Request) -> str:
        """`--public-url` if given, else the address the browser asked for (so SSH tunnels and proxies that keep the
        Host header work: textual-serve would embed its own bind address, Textualize/textual-serve#42)."""
        fixed = self.fixed_public_url
        if fixed and not fixed.startswith("/"):
            return fixed.rstrip("/")
        scheme = request.headers.get("X-Forwarded-Proto", request.scheme).split(",")[0].strip()
        host = request.headers.get("X-Forwarded-Host", request.host).split(",")[0].strip()
        return f"{scheme}://{host}{(fixed or '').rstrip('/')}"  # a path alone: under a proxy's prefix

    def is_full(self) -> bool:
        return len(self.sessions) >= self.settings.max_sessions

    def page_text(self) -> dict[str, str]:
        lang = self.settings.lang
        keys = ("title", "loading", "ended", "restart", "start", "full_title", "full_body", "retry", "token_title",
                "token_body")
        texts = {key: tr(f"serve.page.{key}", lang=lang) for key in keys}
        texts["full_body"] = tr("serve.page.full_body", lang=lang, limit=self.settings.max_sessions)
        return texts

    # -- who may come in -------------------------------------------------------------

    def page_urls(self, request: web.Request) -> list[str]:
        """The page's own addresses: the one the browser asked for (either scheme) and `--public-url`."""
        urls = [self.base_url(request), f"http://{request.host}", f"https://{request.host}"]
        fixed = self.fixed_public_url
        return urls + ([fixed] if fixed and not fixed.startswith("/") else [])

    def refusal(self, request: web.Request, websocket: bool = False) -> web.StreamResponse | None:
        """The answer to a request that may not come in (None: it may): 401 without the token, 403 from another
        origin (a websocket) or, without a token, by another name than this machine's."""
        if self.gate.open and not loopback_host(request.host):
            return web.Response(status=403, text=tr("serve.access.not_local", lang=self.settings.lang))
        if not self.gate.allows(request):
            return self.message_page(request, "token-needed", "token_title", "token_body", None, status=401)
        if websocket and not same_origin(request.headers.get("Origin"), self.page_urls(request)):
            log.warning("refused a websocket from %s", request.headers.get("Origin"))
            return web.Response(status=403, text=tr("serve.access.origin", lang=self.settings.lang))
        return None

    # -- pages ----------------------------------------------------------------------

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The app page, or (status 503) a page saying the room is full."""
        refused = self.refusal(request)
        if refused is not None:
            return refused
        base = self.base_url(request)
        texts = self.page_text()
        if self.is_full():
            response = self.message_page(request, "room-full", "full_title", "full_body", "retry", status=503)
        else:
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
            response = aiohttp_jinja2.render_template("index.html", request, context)
        self.gate.remember(request, response, secure=base.startswith("https:"))
        return response

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        """A file a session delivers (`w` in the Training tab), only to that session's page."""
        refused = self.refusal(request)
        if refused is not None:
            return refused
        key = request.match_info["key"]
        try:
            download = await self.download_manager.get_download_metadata(key)
        except KeyError:
            raise web.HTTPNotFound(text="no such download") from None
        owner = download.app_service
        instance = request.query.get("instance", "")
        if not isinstance(owner, SessionService) or not hmac.compare_digest(
            instance.encode("utf-8", "replace"), owner.instance_key.encode()
        ):
            raise web.HTTPNotFound(text="no such download")
        return await super().handle_download(request)

    async def web_app(self) -> web.Application:
        """The web application: textual-serve's routes, with /static/ serving files only (no folder listing)."""
        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader([self.templates_path, TEMPLATES]))
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws", self.handle_websocket, name="websocket"),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.static("/static", self.statics_path, show_index=False, follow_symlinks=False, name="static"),
        ])
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    # -- sessions -------------------------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        """One browser connection: start its own cnn-tui process, relay until either side closes."""
        refused = self.refusal(request, websocket=True)
        if refused is not None:
            return refused  # before any session starts
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=self.settings.max_message_bytes)
        await websocket.prepare(request)
        if self.is_full():
            # Someone took the last place between this visitor's page load and their connection.
            notice = tr("serve.page.full_body", lang=self.settings.lang, limit=self.settings.max_sessions)
            await websocket.send_bytes(f"\x1b[2J\x1b[H{notice}\r\n".encode())
            await websocket.close()
            return websocket
        width, height = clamp_size(
            request.query.get("width"), request.query.get("height"), self.settings.max_size, DEFAULT_SIZE
        )
        service = SessionService(
            self.session_command(),
            threads=self.settings.threads,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        self.sessions[service] = websocket
        log.info("session started (%d of %d)", len(self.sessions), self.settings.max_sessions)
        try:
            await websocket.send_json(["instance_id", service.instance_key])  # textual.js adds it to downloads
            await service.start(width, height)
            relay = asyncio.create_task(self._process_messages(websocket, service))
            ended = asyncio.create_task(service.finished())
            await asyncio.wait({relay, ended}, return_when=asyncio.FIRST_COMPLETED)
            if ended.done() and ended.result() != 0 and not websocket.closed:
                # The app's process ended without closing its page: past its memory, or a crash.
                await self.tell(websocket, "serve.session.crashed", mb=self.settings.memory_mb or "-")
            relay.cancel()
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

    async def tell(self, websocket: web.WebSocketResponse, key: str, **fields: object) -> None:
        """Put a sentence in the page's 'session ended' box (index.html), shown once the connection closes."""
        try:
            await websocket.send_json(["notice", tr(key, lang=self.settings.lang, **fields)])
        except (ConnectionError, RuntimeError):
            pass

    async def _process_messages(self, websocket: web.WebSocketResponse, service: SessionService) -> None:
        """Relay what the browser sends: only the messages textual.js sends, sizes clamped, at most
        `messages_per_s` a second (a faster client is held back, not served faster)."""
        budget = MessageBudget(self.settings.messages_per_s, self.settings.message_burst)
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            pause = budget.wait()
            if pause:
                await asyncio.sleep(pause)
            try:
                parsed = parse_envelope(message.json())
            except ValueError:
                parsed = None
            if parsed is None:
                continue
            kind, data = parsed
            if kind == "stdin":  # a key or the mouse: what keeps a session from being idle
                service.last_message = time.monotonic()
                await service.send_bytes(data.encode("utf-8"))
            elif kind == "resize":
                width, height = clamp_size(data.get("width"), data.get("height"), self.settings.max_size, DEFAULT_SIZE)
                await service.set_terminal_size(width, height)
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    async def reap_idle(self) -> None:
        """End every session whose browser has sent no key for `idle_s` and that is not working meanwhile (a
        training uses its process's CPU); its checkpoints stay in its folder."""
        tick = min(self.settings.idle_s / 4, 30.0)
        while True:
            await asyncio.sleep(tick)
            now = time.monotonic()
            for service, websocket in list(self.sessions.items()):
                if not isinstance(service, SessionService):
                    continue
                if service.working(tick):
                    service.last_message = now
                if now - service.last_message > self.settings.idle_s:
                    log.info("ending a session idle for %.0f s", now - service.last_message)
                    await self.tell(websocket, "serve.session.idle", minutes=f"{self.settings.idle_s / 60:g}")
                    await websocket.close()  # as if its browser had left: handle_websocket ends the session

    def session_command(self) -> str:
        """The command for a new session: with its own checkpoint in a new folder under `sessions_dir`, so that
        students who train at once do not overwrite each other's checkpoint or runs (the data folder is shared),
        and its memory capped (`ulimit -d`: the data it allocates; RLIMIT_AS would count torch's 1.7 GB of mapped
        libraries too)."""
        command = self.command
        if self.settings.memory_mb and os.name == "posix":
            command = f"ulimit -d {self.settings.memory_mb * 1024}; {command}"
        folder_root = self.settings.sessions_dir
        if folder_root is None:
            return command
        folder = folder_root / f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
        folder.mkdir(parents=True)
        start = self.settings.start_checkpoint
        checkpoint = folder / (start.name if start else "image_classification.pth")
        if start is not None and start.is_file():
            shutil.copy2(start, checkpoint)  # everyone starts from the teacher's network
        record = shlex.quote(str(folder / "practice.json"))  # each student's own streak and progress
        confine = "" if self.settings.allow_files else f" --confine {shlex.quote(str(folder))}"
        return f"{command} --practice-record {record} --checkpoint {shlex.quote(str(checkpoint))}{confine}"

    async def stop_session(self, service: SessionService) -> None:
        """Ask the session's app to quit; kill its process if it has not exited within `stop_wait_s`."""
        process = service.process
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
        if self._reaper is not None:
            self._reaper.cancel()
        sessions = list(self.sessions.items())
        await asyncio.gather(*(self.stop_session(service) for service, _ in sessions))
        await asyncio.gather(*(websocket.close() for _, websocket in sessions), return_exceptions=True)

    async def on_startup(self, app: web.Application) -> None:
        """Start reaping idle sessions (textual-serve prints its logo here; `serve` says where to go once the port
        is open)."""
        self._reaper = asyncio.create_task(self.reap_idle())

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
        runner = web.AppRunner(await self.web_app(), access_log=None, shutdown_timeout=self.settings.stop_wait_s)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.settings.host, self.settings.port).start()
            self._announce()  # only once the port is open
            await stop.wait()
        finally:
            await runner.cleanup()  # on_shutdown: every session quits (or is killed)
