"""`cnn-tui train`: train a model on CIFAR-10 (or another source) with a recipe, saving a checkpoint every epoch (help in locales/cli_train.toml)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from cnn_tui.commands.interrupts import StopOnCtrlC
from cnn_tui.commands.lab_options import add_model_arguments, add_record_arguments, model_edits, model_from_args
from cnn_tui.commands.options import (
    UserError,
    add_checkpoint_argument,
    add_data_arguments,
    add_runtime_arguments,
    batch_size,
    epoch_count,
    load_data,
    number_in,
    setup_torch,
    user_errors,
)
from cnn_tui.commands.train_display import make_display
from cnn_tui.config import RECIPES, TRAIN_DEFAULTS, TrainRecipe
from cnn_tui.i18n import Phrase, describe, tr
from cnn_tui.ml.threads import MIN_SHARD

PROG = "cnn-tui train"
# Recipe fields settable on the command line, in --help's order: (field, type, metavar or None for on/off switches);
# each is described once, by its catalogue entry (`option_help`).
RECIPE_OPTIONS: tuple[tuple[str, Any, str | None], ...] = (
    ("epochs", epoch_count, "N"),
    ("batch_size", batch_size, "N"),
    ("optimizer", str, "NAME"),
    ("lr", number_in(0, above=True), "LR"),
    ("momentum", number_in(0, 1, below=True), "M"),
    ("weight_decay", number_in(0), "WD"),
    ("schedule", str, "NAME"),
    ("warmup", number_in(0, 1, below=True), "FRACTION"),
    ("flip", bool, None),
    ("crop", number_in(0, 16, whole=True), "PIXELS"),
    ("label_smoothing", number_in(0, 1, below=True), "S"),
    ("normalize", bool, None),
    ("seed", number_in(0, 2**31 - 1, whole=True), "N"),
    ("eval_batch_size", batch_size, "N"),
    ("whiten", bool, None),
    ("time_budget_s", number_in(0, 86_400), "SECONDS"),
    ("precision", str, "NAME"),
    ("min_steps", int, "N"),
)


def option_help(name: str) -> str:
    """A recipe field's one description (catalogue `cli.train.option.<field>`), then each recipe's value."""
    return f"{tr(f'cli.train.option.{name}')} ({_recipe_defaults(name)})"


def _recipe_defaults(name: str) -> str:
    return ", ".join(f"{r.name}: {getattr(r, name)}" for r in RECIPES.values())


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (parser.description or "") + "\n\n" + tr("cli.train.about")
    parser.add_argument(
        "--recipe", choices=tuple(RECIPES), default=None,
        help=tr("cli.train.recipe", default=TRAIN_DEFAULTS.recipe),
    )
    add_model_arguments(parser)
    add_checkpoint_argument(parser, tr("cli.train.checkpoint"))
    parser.add_argument("--resume", action="store_true", help=tr("cli.train.resume"))
    parser.add_argument("--plain", action="store_true", help=tr("cli.train.plain"))
    group = parser.add_argument_group(tr("cli.train.overrides_group"))
    for name, kind, metavar in RECIPE_OPTIONS:
        flag = "--" + name.replace("_", "-")
        full = option_help(name)
        if kind is bool:
            group.add_argument(flag, action=argparse.BooleanOptionalAction, default=None, help=full)
        else:
            group.add_argument(flag, type=kind, metavar=metavar, default=None, help=full)
    add_data_arguments(parser)
    add_runtime_arguments(parser)
    parser.add_argument(
        "--split-batches", action=argparse.BooleanOptionalAction, default=True,
        help=tr("cli.train.split_batches", shard=MIN_SHARD),
    )
    add_record_arguments(parser)


def overrides(args: argparse.Namespace) -> dict[str, Any]:
    """The recipe settings given explicitly on the command line."""
    names = {f.name for f in fields(TrainRecipe)}
    return {name: getattr(args, name) for name, *_ in RECIPE_OPTIONS if name in names and getattr(args, name) is not None}


def _describe(recipe: TrainRecipe) -> str:
    settings = asdict(recipe)
    return tr("cli.train.recipe_line", settings=", ".join(f"{k}={v}" for k, v in settings.items()))


def empty_class_warnings(data: Any) -> list[str]:
    """A warning for each class without a training image (it can never be learned) and each constant channel."""
    from cnn_tui.ml.data_warnings import data_warnings

    return [describe(warning) for warning in data_warnings(data)]


def _check_resume_choices(args: argparse.Namespace) -> None:
    """--resume continues the saved network and recipe: a different --model or --recipe would be ignored, so refuse it."""
    from cnn_tui.ml.checkpoints import read_meta

    meta = read_meta(args.checkpoint)
    if meta.assumed:
        return  # prepare_run says that this checkpoint cannot be resumed
    saved_model = meta.model.name.removesuffix("-custom")
    if args.model is not None and args.model != saved_model:
        raise UserError(Phrase("cli.train.resume_model", checkpoint=args.checkpoint, saved=meta.model.name, model=args.model))
    saved_recipe = meta.recipe.name if meta.recipe is not None else None
    if args.recipe is not None and saved_recipe is not None and args.recipe != saved_recipe:
        raise UserError(Phrase("cli.train.resume_recipe", checkpoint=args.checkpoint, saved=saved_recipe, recipe=args.recipe))


@user_errors(PROG)
def run(args: argparse.Namespace) -> int:
    batch_size = overrides(args).get("batch_size") or RECIPES[args.recipe or TRAIN_DEFAULTS.recipe].batch_size
    device = setup_torch(args, batch_size)  # threads and OpenMP waiting, before torch loads
    if args.resume and model_edits(args):
        raise UserError(Phrase("cli.train.resume_edits"))
    if args.resume:
        _check_resume_choices(args)
    args.recipe = args.recipe or TRAIN_DEFAULTS.recipe  # None above told whether --recipe was given
    from cnn_tui.ml.events import DIVERGED, STOPPED, TrainController
    from cnn_tui.ml.session import prepare_run, run_training
    from cnn_tui.ml.threads import EpochRetuner, cpu_count, shards_for
    from cnn_tui.ml.train_step import can_split
    from cnn_tui.ml.variants import model_cost

    from cnn_tui.ml.checkpoints import check_writable

    check_writable(args.checkpoint)  # before the data is decoded and any epoch is trained
    config = model_from_args(args)
    if args.resume:  # photos prepared as the saved run's were (its network's size, resize policy, test share)
        from cnn_tui.ml.checkpoints import read_meta

        data = load_data(args, meta=read_meta(args.checkpoint))
    else:
        data = load_data(args, side=config.image_size)
    checkpoint: Path = args.checkpoint
    prepared = prepare_run(
        data, config, RECIPES[args.recipe], checkpoint=checkpoint, resume=args.resume, overrides=overrides(args),
        runs_dir=args.runs_dir, record=not args.no_record, label=args.label, device=device,
    )
    import torch

    display = make_display(args.plain)
    with display, StopOnCtrlC(display.note, tr("cli.train.ctrl_c")) as ctrl_c:
        controller = ctrl_c.watch(TrainController())
        display.note(tr("cli.train.data", source=data.source_words()))
        for line in data.facts():
            display.note(line)
        for line in empty_class_warnings(data):
            display.note(line)
        cost = model_cost(prepared.config, len(data.classes))
        split = args.split_batches and device.type == "cpu" and can_split(prepared.model)
        shards = shards_for(prepared.recipe.batch_size, args.thread_plan.threads, split)
        cost_line = tr("cli.train.cost", name=prepared.config.name, parameters=cost.parameters, mult_adds=cost.mult_adds)
        display.note(tr("cli.train.device", cost=cost_line, device=device, threads=args.thread_plan.line(shards)))
        display.note(_describe(prepared.recipe))
        from cnn_tui.ml.train import training_precision

        if why := training_precision(prepared.recipe.precision, device)[1]:
            display.note(describe(why))
        asked = overrides(args).get("batch_size", RECIPES[args.recipe or TRAIN_DEFAULTS.recipe].batch_size)
        if prepared.recipe.batch_size != asked and not prepared.resume:
            display.note(
                tr("cli.train.smaller_batch", batch=prepared.recipe.batch_size, asked=asked, images=len(data.train),
                   steps=prepared.recipe.min_steps)
            )
        norm = prepared.normalization
        display.note(tr("cli.train.input_normalised", mean=norm.mean, std=norm.std) if norm else tr("cli.train.input_plain"))
        if prepared.resume:
            display.note(tr("cli.train.resuming", checkpoint=checkpoint, epoch=prepared.first_epoch))
        retuner = EpochRetuner(args.thread_plan, prepared.recipe.batch_size, cpu_count(), torch.set_num_threads)

        def on_epoch(result: Any) -> None:
            display.epoch(result)
            before = retuner.threads
            if result.epoch < result.epochs and device.type == "cpu" and retuner.after_epoch() != before:
                display.note(tr("cli.train.load_changed", threads=retuner.threads))

        result = run_training(
            data, prepared, device=device, controller=controller, on_batch=display.batch, on_epoch=on_epoch,
            split_batches=args.split_batches,
        )
    saved = prepared.first_epoch + len(result.epochs)
    where = tr("cli.train.holds", checkpoint=checkpoint, epoch=saved) if saved else tr("cli.train.nothing_saved")
    if result.status == DIVERGED:
        print(f"{PROG}: {tr('cli.train.diverged', reason=describe(result.reason), where=where)}", file=sys.stderr)
        return 1
    if result.status == STOPPED:
        print(f"{PROG}: {tr('cli.train.stopped', reason=describe(result.reason), where=where)}", file=sys.stderr)
        return ctrl_c.exit_status  # 130 for Ctrl+C, 143 for SIGTERM, 129 for SIGHUP
    last = result.last
    if last is not None:
        print(tr("cli.train.done", seconds=result.seconds, accuracy=last.test_accuracy, checkpoint=checkpoint))
        if prepared.recipe.tta:
            from cnn_tui.ml.best import flip_tta_accuracy

            tta = flip_tta_accuracy(prepared.model, data.test, prepared.normalization, device)
            print(tr("cli.train.tta", accuracy=tta))
    if prepared.run_id and prepared.runs_dir is not None and result.epochs:
        print(tr("cli.train.recorded", run=prepared.run_id, folder=prepared.runs_dir))
    return 0
