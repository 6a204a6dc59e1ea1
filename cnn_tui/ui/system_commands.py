"""Textual's own command-palette commands (Theme, Quit, Keys, Screenshot …) in the app's language.

`CnnTuiApp.get_system_commands` passes Textual's commands through `localized`: each one Textual
names (by its English title and help) gets the catalogue's `palette.*` text; any other is left as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from textual.app import SystemCommand

from cnn_tui.i18n import tr

# (Textual's title, Textual's help) → catalogue key of the pair (`<key>.title`, `<key>.help`)
KEYS: dict[tuple[str, str], str] = {
    ("Theme", "Change the current theme"): "palette.theme",
    ("Quit", "Quit the application as soon as possible"): "palette.quit",
    ("Keys", "Hide the keys and widget help panel"): "palette.keys_hide",
    ("Keys", "Show help for the focused widget and a summary of available keys"): "palette.keys_show",
    ("Minimize", "Minimize the widget and restore to normal size"): "palette.minimize",
    ("Maximize", "Maximize the focused widget"): "palette.maximize",
    ("Screenshot", "Save an SVG 'screenshot' of the current screen"): "palette.screenshot",
    ("Bell", "Ring the bell"): "palette.bell",
}


def localized(commands: Iterable[SystemCommand]) -> Iterator[SystemCommand]:
    """`commands` with the titles and help Textual wrote in English translated."""
    for command in commands:
        key = KEYS.get((command.title, command.help))
        yield command._replace(title=tr(f"{key}.title"), help=tr(f"{key}.help")) if key else command
