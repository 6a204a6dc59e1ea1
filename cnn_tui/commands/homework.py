"""`cnn-tui homework`: the lecture's homework (今日作业) run for you, one suggestion at a time.

The baseline is the lecture's network (or --model: a preset, or your own file.py:Class); each
experiment changes one thing (more conv channels, bigger fully connected layers, the learning
rate ×3 and ÷3, another optimiser, another activation; your own network's layers are changed in
its file, so for it only the learning rate and the optimiser) and trains from scratch on the
same data with the same seed. Then everything that helped is tried together. The table says
how much each change helped, and what it cost in time. Every experiment is recorded (cnn-tui
runs --compare shows any two side by side).

Examples:
  cnn-tui homework --epochs 4
  cnn-tui homework --data synthetic --train-limit 1000 --test-limit 300 --epochs 2
  cnn-tui homework --only channels activation --recipe lecture --epochs 2
  cnn-tui homework --model examples/my_network.py:MyNetwork --data synthetic --epochs 2
"""

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

PROG = "cnn-tui homework"
KEYS = ("channels", "fc", "lr_up", "lr_down", "optimizer", "activation")
DEFAULT_MARGIN = 0.005


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (parser.description or "") + "\n\n" + (__doc__ or "").split("\n", 2)[2]
    parser.add_argument(
        "--recipe", choices=tuple(RECIPES), default=TRAIN_DEFAULTS.recipe,
        help="the recipe every experiment starts from (default: %(default)s)",
    )
    add_model_arguments(parser, edits=False)
    parser.add_argument("--epochs", type=epoch_count, metavar="N", help="epochs per experiment (default: the recipe's)")
    parser.add_argument("--seed", type=int, metavar="N", help="the seed every experiment uses (default: the recipe's)")
    parser.add_argument("--batch-size", type=batch_size, metavar="N", help="images per batch (default: the recipe's)")
    parser.add_argument("--only", nargs="+", choices=KEYS, metavar="KEY", help=f"run only these suggestions: {', '.join(KEYS)}")
    parser.add_argument("--no-combine", action="store_true", help="skip the last run that combines every change that helped")
    parser.add_argument(
        "--margin", type=float, default=DEFAULT_MARGIN, metavar="ACC",
        help="a change helped when it beats the baseline by more than this (default: %(default)s, i.e. 0.5 points)",
    )
    parser.add_argument(
        "--runs-dir", type=Path, default=DEFAULT_RUNS_DIR, metavar="DIR", help="where the runs are recorded (default: %(default)s)"
    )
    parser.add_argument("--no-record", action="store_true", help="do not record the experiments as runs")
    parser.add_argument("--plain", action="store_true", help="plain lines instead of progress bars")
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
        raise UserError("--margin is an accuracy difference between 0 and 1, e.g. 0.005")
    recipe = RECIPES[args.recipe]
    given = {"epochs": args.epochs, "seed": args.seed, "batch_size": args.batch_size}
    recipe = replace(recipe, **{k: v for k, v in given.items() if v is not None})
    network = model_config(args.model or TRAIN_DEFAULTS.model)
    own = network.arch == FILE_ARCH
    if own and args.only and set(args.only) <= set(LAYER_KEYS):
        raise UserError(
            f"--only {' '.join(args.only)}: your own network's layers are changed in its file; for it the homework "
            "tries lr_up, lr_down and optimizer"
        )
    data = load_data(args)
    experiments = homework_experiments(network, recipe)
    if args.only:
        experiments = [e for e in experiments if e.key == "baseline" or e.key in args.only]
    runs_dir = None if args.no_record else args.runs_dir
    results = []
    failed = 0
    display = make_display(args.plain)
    with display, StopOnCtrlC(
        display.note, "Ctrl+C: stopping after this batch; the table shows what finished (press again to quit at once)"
    ) as interrupts:
        if own:
            display.note(f"{network.name} is your own network: its layers are changed in its file, so the homework tries the training's changes")
        display.note(f"data: {data.source}; recipe {recipe.name}, {recipe.epochs} epoch{'' if recipe.epochs == 1 else 's'}, seed {recipe.seed}; device {device}")
        queue = list(experiments)
        while queue and not interrupts.stopped:
            experiment = queue.pop(0)
            total = len(experiments) + (0 if args.no_combine else 1)
            display.note(f"[{len(results) + failed + 1}/{total}] {experiment.title} ({experiment.lecture_words}): {experiment.detail}")
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
                    display.note("nothing to combine: fewer than two changes helped (changes of the learning rate count as one)")
                else:
                    queue.append(combined)
    title = f"Homework on {data.name} ({len(data.train):,} training images, {recipe.epochs} epoch{'' if recipe.epochs == 1 else 's'}, seed {recipe.seed})"
    console().print(homework_table(results, margin=args.margin, title=title))
    if runs_dir is not None and results:
        print(f"each experiment is recorded in {runs_dir}: cnn-tui runs --compare shows any two side by side")
    return interrupts.exit_status if interrupts.stopped else 1 if failed else 0
