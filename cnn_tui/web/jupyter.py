"""cnn-tui in a Jupyter launcher (jupyter-server-proxy): each Jupyter user opens their own `cnn-tui serve`, behind
Jupyter's (or JupyterHub's) login, at JUPYTER_BASE_URL/cnn-tui/.

Registered as the `jupyter_serverproxy_servers` entry point `cnn-tui` (pyproject.toml). The proxy starts serve on
a free local port and sends it a token of its own in a header, so another user of the same machine who finds the
port gets the 401 page; the token goes through the environment, not the command line other users can read.
"""

from __future__ import annotations

import secrets
import sys
from typing import Any

from cnn_tui.web.access import TOKEN_ENV, TOKEN_HEADER

NAME = "cnn-tui"  # the entry point's name: the address under Jupyter's base URL


def setup_cnn_tui() -> dict[str, Any]:
    """jupyter-server-proxy's settings for cnn-tui ({port} and {base_url} are filled in by the proxy)."""
    token = secrets.token_urlsafe(16)
    return {
        "command": [sys.executable, "-m", "cnn_tui", "serve", "--port", "{port}", "--public-url", "{base_url}" + NAME,
                    "--max-sessions", "2"],
        "environment": {TOKEN_ENV: token},
        "request_headers_override": {TOKEN_HEADER: token},
        "timeout": 60,
        "absolute_url": False,
        "new_browser_tab": True,
        "launcher_entry": {"title": "cnn-tui", "enabled": True},
    }
