"""`cnn-tui runs`: the recorded runs as a table sorted by test accuracy, or several of them side by side.

Every `cnn-tui train`, `cnn-tui homework` and Training-tab run is recorded under models/runs/.
A run is named by its rank in the list (1 = best), its id (or a unique start of it) or its label.

Examples:
  cnn-tui runs
  cnn-tui runs --compare 1 2 3
  cnn-tui runs --compare 20261128-0431 "homework: more conv channels" --all
  cnn-tui runs --inner 1
  cnn-tui runs --inner 1 2
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from cnn_tui.commands.options import positive_int, user_errors
from cnn_tui.config import Paths

PROG = "cnn-tui runs"
DEFAULT_RUNS_DIR = Paths().models_dir / "runs"
PIPED_WIDTH = 160


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (parser.description or "") + "\n\n" + (__doc__ or "").split("\n", 2)[2]
    parser.add_argument(
        "--runs-dir", type=Path, default=DEFAULT_RUNS_DIR, metavar="DIR",
        help="where runs are recorded (default: %(default)s)",
    )
    parser.add_argument("--compare", nargs="+", metavar="RUN", help="show these runs side by side (rank, id or label)")
    parser.add_argument("--all", action="store_true", help="with --compare: also the settings every run shares")
    parser.add_argument("--limit", type=positive_int, metavar="N", help="list only the N best runs")
    parser.add_argument(
        "--inner", nargs="+", metavar="RUN",
        help="a run's inner numbers per epoch and layer: weight and gradient norms, the weights' change, dead ReLUs "
        "(rank, id or label); several runs: side by side at their last epoch",
    )


def console():  # noqa: ANN201 - a rich Console, imported lazily
    from rich.console import Console

    width = None if sys.stdout.isatty() else shutil.get_terminal_size((PIPED_WIDTH, 40)).columns
    return Console(width=width, highlight=False)


@user_errors(PROG)
def run(args: argparse.Namespace) -> int:
    from cnn_tui.commands.options import UserError
    from cnn_tui.ml.runs import RunsError, find_runs, list_runs
    from cnn_tui.render.runs_table import compare_table, runs_list_table
    from cnn_tui.render.safe_text import safe_text

    out = console()
    try:
        if args.inner:
            from cnn_tui.i18n import tr
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
                raise UserError("--compare needs at least two runs (ranks, ids or labels)")
            out.print(compare_table(find_runs(args.runs_dir, args.compare), show_same=args.all))
            return 0
    except RunsError as error:
        raise UserError(str(error)) from None
    records, problems = list_runs(args.runs_dir)
    for problem in problems:
        print(f"{PROG}: skipped {safe_text(str(problem))}", file=sys.stderr)
    if not records:
        print(f"no recorded runs in {safe_text(args.runs_dir)} yet: `cnn-tui train` records each run there")
        return 0
    shown = records[: args.limit] if args.limit else records
    out.print(runs_list_table(shown, title=f"{len(records)} runs in {args.runs_dir}, best test accuracy first"))
    return 0
