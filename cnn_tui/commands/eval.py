"""`cnn-tui eval`: a checkpoint's test accuracy (`Acc: 0.57`, as the lecture prints it), per class, and its confusion matrix (help in locales/cli_results.toml)."""

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
from cnn_tui.commands.text_cells import cells, ljust, rjust
from cnn_tui.i18n import Phrase, class_label, describe, tr

PROG = "cnn-tui eval"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (parser.description or "") + "\n\n" + tr("cli.eval.about")
    add_checkpoint_argument(parser, tr("cli.eval.checkpoint"))
    parser.add_argument("--batch-size", type=batch_size, default=1000, help=tr("cli.eval.batch_size"))
    add_data_arguments(parser)
    add_runtime_arguments(parser)


def format_confusion(classes: Sequence[str], confusion: Sequence[Sequence[int]]) -> list[str]:
    """The confusion matrix as aligned text: one row per true class (as i18n.class_label shows it), one column
    per predicted class (the first five letters of its name, or its Chinese gloss)."""
    labels = [class_label(name) for name in classes]
    short = [name[:5] if label == name else label.split(" ", 1)[0] for name, label in zip(classes, labels, strict=True)]
    width = max(5, *(len(str(v)) for row in confusion for v in row), *(cells(s) for s in short))
    corner = tr("cli.eval.corner")
    label_width = max(cells(corner), *(cells(label) for label in labels))
    lines = [ljust(corner, label_width) + "  " + " ".join(rjust(s, width) for s in short)]
    for label, row in zip(labels, confusion, strict=True):
        lines.append(ljust(label, label_width) + "  " + " ".join(f"{v:>{width}}" for v in row))
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
        status_line(tr("cli.eval.assumed", checkpoint=args.checkpoint))
    note = changed_note(meta.model)
    if note:
        status_line(tr("cli.eval.warning", note=describe(note)))
    data = load_data(args, meta=meta)
    if tuple(data.classes) != tuple(meta.classes):
        raise UserError(
            Phrase("cli.eval.other_classes", checkpoint=args.checkpoint, trained=", ".join(meta.classes), data=", ".join(data.classes))
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
    print(tr("cli.eval.totals", count=result.count, accuracy=result.accuracy, loss=result.loss))
    print()
    print(tr("cli.eval.per_class"))
    classes = [safe_text(name) for name in data.classes]  # folder names: shown, never obeyed as control codes
    labels = [class_label(name) for name in classes]
    width = max(cells(label) for label in labels)
    for label, accuracy, row in zip(labels, result.per_class, result.confusion, strict=True):
        shown = f"{accuracy:.3f}" if sum(row) else tr("training.results.no_test_images")
        print(f"  {ljust(label, width)}  {shown}")
    print()
    print(tr("cli.eval.confusion"))
    for line in format_confusion(classes, result.confusion):
        print("  " + line)
    return 0
