"""`cnn-tui summary`: the torchsummary table of a model (output shape and parameters per layer, sizes in MB), plus multiply-adds (help in locales/cli_results.toml)."""

from __future__ import annotations

import argparse

from cnn_tui.commands.lab_options import add_model_arguments, model_from_args
from cnn_tui.commands.options import UserError, batch_size, user_errors
from cnn_tui.config import LIMITS
from cnn_tui.i18n import Phrase, tr

PROG = "cnn-tui summary"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (parser.description or "") + "\n\n" + tr("cli.summary.about")
    add_model_arguments(parser)
    parser.add_argument("--batch-size", type=batch_size, default=1, help=tr("cli.summary.batch_size"))


@user_errors(PROG)
def run(args: argparse.Namespace) -> int:
    from cnn_tui.ml.models import build_model
    from cnn_tui.ml.summary import summarize
    from cnn_tui.render.model_summary import format_summary

    config = model_from_args(args)
    if config.arch != "file":
        numbers = args.batch_size * (config.activation_count() + config.in_channels * config.image_size**2)
        if numbers > LIMITS.model_activations:
            raise UserError(Phrase("cli.summary.too_big", batch=args.batch_size, numbers=numbers, limit=LIMITS.model_activations))
    from cnn_tui.ml.batch_memory import batch_memory, check_batch_memory

    model = build_model(config)
    size = (config.in_channels, config.image_size, config.image_size)
    check_batch_memory(batch_memory(model, size, training=False), args.batch_size, config.name, training=False)
    summary = summarize(model, size, args.batch_size, config.name)
    print(tr("cli.summary.header", name=config.name, batch=args.batch_size, channels=config.in_channels, side=config.image_size))
    print(format_summary(summary))
    return 0
