"""Subcommands of `cnn-tui`, each a module with `add_arguments(parser)` and `run(args) -> int`.

Only commands that exist are registered here; modules are imported lazily so
`cnn-tui --help` and the app never pay for torch.
"""

from __future__ import annotations

import importlib
from types import ModuleType

# name -> module; each one-line help is the catalogue's cli.command.<name> (locales/cli_main.toml, cli_new_commands.toml)
COMMANDS: dict[str, str] = {
    "explain": "cnn_tui.commands.explain",
    "train": "cnn_tui.commands.train",
    "eval": "cnn_tui.commands.eval",
    "predict": "cnn_tui.commands.predict",
    "summary": "cnn_tui.commands.summary",
    "runs": "cnn_tui.commands.runs",
    "homework": "cnn_tui.commands.homework",
    "serve": "cnn_tui.commands.serve",
    "data": "cnn_tui.commands.data",
    "receptive-field": "cnn_tui.commands.receptive_field",
    "top-patches": "cnn_tui.commands.top_patches",
    "practice": "cnn_tui.commands.practice",
}


def load(name: str) -> ModuleType:
    """Import the module that implements command `name`."""
    return importlib.import_module(COMMANDS[name])
