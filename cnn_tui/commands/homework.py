"""`cnn-tui homework`: the lecture's homework (今日作业) run for you, one suggestion at a time (help in locales/cli_train.toml)."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from cnn_tui.commands.interrupts import StopOnCtrlC
from cnn_tui.commands.lab_options import add_model_arguments
from cnn_tui.commands.options import (
    UserError,
    add_data_arguments,
    add_runtime_arguments,
    load_data,
    batch_size,
    epoch_count,
    setup_torch,
    user_errors,
)
from cnn_tui.commands.runs import DEFAULT_RUNS_DIR, console
from cnn_tui.config import RECIPES, TRAIN_DEFAULTS
from cnn_tui.i18n import Phrase, describe, tr

PROG = "cnn-tui homework"
KEYS = ("channels", "fc", "lr_up", "lr_down", "optimizer", "activation")
DEFAULT_MARGIN = 0.005


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (parser.description or "") + "\n\n" + tr("cli.homework.about")
    parser.add_argument(
        "--recipe", choices=tuple(RECIPES), default=TRAIN_DEFAULTS.recipe,
        help=tr("cli.homework.recipe"),
    )
    add_model_arguments(parser, edits=False)
    parser.add_argument("--epochs", type=epoch_count, metavar="N", help=tr("cli.homework.epochs"))
    parser.add_argument("--seed", type=int, metavar="N", help=tr("cli.homework.seed"))
    parser.add_argument("--batch-size", type=batch_size, metavar="N", help=tr("cli.homework.batch_size"))
    parser.add_argument("--only", nargs="+", choices=KEYS, metavar="KEY", help=tr("cli.homework.only", keys=", ".join(KEYS)))
    parser.add_argument("--no-combine", action="store_true", help=tr("cli.homework.no_combine"))
    parser.add_argument(
        "--margin", type=float, default=DEFAULT_MARGIN, metavar="ACC",
        help=tr("cli.homework.margin"),
    )
    parser.add_argument(
        "--runs-dir", type=Path, default=DEFAULT_RUNS_DIR, metavar="DIR", help=tr("cli.homework.runs_dir")
    )
    parser.add_argument("--no-record", action="store_true", help=tr("cli.homework.no_record"))
    parser.add_argument("--plain", action="store_true", help=tr("cli.train.plain"))
    add_data_arguments(parser)
    add_runtime_arguments(parser)


@user_errors(PROG)
def run(args: argparse.Namespace) -> int:
    # threads and OpenMP waiting for the recipe's batches, before torch loads
    device = setup_torch(args, args.batch_size or RECIPES[args.recipe].batch_size)
    from cnn_tui.commands.train_display import make_display
    from cnn_tui.ml.events import TrainController
    from cnn_tui.ml.homework import LAYER_KEYS, combined_experiment, homework_experiments, run_experiment
    from cnn_tui.ml.models import model_config
    from cnn_tui.ml.own_model import FILE_ARCH, OwnModelError
    from cnn_tui.render.safe_text import safe_text
    from cnn_tui.render.homework_table import homework_table

    if not 0 <= args.margin < 1:
        raise UserError(Phrase("cli.homework.bad_margin"))
    recipe = RECIPES[args.recipe]
    given = {"epochs": args.epochs, "seed": args.seed, "batch_size": args.batch_size}
    recipe = replace(recipe, **{k: v for k, v in given.items() if v is not None})
    network = model_config(args.model or TRAIN_DEFAULTS.model)
    own = network.arch == FILE_ARCH
    if own and args.only and set(args.only) <= set(LAYER_KEYS):
        raise UserError(Phrase("cli.homework.own_only", keys=" ".join(args.only)))
    data = load_data(args)
    experiments = homework_experiments(network, recipe)
    if args.only:
        experiments = [e for e in experiments if e.key == "baseline" or e.key in args.only]
    runs_dir = None if args.no_record else args.runs_dir
    results = []
    failed = 0
    display = make_display(args.plain)
    with display, StopOnCtrlC(
        display.note, tr("cli.homework.ctrl_c")
    ) as interrupts:
        if own:
            display.note(tr("cli.homework.own", name=network.name))
        display.note(tr("cli.homework.header", source=data.source_words(), recipe=recipe.name, epochs=recipe.epochs, seed=recipe.seed, device=device))
        queue = list(experiments)
        while queue and not interrupts.stopped:
            experiment = queue.pop(0)
            total = len(experiments) + (0 if args.no_combine else 1)
            display.note(f"[{len(results) + failed + 1}/{total}] {describe(experiment.title)} ({experiment.lecture_words}): {experiment.detail}")
            try:
                results.append(
                    run_experiment(
                        data, experiment, runs_dir=runs_dir, device=device, controller=interrupts.watch(TrainController()),
                        on_batch=display.batch, on_epoch=display.epoch,
                    )
                )
            except OwnModelError as error:  # the learner's network failed in this experiment: say so, try the next
                if experiment.key == "baseline":
                    raise  # nothing to compare the others with: one sentence, exit status 2
                display.note(f"{experiment.key} failed: {safe_text(error)}")
                failed += 1
            if not queue and not args.no_combine and experiment.key != "combined":
                combined = combined_experiment(results, args.margin)
                if combined is None:
                    display.note(tr("cli.homework.nothing_to_combine"))
                else:
                    queue.append(combined)
    title = tr("cli.homework.title", data=data.name, images=len(data.train), epochs=recipe.epochs, seed=recipe.seed)
    console().print(homework_table(results, margin=args.margin, title=title))
    if runs_dir is not None and results:
        print(tr("cli.homework.recorded", folder=runs_dir))
    return interrupts.exit_status if interrupts.stopped else 1 if failed else 0
