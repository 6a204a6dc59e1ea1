"""Why a tab that needs a trained network has none, in the current language, and how to get one."""

from __future__ import annotations

from rich.text import Text

from cnn_tui.i18n import describe, tr
from cnn_tui.render.safe_text import safe_text


def missing_network_text(path: str, reason: Exception | None, how_key: str) -> Text:
    """No file at `path` (`reason` None) or the error that makes it unusable; then the tab's own advice `how_key`."""
    path = safe_text(path)  # a file name: its control characters shown escaped
    first = tr("network.none", path=path) if reason is None else tr("network.broken", path=path, reason=safe_text(describe(reason)))
    return Text.assemble((first, "bold"), "\n\n", tr(how_key))
