"""The palette's Screenshot: an SVG of the screen saved in the working folder, announced in the app's language.

Textual's own Screenshot saves into ~/Downloads, which often does not exist (then it says "Failed to save
screenshot", in English); this one saves where the learner started cnn-tui (or, served, sends it to the browser).
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from textual import events
from textual.app import App

from cnn_tui.i18n import tr
from cnn_tui.render.safe_text import safe_text

DELIVERY_NAME = "cnn-tui-screenshot"  # tells our deliveries from Textual's own ("screenshot")


def screenshot_filename(now: datetime | None = None) -> str:
    """cnn-tui_2026-12-07_15-40-00.svg: sorts by time, no characters a file system refuses."""
    return f"cnn-tui_{(now or datetime.now()):%Y-%m-%d_%H-%M-%S}.svg"


def save_screenshot(app: App, folder: Path | None = None) -> str | None:
    """Deliver an SVG of the current screen into `folder` (default: the working folder); the app is told
    the result by a DeliveryComplete or DeliveryFailed event named DELIVERY_NAME."""
    return app.deliver_text(
        io.StringIO(app.export_screenshot()),
        save_directory=folder or Path.cwd(),
        save_filename=screenshot_filename(),
        open_method="browser",
        mime_type="image/svg+xml",
        name=DELIVERY_NAME,
    )


def announce_delivery(app: App, event: events.DeliveryComplete | events.DeliveryFailed) -> None:
    """Notify the learner where the screenshot went, or why it could not be saved."""
    if event.name != DELIVERY_NAME:
        return
    title = tr("textual.screenshot.title")
    if isinstance(event, events.DeliveryFailed):
        reason = safe_text(getattr(event.exception, "strerror", None) or str(event.exception) or type(event.exception).__name__)
        app.notify(tr("textual.screenshot.failed", folder=safe_text(Path.cwd()), reason=reason), title=title, severity="error", markup=False)
    elif event.path is None:
        app.notify(tr("textual.screenshot.sent"), title=title, markup=False)
    else:
        app.notify(tr("textual.screenshot.saved", path=safe_text(event.path)), title=title, markup=False)
