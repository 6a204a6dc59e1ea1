"""`cnn-tui eval`: a checkpoint's test accuracy (`Acc: 0.57`, as the lecture prints it), per class, and its confusion matrix (help in locales/cli_results.toml)."""

from __future__ import annotations

import argparse
import shutil
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
from cnn_tui.commands.text_cells import cells, ljust
from cnn_tui.i18n import Phrase, class_head, class_label, describe, tr

PROG = "cnn-tui eval"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (parser.description or "") + "\n\n" + tr("cli.eval.about")
    add_checkpoint_argument(parser, tr("cli.eval.checkpoint"))
    parser.add_argument("--batch-size", type=batch_size, default=1000, help=tr("cli.eval.batch_size"))
    add_data_arguments(parser)
    add_runtime_arguments(parser)


def format_confusion(classes: Sequence[str], confusion: Sequence[Sequence[int]], width: int | None = None) -> list[str]:
    """The confusion matrix as aligned text, drawn as the app draws it (render.confusion) without colours: one
    row per true class (as i18n.class_label shows it), one column per predicted class headed by its whole
    name, or numbered 1…N where the names do not fit `width` (the terminal's, less the indent, by default)."""
    from io import StringIO

    from rich.console import Console

    from cnn_tui.render.confusion import ConfusionHeatmap

    width = width or shutil.get_terminal_size().columns - 2
    heatmap = ConfusionHeatmap(
        [class_label(name) for name in classes], confusion, corner=tr("cli.eval.corner"), heads=[class_head(name) for name in classes]
    )
    console = Console(file=StringIO(), width=max(width, 20), color_system=None, highlight=False, markup=False, emoji=False)
    with console.capture() as capture:
        console.print(heatmap)
    return [line.rstrip() for line in capture.get().splitlines()]


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
