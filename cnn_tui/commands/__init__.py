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
    "train": ("cnn_tui.commands.train", "train the lecture's network on CIFAR-10 (or --data synthetic), saving a checkpoint each epoch"),
    "eval": ("cnn_tui.commands.eval", "test a checkpoint: accuracy, accuracy per class and the confusion matrix"),
    "predict": ("cnn_tui.commands.predict", "the top classes a checkpoint sees in images of any size"),
    "summary": ("cnn_tui.commands.summary", "a model's torchsummary table: output shapes, parameters, sizes, multiply-adds"),
    "runs": ("cnn_tui.commands.runs", "the recorded training runs sorted by test accuracy, or several side by side (--compare)"),
    "homework": ("cnn_tui.commands.homework", "the lecture's homework: each suggested change against the lecture's network, as a table"),
    "serve": ("cnn_tui.commands.serve", "classroom mode: the app in every student's browser, one session each (needs textual-serve)"),
    "data": ("cnn_tui.commands.data", "where the data set is found (status, path), and getting one there (download, import PATH)"),
    "receptive-field": ("cnn_tui.commands.receptive_field", "the box of input pixels one unit of a conv or pooling layer sees, with each layer's field size and jump"),
    "top-patches": ("cnn_tui.commands.top_patches", "the test images that excite one channel of a layer most, with the unit and the patch of pixels it sees"),
    "practice": ("cnn_tui.commands.practice", "exercises the engine checks: answer in the terminal, or print a worksheet as JSON lines"),
}


def load(name: str) -> ModuleType:
    """Import the module that implements command `name`."""
    return importlib.import_module(COMMANDS[name][0])
