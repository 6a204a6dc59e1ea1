"""Subcommands of `cnn-tui`, each a module with `add_arguments(parser)` and `run(args) -> int`.

Only commands that exist are registered here; modules are imported lazily so
`cnn-tui --help` and the app never pay for torch.
"""

from __future__ import annotations

import importlib
from types import ModuleType

# name -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "explain": ("cnn_tui.commands.explain", "write a convolution or pooling out step by step (or as JSON)"),
}


def load(name: str) -> ModuleType:
    """Import the module that implements command `name`."""
    return importlib.import_module(COMMANDS[name][0])
