"""`cnn-tui serve`: put the app in every student's browser (textual-serve), one cnn-tui process per browser tab.

Each visitor gets their own session with the same keys as in a terminal: their own image, their own
training into their own folder under --sessions-dir (the data folder is shared). A session costs memory:
about IDLE_MB MB while idle, about TORCH_MB MB once it has imported torch (the Feature maps, Model or Training
tab), plus what its training needs; torch's libraries are shared, so each further session adds about 45 MB
idle and 310 MB with torch (benchmarks/serve.py). The page, its websocket and its downloads need the class's
token: serve prints the address with it (http://HOST:PORT/?token=…); the token travels in plain http, so on a
network you do not trust put a reverse proxy with https in front. A session is ended after --idle-minutes
without a key and is capped at --session-memory MB.

Examples:
  cnn-tui serve                                   # http://127.0.0.1:8000/?token=…, this machine only
  cnn-tui serve --host 0.0.0.0 --token chosen-for-the-class     # a room: students type the address on the board
  cnn-tui serve --max-sessions 30 --lang zh
  ssh -L 8000:127.0.0.1:8000 you@server           # on a laptop: tunnel in, then open http://127.0.0.1:8000
  cnn-tui serve --host 0.0.0.0 --public-url https://lab.example.org/   # behind a reverse proxy
"""

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
from cnn_tui.i18n import LANGUAGES, detect_language

PROG = "cnn-tui serve"
# Measured with benchmarks/serve.py (resident memory of one session's process, shared pages counted once).
IDLE_MB = 65
TORCH_MB = 550
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
MIN_TOKEN = 8
INSTALL = f"{PROG} needs textual-serve, which is not installed: run pip install 'textual-serve>=1.1' (in a checkout: pip install -e '.[serve]')."


def port_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1 to 65535)")
    return value


def public_url(text: str) -> str:
    parts = urlsplit(text)
    if text.startswith("/") and not parts.netloc:
        return text.rstrip("/")  # a path under the address the browser used (jupyter-server-proxy's prefix)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(f"{text!r} is not an http:// or https:// address, nor a path")
    return text.rstrip("/")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    doc = (__doc__ or "").split("\n", 2)[2].replace("IDLE_MB", str(IDLE_MB)).replace("TORCH_MB", str(TORCH_MB))
    parser.description = (parser.description or "") + "\n\n" + doc
    parser.add_argument(
        "--host", default=SERVE_DEFAULTS.host,
        help="the address to listen on; anything but 127.0.0.1 lets every machine that can reach this one in (default: %(default)s)",
    )
    parser.add_argument("--port", type=port_number, default=SERVE_DEFAULTS.port, help="the port to listen on (default: %(default)s)")
    parser.add_argument(
        "--public-url", type=public_url, metavar="URL",
        help="the address students open, when it differs from the one they reach the server by (a reverse proxy "
        "under a path, for instance; a path alone, such as /cnn, keeps the host the browser asked for); by "
        "default the page uses the address the browser asked for",
    )
    parser.add_argument(
        "--max-sessions", type=positive_int, default=SERVE_DEFAULTS.max_sessions, metavar="N",
        help=f"browser sessions at once; later visitors get a page saying the room is full "
        f"(about {IDLE_MB} MB each idle, {TORCH_MB} MB once torch is loaded; default: %(default)s)",
    )
    parser.add_argument(
        "--sessions-dir", type=Path, default=SERVE_DEFAULTS.sessions_dir, metavar="DIR",
        help=f"each session's checkpoints and runs go to a new folder here, so students do not overwrite each "
        f"other's; each starts from a copy of {TRAIN_DEFAULTS.checkpoint} when there is one (default: %(default)s)",
    )
    access = parser.add_mutually_exclusive_group()
    access.add_argument(
        "--token", type=class_token, metavar="TEXT",
        help=f"the token students need (at least {MIN_TOKEN} characters), fixed for a class; by default "
        "$CNN_TUI_SERVE_TOKEN (set by the Jupyter launcher), else a new random one (128 bits) each time serve "
        "starts, printed in the address to open",
    )
    access.add_argument(
        "--no-token", action="store_true",
        help="no token: allowed only with --host 127.0.0.1 (or localhost, ::1), for a teacher alone on their machine",
    )
    parser.add_argument(
        "--idle-minutes", type=number_in(0, above=True), default=SERVE_DEFAULTS.idle_minutes, metavar="MIN",
        help="end a session whose browser has sent no key for this long and that is not training; its checkpoints "
        "stay (default: %(default)g)",
    )
    parser.add_argument(
        "--session-memory", type=positive_int, default=SERVE_DEFAULTS.session_memory_mb, metavar="MB",
        help="the memory each session may allocate (ulimit -d); past it the session ends with a sentence in the "
        "page (default: %(default)s)",
    )
    parser.add_argument(
        "--allow-files", action="store_true",
        help="let sessions open, save and import files anywhere the server's user can, not only in their own "
        "folder: for a teacher alone on their own machine",
    )
    parser.add_argument(
        "--lang", choices=LANGUAGES, default=None,
        help=f"the sessions' language (default: from LANG, here {detect_language()}); L switches it in each session",
    )


def class_token(text: str) -> str:
    if len(text) < MIN_TOKEN or not text.isprintable() or text != text.strip():
        raise argparse.ArgumentTypeError(f"the token must be at least {MIN_TOKEN} printable characters, no spaces around them")
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
    return (
        f"warning: listening on {host}: anyone who can reach this machine on port {port} and has the address with its "
        "token gets a cnn-tui session, and the token travels in plain http. Give it only to the class; on a network "
        f"you do not trust, keep --host 127.0.0.1 and let students in through an SSH tunnel "
        f"(ssh -L {port}:127.0.0.1:{port} USER@THIS-MACHINE) or a reverse proxy with https."
    )


def run(args: argparse.Namespace) -> int:
    if importlib.util.find_spec("textual_serve") is None:
        print(INSTALL, file=sys.stderr)
        return 2
    from cnn_tui.web.server import ClassroomServer, ServeSettings

    if args.no_token and args.host not in LOCAL_HOSTS:
        print(f"{PROG}: --no-token is allowed only on this machine's own address (--host 127.0.0.1); "
              f"on {args.host} everyone who can reach the port would get a session.", file=sys.stderr)
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
        print(f"{PROG}: cannot create the sessions folder {str(args.sessions_dir)!r}: {error.strerror or error}; choose another --sessions-dir.", file=sys.stderr)
        return 2

    def announce() -> None:
        if warning:
            print(warning, flush=True)
        print(f"cnn-tui serve: open {url_to_open(args.host, args.port, args.public_url, token)} in a browser", flush=True)
        print(f"  each browser tab gets its own cnn-tui; {args.max_sessions} at once, later visitors see a 'room is full' page", flush=True)
        print(f"  each session trains into its own folder in {args.sessions_dir}/, starting from {TRAIN_DEFAULTS.checkpoint} if it exists", flush=True)
        print(f"  each session: at most {args.session_memory} MB, {threads} torch thread(s), ended after {args.idle_minutes:g} idle minutes", flush=True)
        print("  stop with Ctrl+C (it ends every session)", flush=True)

    try:
        ClassroomServer(settings, announce).serve()
    except OSError as error:
        print(f"{PROG}: cannot listen on {args.host} port {args.port}: {error.strerror or error}; choose another --port or --host.", file=sys.stderr)
        return 2
    print(f"{PROG}: stopped", flush=True)
    return 0
