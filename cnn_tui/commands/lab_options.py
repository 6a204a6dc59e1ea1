"""Options shared by `train`, `summary` and `homework`: a model preset with edits, and where runs are recorded."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cnn_tui.commands.options import number_in
from cnn_tui.config import TRAIN_DEFAULTS
from cnn_tui.i18n import catalogue, tr

ACTIVATION_NAMES = ("relu", "leaky_relu", "gelu", "silu")


def add_model_arguments(parser: argparse.ArgumentParser, *, edits: bool = True) -> None:
    """`--model NAME` and, with `edits`, the settings that change the preset."""
    from cnn_tui.ml.model_help import MODEL_HELP

    parser.add_argument(
        "--model", default=None, metavar="NAME|FILE.py:CLASS",
        help=tr("cli.model_option.model", presets="; ".join(f"{k}: {_model_help(k, v)}" for k, v in MODEL_HELP.items()),
                default=TRAIN_DEFAULTS.model),
    )
    if not edits:
        return
    group = parser.add_argument_group(tr("cli.model_option.group"))
    group.add_argument("--channels", metavar="LIST", help=tr("cli.model_option.channels"))
    group.add_argument("--fc", metavar="LIST", help=tr("cli.model_option.fc"))
    group.add_argument("--activation", choices=ACTIVATION_NAMES, help=tr("cli.model_option.activation"))
    group.add_argument(
        "--batchnorm", action=argparse.BooleanOptionalAction, default=None, help=tr("cli.model_option.batchnorm")
    )
    group.add_argument("--dropout", type=float, metavar="P", help=tr("cli.model_option.dropout"))
    group.add_argument("--depth", type=int, metavar="N", help=tr("cli.model_option.depth"))
    group.add_argument(
        "--image-size", type=number_in(8, 256, whole=True), metavar="PIXELS", help=tr("cli.model_option.image_size"),
    )


def _model_help(name: str, english: str) -> str:
    """A preset's one-line help in the current language (the Model tab's words, locales/model_help.toml)."""
    key = f"model_help.{name}"
    return tr(key) if key in catalogue() else english


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
    group = parser.add_argument_group(tr("cli.model_option.record_group"))
    group.add_argument("--runs-dir", type=Path, metavar="DIR", help=tr("cli.model_option.runs_dir"))
    group.add_argument("--label", default="", metavar="TEXT", help=tr("cli.model_option.label"))
    group.add_argument("--no-record", action="store_true", help=tr("cli.model_option.no_record"))
