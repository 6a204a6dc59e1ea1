"""Who may use `cnn-tui serve`: the class's token (query or cookie, compared in constant time) and the page's own origin."""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from aiohttp import web

TOKEN_BYTES = 16  # 128 bits, as Jupyter's token
# Where jupyter-server-proxy puts the token (cnn_tui.web.jupyter): serve reads it from the environment, the proxy
# sends it in a header with every request it passes on. A page cannot set this header on a navigation or websocket.
TOKEN_ENV = "CNN_TUI_SERVE_TOKEN"
TOKEN_HEADER = "X-Cnn-Tui-Token"
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def new_token() -> str:
    """A fresh random token for one run of the server (128 bits, URL-safe)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def cookie_name(port: int) -> str:
    """The cookie that carries the token; one per port, since browsers share cookies between a host's ports."""
    return f"cnn-tui-token-{port}"


class TokenGate:
    """Lets in a request that carries the token, in its `?token=` query or in the cookie set on the first visit."""

    def __init__(self, token: str | None, port: int) -> None:
        self.token = token
        self.cookie = cookie_name(port)

    @property
    def open(self) -> bool:
        """True when there is no token to check (`--no-token`, this machine only)."""
        return self.token is None

    def matches(self, candidate: str | None) -> bool:
        if self.token is None:
            return True
        if not candidate:
            return False
        return hmac.compare_digest(candidate.encode("utf-8", "replace"), self.token.encode("utf-8"))

    def allows(self, request: web.Request) -> bool:
        return any(self.matches(value) for value in (
            request.query.get("token"), request.cookies.get(self.cookie), request.headers.get(TOKEN_HEADER)
        ))

    def remember(self, request: web.Request, response: web.StreamResponse, secure: bool) -> None:
        """Set the cookie when the token came in the address, so reloads, /ws and /download need no query."""
        if self.token is not None and self.matches(request.query.get("token")):
            response.set_cookie(self.cookie, self.token, httponly=True, samesite="Strict", secure=secure, path="/")


def netloc(url: str) -> tuple[str, int] | None:
    """(host, port) of an address, the port filled in from its scheme; None when it has no host."""
    try:
        parts = urlsplit(url)
        port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:
        return None
    if not parts.hostname or port is None:
        return None
    return parts.hostname.lower(), port


def same_origin(origin: str | None, page_urls: list[str]) -> bool:
    """True when a websocket's `Origin` is one of the page's own addresses (its Host, or `--public-url`).

    A browser always sends `Origin` with a websocket; a client that is no browser (a script with the token) may
    leave it out, as Jupyter allows. Host and port are compared, as Jupyter does: a TLS proxy may hide the scheme."""
    if origin is None:
        return True
    seen = netloc(origin)
    return seen is not None and any(seen == netloc(url) for url in page_urls)


def loopback_host(host_header: str) -> bool:
    """True when a request's Host names this machine: without a token, a page reached by another name (DNS
    rebinding: evil.example resolving to 127.0.0.1) is refused."""
    name = netloc(f"http://{host_header}")
    return name is not None and name[0] in ("127.0.0.1", "localhost", "::1")
