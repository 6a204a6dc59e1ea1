"""`cnn-tui runs`: the recorded runs as a table sorted by test accuracy, or several of them side by side (help in locales/cli_results.toml)."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from cnn_tui.commands.options import positive_int, user_errors
from cnn_tui.config import Paths
from cnn_tui.i18n import Phrase, tr

PROG = "cnn-tui runs"
DEFAULT_RUNS_DIR = Paths().models_dir / "runs"
PIPED_WIDTH = 160


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (parser.description or "") + "\n\n" + tr("cli.runs.about")
    parser.add_argument(
        "--runs-dir", type=Path, default=DEFAULT_RUNS_DIR, metavar="DIR",
        help=tr("cli.runs.runs_dir"),
    )
    parser.add_argument("--compare", nargs="+", metavar="RUN", help=tr("cli.runs.compare"))
    parser.add_argument("--all", action="store_true", help=tr("cli.runs.all"))
    parser.add_argument("--limit", type=positive_int, metavar="N", help=tr("cli.runs.limit"))
    parser.add_argument("--inner", nargs="+", metavar="RUN", help=tr("cli.runs.inner"))


def console():  # noqa: ANN201 - a rich Console, imported lazily
    from rich.console import Console

    width = None if sys.stdout.isatty() else shutil.get_terminal_size((PIPED_WIDTH, 40)).columns
    return Console(width=width, highlight=False)


@user_errors(PROG)
def run(args: argparse.Namespace) -> int:
    from cnn_tui.commands.options import UserError
    from cnn_tui.ml.runs import RunsError, find_runs, list_runs
    from cnn_tui.render.runs_table import compare_table, runs_list_table
    from cnn_tui.render.safe_said import safe_said
    from cnn_tui.render.safe_text import safe_text

    out = console()
    try:
        if args.inner:
            from cnn_tui.render.inner_table import inner_compare_table, inner_table

            records = find_runs(args.runs_dir, args.inner)
            for record in records:
                if not record.inner:
                    print(safe_text(tr("inner.none", run=record.title)))
            shown = [record for record in records if record.inner]
            if len(records) == 1 and shown:
                out.print(inner_table(shown[0]))
            elif len(shown) > 1:
                out.print(inner_compare_table(shown))
            return 0
        if args.compare:
            if len(args.compare) < 2:
                raise UserError(Phrase("cli.runs.compare_two"))
            out.print(compare_table(find_runs(args.runs_dir, args.compare), show_same=args.all))
            return 0
    except RunsError as error:
        raise UserError(error) from None
    records, problems = list_runs(args.runs_dir)
    for problem in problems:
        print(f"{PROG}: {tr('cli.runs.skipped', problem=safe_said(problem))}", file=sys.stderr)
    if not records:
        print(tr("cli.runs.none", folder=safe_text(args.runs_dir)))
        return 0
    shown = records[: args.limit] if args.limit else records
    out.print(runs_list_table(shown, title=tr("cli.runs.title", count=len(records), folder=args.runs_dir)))
    return 0
