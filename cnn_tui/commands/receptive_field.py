"""`cnn-tui receptive-field`: the box of input pixels one unit of a conv or pooling layer sees, from the layers' geometry (help in locales/cli_new_commands.toml)."""

from __future__ import annotations

import argparse
import json
import sys

from cnn_tui.commands.lab_options import add_model_arguments
from cnn_tui.commands.options import number_in
from cnn_tui.config import TRAIN_DEFAULTS
from cnn_tui.i18n import LocalizedError, language, tr

PROG = "cnn-tui receptive-field"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (parser.description or "") + "\n\n" + tr("cli.receptive_field.about")
    add_model_arguments(parser, edits=False)
    parser.add_argument("--layer", required=True, metavar="NAME", help=tr("cli.receptive_field.layer"))
    parser.add_argument(
        "--unit", required=True, nargs=2, type=number_in(0, whole=True), metavar=("ROW", "COL"), help=tr("cli.receptive_field.unit")
    )
    parser.add_argument("--json", action="store_true", help=tr("cli.receptive_field.json"))


def run(args: argparse.Namespace) -> int:
    lang = language()  # the command line's: --lang anywhere, or LANG (cnn_tui.cli)
    try:
        from cnn_tui.ml.models import build_model, model_config
        from cnn_tui.ml.receptive_field import geometry_chain

        config = model_config(args.model or TRAIN_DEFAULTS.model)
        chain = geometry_chain(build_model(config), (config.in_channels, config.image_size, config.image_size))
        field = chain.receptive_field(args.layer, (args.unit[0], args.unit[1]))
    except LocalizedError as error:
        from cnn_tui.render.safe_text import safe_text

        print(f"{PROG}: {safe_text(error.in_language(lang))}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(field.to_json()))
        return 0
    from cnn_tui.render.receptive_field import describe_field
    from cnn_tui.render.safe_text import safe_text

    lines = describe_field(chain.field_rows(field.layer), field, config.name, lang)
    print("\n".join(safe_text(line) for line in lines))
    return 0
