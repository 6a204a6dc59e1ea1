"""`cnn-tui train`: train a model on CIFAR-10 (or another source) with a recipe, saving a checkpoint every epoch.

Examples:
  cnn-tui train --recipe fast
  cnn-tui train --recipe lecture --epochs 5
  cnn-tui train --data synthetic --epochs 3
  cnn-tui train --resume --epochs 12
  cnn-tui train --model wide --channels 32,64 --fc 256,128 --activation gelu --batchnorm --dropout 0.1
The data set is looked up in the data home from any folder (cnn-tui data status); checkpoints and recorded
runs stay in ./models, relative to the working folder (--checkpoint).
Every run is recorded under models/runs/ (settings, metrics per epoch, times, weights): see cnn-tui runs.
Ctrl+C (or SIGTERM, SIGHUP) stops after the current batch and keeps the last epoch's checkpoint (exit status 130;
143, 129).
"""

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
from cnn_tui.ml.threads import MIN_SHARD

PROG = "cnn-tui train"
# Recipe fields settable on the command line: (flag, type, metavar or None for on/off switches, help)
RECIPE_OPTIONS: tuple[tuple[str, Any, str | None, str], ...] = (
    ("epochs", epoch_count, "N", "epochs to train (with --resume: the new total)"),
    ("batch_size", batch_size, "N", "images per batch"),
    ("optimizer", str, "NAME", "adam, adamw or sgd (Nesterov momentum)"),
    ("lr", number_in(0, above=True), "LR", "learning rate (the peak rate for the onecycle schedule), more than 0"),
    ("momentum", number_in(0, 1, below=True), "M", "momentum for sgd, 0 ≤ M < 1"),
    ("weight_decay", number_in(0), "WD", "weight decay, 0 or more"),
    ("schedule", str, "NAME", "constant, or onecycle (linear warm-up, then linear decay to zero)"),
    ("warmup", number_in(0, 1, below=True), "FRACTION", "onecycle: share of all steps spent warming up, 0 ≤ F < 1"),
    ("flip", bool, None, "random horizontal flips"),
    ("crop", number_in(0, 16, whole=True), "PIXELS", "random translation by up to this many pixels, 0 to 16 (0: none)"),
    ("label_smoothing", number_in(0, 1, below=True), "S", "label smoothing of the cross-entropy loss, 0 ≤ S < 1"),
    ("normalize", bool, None, "normalise by the train set's channel mean/std after ToTensor's ÷255"),
    ("seed", number_in(0, 2**31 - 1, whole=True), "N", "random seed (shuffling, augmentation, initial weights), 0 or more"),
    ("eval_batch_size", batch_size, "N", "images per batch when testing"),
    ("whiten", bool, None, "start the first convolution as airbench's whitening filters of the training patches"),
    ("time_budget_s", number_in(0, 86_400), "SECONDS", "0: train --epochs; > 0: as many epochs (at most --epochs) as fit "
     "this many seconds here, timed on a few steps before training"),
    ("precision", str, "NAME", "fp32, or bf16: autocast of the training pass where the hardware has fast bf16 (GPUs, AVX-512 CPUs); "
     "elsewhere fp32 is used and the header says so"),
    ("min_steps", int, "N", "small data sets: the batch is halved (not below 32) until an epoch has N steps; 0: never"),
)


def _recipe_defaults(name: str) -> str:
    return ", ".join(f"{r.name}: {getattr(r, name)}" for r in RECIPES.values())


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (parser.description or "") + "\n\n" + (__doc__ or "").split("\n", 2)[2]
    parser.add_argument(
        "--recipe", choices=tuple(RECIPES), default=None,
        help="lecture: the lecture's loop (batch 8, Adam 1e-3, no augmentation); fast: large batches, "
        "a one-cycle learning rate and flip/crop augmentation; resnet: for --model resnet (SGD at lr 0.8, batch 512, "
        "label smoothing, bf16 autocast where fast); best: for --model best (resnet's recipe, whitened first layer, "
        "as many epochs as fit 9 minutes here: expect ~0.84 test accuracy in 10 minutes on 2 AVX2 cores, more with "
        f"AVX-512 bf16 or a GPU) (default: {TRAIN_DEFAULTS.recipe})",
    )
    add_model_arguments(parser)
    add_checkpoint_argument(parser, "where to save the weights after each epoch; metadata goes beside it as .json")
    parser.add_argument("--resume", action="store_true", help="continue the run saved at --checkpoint")
    parser.add_argument("--plain", action="store_true", help="plain lines instead of progress bars")
    group = parser.add_argument_group("recipe overrides (defaults per recipe)")
    for name, kind, metavar, text in RECIPE_OPTIONS:
        flag = "--" + name.replace("_", "-")
        full = f"{text} ({_recipe_defaults(name)})"
        if kind is bool:
            group.add_argument(flag, action=argparse.BooleanOptionalAction, default=None, help=full)
        else:
            group.add_argument(flag, type=kind, metavar=metavar, default=None, help=full)
    add_data_arguments(parser)
    add_runtime_arguments(parser)
    parser.add_argument(
        "--split-batches", action=argparse.BooleanOptionalAction, default=True,
        help="with several threads, each trains its own slice of every batch (at least "
        f"{MIN_SHARD} images) and the gradients are added, instead of sharing every operation; only for networks "
        "without BatchNorm, dropout or buffers (the others always share operations) (default: on)",
    )
    add_record_arguments(parser)


def overrides(args: argparse.Namespace) -> dict[str, Any]:
    """The recipe settings given explicitly on the command line."""
    names = {f.name for f in fields(TrainRecipe)}
    return {name: getattr(args, name) for name, *_ in RECIPE_OPTIONS if name in names and getattr(args, name) is not None}


def _describe(recipe: TrainRecipe) -> str:
    settings = asdict(recipe)
    return "recipe " + ", ".join(f"{k}={v}" for k, v in settings.items())


def empty_class_warnings(data: Any) -> list[str]:
    """A warning for each class without a training image (it can never be learned) and each constant channel."""
    from cnn_tui.ml.data_warnings import data_warnings

    return [str(warning) for warning in data_warnings(data)]


def _check_resume_choices(args: argparse.Namespace) -> None:
    """--resume continues the saved network and recipe: a different --model or --recipe would be ignored, so refuse it."""
    from cnn_tui.ml.checkpoints import read_meta

    meta = read_meta(args.checkpoint)
    if meta.assumed:
        return  # prepare_run says that this checkpoint cannot be resumed
    saved_model = meta.model.name.removesuffix("-custom")
    if args.model is not None and args.model != saved_model:
        raise UserError(
            f"--resume continues the network saved in {args.checkpoint} ({meta.model.name}), not --model {args.model}; "
            "leave --model out, or train the other model without --resume (with another --checkpoint)"
        )
    saved_recipe = meta.recipe.name if meta.recipe is not None else None
    if args.recipe is not None and saved_recipe is not None and args.recipe != saved_recipe:
        raise UserError(
            f"--resume continues the recipe saved in {args.checkpoint} ({saved_recipe}), not --recipe {args.recipe}; "
            "leave --recipe out (single settings such as --lr can still be changed)"
        )


@user_errors(PROG)
def run(args: argparse.Namespace) -> int:
    batch_size = overrides(args).get("batch_size") or RECIPES[args.recipe or TRAIN_DEFAULTS.recipe].batch_size
    device = setup_torch(args, batch_size)  # threads and OpenMP waiting, before torch loads
    if args.resume and model_edits(args):
        raise UserError("--resume continues the checkpoint's own network; leave out the model settings (--channels …)")
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
    with display, StopOnCtrlC(display.note, "Ctrl+C: stopping after this batch (press again to quit at once)") as ctrl_c:
        controller = ctrl_c.watch(TrainController())
        display.note(f"data: {data.source}")
        for line in data.facts():
            display.note(line)
        for line in empty_class_warnings(data):
            display.note(line)
        cost = model_cost(prepared.config, len(data.classes))
        split = args.split_batches and device.type == "cpu" and can_split(prepared.model)
        shards = shards_for(prepared.recipe.batch_size, args.thread_plan.threads, split)
        display.note(f"{cost.line(prepared.config.name)}; device {device}, {args.thread_plan.line(shards)}")
        display.note(_describe(prepared.recipe))
        from cnn_tui.ml.train import training_precision

        if why := training_precision(prepared.recipe.precision, device)[1]:
            display.note(why)
        asked = overrides(args).get("batch_size", RECIPES[args.recipe or TRAIN_DEFAULTS.recipe].batch_size)
        if prepared.recipe.batch_size != asked and not prepared.resume:
            display.note(
                f"batch {prepared.recipe.batch_size} instead of {asked}: {len(data.train):,} training images make "
                f"at least {prepared.recipe.min_steps} steps an epoch (--min-steps 0 keeps {asked})"
            )
        norm = prepared.normalization
        display.note(
            "input: ToTensor (÷255)" + (f", normalised with mean {norm.mean} std {norm.std}" if norm else ", not normalised")
        )
        if prepared.resume:
            display.note(f"resuming {checkpoint} after epoch {prepared.first_epoch}")
        retuner = EpochRetuner(args.thread_plan, prepared.recipe.batch_size, cpu_count(), torch.set_num_threads)

        def on_epoch(result: Any) -> None:
            display.epoch(result)
            before = retuner.threads
            if result.epoch < result.epochs and device.type == "cpu" and retuner.after_epoch() != before:
                display.note(f"other work changed the cores' load: {retuner.threads} thread(s) from the next epoch")

        result = run_training(
            data, prepared, device=device, controller=controller, on_batch=display.batch, on_epoch=on_epoch,
            split_batches=args.split_batches,
        )
    saved = prepared.first_epoch + len(result.epochs)
    where = f"{checkpoint} holds epoch {saved}" if saved else "no epoch finished, nothing was saved"
    if result.status == DIVERGED:
        print(f"{PROG}: {result.reason}; lower the learning rate (--lr) and start again; {where}", file=sys.stderr)
        return 1
    if result.status == STOPPED:
        print(f"{PROG}: {result.reason}; {where}", file=sys.stderr)
        return ctrl_c.exit_status  # 130 for Ctrl+C, 143 for SIGTERM, 129 for SIGHUP
    last = result.last
    if last is not None:
        print(f"done in {result.seconds:.1f}s: test accuracy {last.test_accuracy:.4f}; saved {checkpoint}")
        if prepared.recipe.tta:
            from cnn_tui.ml.best import flip_tta_accuracy

            tta = flip_tta_accuracy(prepared.model, data.test, prepared.normalization, device)
            print(f"second number, with flip test-time augmentation (image + mirror image): test accuracy {tta:.4f}")
    if prepared.run_id and prepared.runs_dir is not None and result.epochs:
        print(f"recorded as run {prepared.run_id} in {prepared.runs_dir} (cnn-tui runs)")
    return 0
