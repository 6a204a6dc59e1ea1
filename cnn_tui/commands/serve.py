"""`cnn-tui serve`: put the app in every student's browser (textual-serve), one cnn-tui process per browser tab (help in locales/cli_serve_explain.toml)."""

from __future__ import annotations

import argparse
import importlib.util
import os
import shlex
import socket
import sys
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from cnn_tui.commands.options import number_in, positive_int
from cnn_tui.config import SERVE_DEFAULTS, TRAIN_DEFAULTS
from cnn_tui.i18n import LANGUAGES, detect_language, tr

PROG = "cnn-tui serve"
# Measured with benchmarks/serve.py (resident memory of one session's process, shared pages counted once).
IDLE_MB = 65
TORCH_MB = 550
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
MIN_TOKEN = 8


def port_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(tr("cli.serve.not_port", text=text)) from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(tr("cli.serve.port_range", text=text))
    return value


def public_url(text: str) -> str:
    parts = urlsplit(text)
    if text.startswith("/") and not parts.netloc:
        return text.rstrip("/")  # a path under the address the browser used (jupyter-server-proxy's prefix)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(tr("cli.serve.not_url", text=text))
    return text.rstrip("/")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (parser.description or "") + "\n\n" + tr("cli.serve.about", idle_mb=IDLE_MB, torch_mb=TORCH_MB)
    parser.add_argument(
        "--host", default=SERVE_DEFAULTS.host,
        help=tr("cli.serve.host"),
    )
    parser.add_argument("--port", type=port_number, default=SERVE_DEFAULTS.port, help=tr("cli.serve.port"))
    parser.add_argument(
        "--public-url", type=public_url, metavar="URL",
        help=tr("cli.serve.public_url"),
    )
    parser.add_argument(
        "--max-sessions", type=positive_int, default=SERVE_DEFAULTS.max_sessions, metavar="N",
        help=tr("cli.serve.max_sessions", idle_mb=IDLE_MB, torch_mb=TORCH_MB),
    )
    parser.add_argument(
        "--sessions-dir", type=Path, default=SERVE_DEFAULTS.sessions_dir, metavar="DIR",
        help=tr("cli.serve.sessions_dir", checkpoint=TRAIN_DEFAULTS.checkpoint),
    )
    access = parser.add_mutually_exclusive_group()
    access.add_argument(
        "--token", type=class_token, metavar="TEXT",
        help=tr("cli.serve.token", min=MIN_TOKEN),
    )
    access.add_argument(
        "--no-token", action="store_true",
        help=tr("cli.serve.no_token"),
    )
    parser.add_argument(
        "--idle-minutes", type=number_in(0, above=True), default=SERVE_DEFAULTS.idle_minutes, metavar="MIN",
        help=tr("cli.serve.idle_minutes"),
    )
    parser.add_argument(
        "--session-memory", type=positive_int, default=SERVE_DEFAULTS.session_memory_mb, metavar="MB",
        help=tr("cli.serve.session_memory"),
    )
    parser.add_argument(
        "--allow-files", action="store_true",
        help=tr("cli.serve.allow_files"),
    )
    parser.add_argument(
        "--lang", choices=LANGUAGES, default=None,
        help=tr("cli.serve.lang", detected=detect_language()),
    )


def class_token(text: str) -> str:
    if len(text) < MIN_TOKEN or not text.isprintable() or text != text.strip():
        raise argparse.ArgumentTypeError(tr("cli.serve.bad_token", min=MIN_TOKEN))
    return text


def session_threads(max_sessions: int) -> int:
    """torch threads per session: the cores shared out between the sessions allowed (at least 1)."""
    return max(1, (os.cpu_count() or 1) // max_sessions)


def session_command(lang: str) -> str:
    """The shell command textual-serve runs for each browser: this Python's cnn-tui.

    `exec` makes the shell become cnn-tui, so the process textual-serve holds (and kills, if it will not quit)
    is the app itself, not a shell that would leave the app running behind it."""
    command = shlex.join([sys.executable, "-m", "cnn_tui", "--lang", lang])
    return f"exec {command}" if os.name == "posix" else command


def url_to_open(host: str, port: int, fixed: str | None, token: str | None = None) -> str:
    """The address to give students (with `?token=` when there is one)."""
    if fixed:
        url = fixed
    else:
        if host in ("0.0.0.0", "::", ""):
            host = socket.gethostname()
        if ":" in host:
            host = f"[{host}]"
        url = f"http://{host}:{port}"
    return f"{url}/?{urlencode({'token': token})}" if token else url


def exposure_warning(host: str, port: int) -> str | None:
    """The warning printed when the server listens beyond this machine."""
    if host in LOCAL_HOSTS:
        return None
    return tr("cli.serve.exposed", host=host, port=port)


def run(args: argparse.Namespace) -> int:
    if importlib.util.find_spec("textual_serve") is None:
        print(tr("cli.serve.install", prog=PROG), file=sys.stderr)
        return 2
    from cnn_tui.web.server import ClassroomServer, ServeSettings

    if args.no_token and args.host not in LOCAL_HOSTS:
        print(f"{PROG}: {tr('cli.serve.no_token_here', host=args.host)}", file=sys.stderr)
        return 2
    from cnn_tui.web.access import TOKEN_ENV, new_token

    lang = args.lang or detect_language()
    token = None if args.no_token else args.token or os.environ.get(TOKEN_ENV) or new_token()
    threads = session_threads(args.max_sessions)
    settings = ServeSettings(
        command=session_command(lang), host=args.host, port=args.port,
        public_url=args.public_url, max_sessions=args.max_sessions, lang=lang,
        sessions_dir=args.sessions_dir, start_checkpoint=TRAIN_DEFAULTS.checkpoint,
        token=token, allow_files=args.allow_files, idle_s=args.idle_minutes * 60, memory_mb=args.session_memory, threads=threads,
    )
    warning = exposure_warning(args.host, args.port)
    try:
        args.sessions_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        reason = error.strerror or str(error)
        print(f"{PROG}: {tr('cli.serve.no_sessions_dir', path=str(args.sessions_dir), reason=reason)}", file=sys.stderr)
        return 2

    def announce() -> None:
        if warning:
            print(warning, flush=True)
        print(tr("cli.serve.open", url=url_to_open(args.host, args.port, args.public_url, token)), flush=True)
        print(tr("cli.serve.each_tab", count=args.max_sessions), flush=True)
        print(tr("cli.serve.each_folder", folder=args.sessions_dir, checkpoint=TRAIN_DEFAULTS.checkpoint), flush=True)
        print(tr("cli.serve.limits", memory=args.session_memory, threads=threads, idle=args.idle_minutes), flush=True)
        print(tr("cli.serve.stop"), flush=True)

    try:
        ClassroomServer(settings, announce).serve()
    except OSError as error:
        reason = error.strerror or str(error)
        print(f"{PROG}: {tr('cli.serve.cannot_listen', host=args.host, port=args.port, reason=reason)}", file=sys.stderr)
        return 2
    print(f"{PROG}: {tr('cli.serve.stopped')}", flush=True)
    return 0
