"""The core layer's errors in the command line's language, through the catalogue words the app shows for them."""

from __future__ import annotations

from cnn_tui.core.conv_geometry import SettingsError
from cnn_tui.core.images import ImageLoadError
from cnn_tui.core.matrix_parse import MatrixParseError
from cnn_tui.i18n import describe, tr


def in_language(error: object) -> str:
    """An ImageLoadError by its code (`pixels.error.*`), a SettingsError by its rule (`engine.rule.*`), a
    MatrixParseError by its code (`matrix.error.*`), anything
    else as i18n.describe gives it; in the current language (the English is the error's own str())."""
    if isinstance(error, ImageLoadError):
        return tr(f"pixels.error.{error.code}", **error.fields)
    if isinstance(error, SettingsError):
        return tr(f"engine.rule.{error.rule}", **error.fields)
    if isinstance(error, MatrixParseError):
        return tr(f"matrix.error.{error.code}", **error.fields)
    return describe(error)
