"""Options shared by `train`, `summary` and `homework`: a model preset with edits, and where runs are recorded."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cnn_tui.commands.options import number_in
from cnn_tui.config import TRAIN_DEFAULTS

ACTIVATION_NAMES = ("relu", "leaky_relu", "gelu", "silu")


def add_model_arguments(parser: argparse.ArgumentParser, *, edits: bool = True) -> None:
    """`--model NAME` and, with `edits`, the settings that change the preset."""
    from cnn_tui.ml.model_help import MODEL_HELP

    parser.add_argument(
        "--model", default=None, metavar="NAME|FILE.py:CLASS",
        help="; ".join(f"{k}: {v}" for k, v in MODEL_HELP.items())
        + "; or your own network as path/to/file.py:ClassName (an nn.Module built with no arguments that maps "
        f"[N, 3, 32, 32] to [N, 10]; see examples/my_network.py) (default: {TRAIN_DEFAULTS.model})",
    )
    if not edits:
        return
    group = parser.add_argument_group("model settings (change the --model preset; see cnn-tui summary)")
    group.add_argument(
        "--channels", metavar="LIST",
        help="output channels of each conv layer, e.g. 32,64 (residual nets: the stem's, then one per stage)",
    )
    group.add_argument("--fc", metavar="LIST", help="sizes of the hidden fully connected layers, e.g. 256,128 (none: no hidden layer)")
    group.add_argument("--activation", choices=ACTIVATION_NAMES, help="the activation after each conv and hidden linear")
    group.add_argument(
        "--batchnorm", action=argparse.BooleanOptionalAction, default=None, help="BatchNorm after every convolution"
    )
    group.add_argument("--dropout", type=float, metavar="P", help="dropout after each hidden linear layer (0 ≤ P < 1)")
    group.add_argument("--depth", type=int, metavar="N", help="residual blocks per stage (residual networks only)")
    group.add_argument(
        "--image-size", type=number_in(8, 256, whole=True), metavar="PIXELS",
        help="the network's input side, 8 to 256 (default: the preset's, 32): photos are prepared at this size "
        "(--resize) and the linear layers follow; CIFAR-10's own images stay 32×32",
    )


def model_edits(args: argparse.Namespace) -> dict[str, Any]:
    """The model settings given on the command line, parsed (ModelConfigError for a bad list)."""
    from cnn_tui.ml.variants import parse_sizes

    edits: dict[str, Any] = {}
    if getattr(args, "channels", None) is not None:
        edits["channels"] = parse_sizes(args.channels, "--channels")
    if getattr(args, "fc", None) is not None:
        edits["fc"] = parse_sizes(args.fc, "--fc", allow_empty=True)
    for name, key in (
        ("activation", "activation"), ("batchnorm", "batch_norm"), ("dropout", "dropout"), ("depth", "depth"),
        ("image_size", "image_size"),
    ):
        if getattr(args, name, None) is not None:
            edits[key] = getattr(args, name)
    return edits


def model_from_args(args: argparse.Namespace) -> Any:
    """The ModelConfig that `--model` and the model settings describe."""
    from cnn_tui.ml.models import model_config
    from cnn_tui.ml.variants import edit_config

    return edit_config(model_config(args.model or TRAIN_DEFAULTS.model), **model_edits(args))


def add_record_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("run records (cnn-tui runs lists them)")
    group.add_argument(
        "--runs-dir", type=Path, metavar="DIR",
        help="where each run is recorded (default: runs/ beside the checkpoint, i.e. models/runs)",
    )
    group.add_argument("--label", default="", metavar="TEXT", help="a name for this run in cnn-tui runs")
    group.add_argument("--no-record", action="store_true", help="do not record this run")
