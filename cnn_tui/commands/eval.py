"""`cnn-tui eval`: a checkpoint's test accuracy (`Acc: 0.57`, as the lecture prints it), per class, and its confusion matrix.

Examples:
  cnn-tui eval
  cnn-tui eval --checkpoint models/image_classification.pth --data ../shared/datasets/cifar10-jpeg
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from cnn_tui.commands.options import (
    UserError,
    add_checkpoint_argument,
    add_data_arguments,
    add_runtime_arguments,
    batch_size,
    load_data,
    setup_torch,
    status_line,
    user_errors,
)

PROG = "cnn-tui eval"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (parser.description or "") + "\n\n" + (__doc__ or "").split("\n", 2)[2]
    add_checkpoint_argument(parser, "the weights to test")
    parser.add_argument("--batch-size", type=batch_size, default=1000, help="images per batch (default: %(default)s)")
    add_data_arguments(parser)
    add_runtime_arguments(parser)


def format_confusion(classes: Sequence[str], confusion: Sequence[Sequence[int]]) -> list[str]:
    """The confusion matrix as aligned text: one row per true class, one column per predicted class."""
    short = [name[:5] for name in classes]
    width = max(5, *(len(str(v)) for row in confusion for v in row))
    label = max(len(name) for name in classes)
    corner = "true \\ predicted"
    label = max(label, len(corner))
    lines = [f"{corner:<{label}}  " + " ".join(f"{s:>{width}}" for s in short)]
    for name, row in zip(classes, confusion, strict=True):
        lines.append(f"{name:<{label}}  " + " ".join(f"{v:>{width}}" for v in row))
    return lines


@user_errors(PROG)
def run(args: argparse.Namespace) -> int:
    device = setup_torch(args)  # before torch loads (OpenMP waiting)
    from cnn_tui.ml.checkpoints import load_model
    from cnn_tui.ml.own_model import changed_note
    from cnn_tui.ml.train import evaluate
    from cnn_tui.render.safe_text import safe_text

    model, meta = load_model(args.checkpoint)
    if meta.assumed:
        status_line(f"no metadata beside {args.checkpoint}: assuming the lecture's network, CIFAR-10 classes, no normalisation")
    note = changed_note(meta.model)
    if note:
        status_line(f"warning: {note}")
    data = load_data(args, meta=meta)
    if tuple(data.classes) != tuple(meta.classes):
        raise UserError(
            f"{args.checkpoint} was trained on classes {', '.join(meta.classes)}, but the data has {', '.join(data.classes)}"
        )
    result = evaluate(
        model.to(device),
        data.test,
        num_classes=len(data.classes),
        normalization=meta.normalization,
        batch_size=args.batch_size,
        device=device,
    )
    print(f"Acc: {result.accuracy:.2f}")
    print(f"test images: {result.count:,}  accuracy: {result.accuracy:.4f}  loss: {result.loss:.5f}")
    print()
    print("per-class accuracy:")
    classes = [safe_text(name) for name in data.classes]  # folder names: shown, never obeyed as control codes
    width = max(len(name) for name in classes)
    for name, accuracy, row in zip(classes, result.per_class, result.confusion, strict=True):
        print(f"  {name:<{width}}  {accuracy:.3f}" if sum(row) else f"  {name:<{width}}  no test images")
    print()
    print("confusion matrix:")
    for line in format_confusion(classes, result.confusion):
        print("  " + line)
    return 0
