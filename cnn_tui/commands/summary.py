"""`cnn-tui summary`: the torchsummary table of a model (output shape and parameters per layer, sizes in MB), plus multiply-adds.

For the lecture's network it matches the lecture's printout of
`summary(model, input_size=(3, 32, 32), batch_size=1)`.

Examples:
  cnn-tui summary
  cnn-tui summary --model lecture --batch-size 8
  cnn-tui summary --model resnet
  cnn-tui summary --model lecture --channels 32,64 --fc 256,128 --activation gelu --batchnorm
"""

from __future__ import annotations

import argparse

from cnn_tui.commands.lab_options import add_model_arguments, model_from_args
from cnn_tui.commands.options import UserError, batch_size, user_errors
from cnn_tui.config import LIMITS

PROG = "cnn-tui summary"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (parser.description or "") + "\n\n" + (__doc__ or "").split("\n", 2)[2]
    add_model_arguments(parser)
    parser.add_argument("--batch-size", type=batch_size, default=1, help="batch size shown in the shapes (default: %(default)s)")


@user_errors(PROG)
def run(args: argparse.Namespace) -> int:
    from cnn_tui.ml.models import build_model
    from cnn_tui.ml.summary import summarize
    from cnn_tui.render.model_summary import format_summary

    config = model_from_args(args)
    if config.arch != "file":
        numbers = args.batch_size * (config.activation_count() + config.in_channels * config.image_size**2)
        if numbers > LIMITS.model_activations:
            raise UserError(
                f"a forward pass of {args.batch_size:,} images would hold about {numbers:,} numbers, over the limit of "
                f"{LIMITS.model_activations:,} that keeps it in memory; the shapes scale with the batch, so a "
                "smaller --batch-size shows the same table"
            )
    from cnn_tui.ml.batch_memory import batch_memory, check_batch_memory

    model = build_model(config)
    size = (config.in_channels, config.image_size, config.image_size)
    check_batch_memory(batch_memory(model, size, training=False), args.batch_size, config.name, training=False)
    summary = summarize(model, size, args.batch_size, config.name)
    print(f"model {config.name}: input [{args.batch_size}, {config.in_channels}, {config.image_size}, {config.image_size}]")
    print(format_summary(summary))
    return 0
