"""`cnn-tui predict IMAGE…`: the top classes, with probabilities, that a trained checkpoint sees in each image,
and with --explain where it looked (Grad-CAM and gradient saliency); help in locales/cli_results.toml.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cnn_tui.commands.options import (
    add_checkpoint_argument,
    add_runtime_arguments,
    positive_int,
    setup_torch,
    status_line,
    user_errors,
)
from cnn_tui.commands.predict_inputs import PROG, open_images, resize_note
from cnn_tui.commands.text_cells import cells, ljust
from cnn_tui.config import TRAIN_DEFAULTS
from cnn_tui.i18n import class_label, describe, tr


def png_name(text: str) -> Path:
    """--save-png's OUT: the file is PNG, so its name must end in .png (a .jpg holding PNG bytes misleads every viewer)."""
    path = Path(text)
    if path.suffix.lower() != ".png":
        raise argparse.ArgumentTypeError(tr("cli.predict.png_name", name=text, example=str(path.with_suffix(".png"))))
    return path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (parser.description or "") + "\n\n" + tr("cli.predict.about")
    parser.add_argument("images", nargs="+", type=Path, metavar="IMAGE", help=tr("cli.predict.images"))
    add_checkpoint_argument(parser, tr("cli.predict.checkpoint"))
    parser.add_argument(
        "--top", type=positive_int, default=TRAIN_DEFAULTS.top, metavar="K", help=tr("cli.predict.top")
    )
    group = parser.add_argument_group(tr("cli.predict.explain_group"))
    group.add_argument("--explain", action="store_true", help=tr("cli.predict.explain"))
    group.add_argument("--layer", metavar="NAME", help=tr("cli.predict.layer"))
    group.add_argument("--json", action="store_true", help=tr("cli.predict.json", size="[3][32][32]"))
    group.add_argument("--save-png", type=png_name, metavar="OUT", help=tr("cli.predict.save_png"))
    add_runtime_arguments(parser)


@user_errors(PROG)
def run(args: argparse.Namespace) -> int:
    device = setup_torch(args, batch_size=1)  # before torch loads (OpenMP waiting)
    import torch

    from cnn_tui.ml.checkpoints import load_model
    from cnn_tui.ml.own_model import changed_note
    from cnn_tui.ml.predict import predict, to_input
    from cnn_tui.render.safe_text import safe_text

    model, meta = load_model(args.checkpoint)
    if meta.assumed:
        status_line(tr("cli.predict.assumed", checkpoint=args.checkpoint))
    note = changed_note(meta.model)
    if note:
        status_line(tr("cli.eval.warning", note=describe(note)))
    model = model.to(device)
    if args.explain or args.layer is not None or args.save_png is not None or args.json:
        from cnn_tui.commands.predict_explain import explain_images

        return explain_images(args, model, meta)
    size = meta.model.image_size
    loaded, failed = open_images(args.images)
    if loaded:
        batch = torch.stack([to_input(image.pixels, size, meta.resize) for _, image in loaded])
        predictions = predict(model, batch, meta.classes, normalization=meta.normalization, top=args.top)
        for (path, image), prediction in zip(loaded, predictions, strict=True):
            print(f"{safe_text(path)}{resize_note(image.size, size, meta.resize)}")
            labels = [class_label(safe_text(name)) for name in prediction.classes]
            width = max(12, *(cells(label) for label in labels))
            for rank, (label, probability) in enumerate(zip(labels, prediction.probabilities, strict=True), 1):
                print(f"  {rank}. {ljust(label, width)} {probability:6.1%}")
    return 2 if failed else 0
