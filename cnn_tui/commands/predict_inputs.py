"""The images `cnn-tui predict` reads, shared by its plain and its --explain output."""

from __future__ import annotations

import sys
from pathlib import Path

from cnn_tui.i18n import tr

PROG = "cnn-tui predict"


def open_images(paths: list[Path]) -> tuple[list[tuple[Path, object]], int]:
    """The images that open (path, LoadedImage), and how many did not (each one reported on stderr)."""
    from cnn_tui.commands.core_words import in_language
    from cnn_tui.core.images import ImageLoadError, load_image
    from cnn_tui.render.safe_text import safe_text

    loaded, failed = [], 0
    for path in paths:
        try:
            loaded.append((path, load_image(path)))
        except ImageLoadError as error:
            print(f"{PROG}: {tr('cli.predict.cannot_open', path=str(path), problem=safe_text(in_language(error)))}", file=sys.stderr)
            failed += 1
    return loaded, failed


def resize_note(size: tuple[int, int], side: int, resize: str = "") -> str:
    """` (resized from W×H to 32×32)` (` … by centre crop` for a checkpoint's policy), or nothing for an image
    already the network's size."""
    width, height = size
    if (width, height) == (side, side):
        return ""
    how = tr(f"cli.predict.resized_how.{resize}") if resize in ("crop", "squash", "pad") else ""
    return tr("cli.predict.resized", width=width, height=height, side=side, how=how)
