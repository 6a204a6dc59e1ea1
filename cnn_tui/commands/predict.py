"""`cnn-tui predict IMAGE…`: the top classes, with probabilities, that a trained checkpoint sees in each image.

Images of any size are resized to the network's 32×32 input (bilinear, antialiased), as CIFAR-10's images are.

Examples:
  cnn-tui predict data/img.png
  cnn-tui predict cat.jpg dog.png --top 5 --checkpoint models/image_classification.pth
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cnn_tui.commands.options import add_checkpoint_argument, add_runtime_arguments, positive_int, setup_torch, status_line, user_errors
from cnn_tui.config import TRAIN_DEFAULTS

PROG = "cnn-tui predict"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (parser.description or "") + "\n\n" + (__doc__ or "").split("\n", 2)[2]
    parser.add_argument("images", nargs="+", type=Path, metavar="IMAGE", help="image files Pillow can read")
    add_checkpoint_argument(parser, "the weights to use")
    parser.add_argument(
        "--top", type=positive_int, default=TRAIN_DEFAULTS.top, metavar="K", help="classes shown per image (default: %(default)s)"
    )
    add_runtime_arguments(parser)


@user_errors(PROG)
def run(args: argparse.Namespace) -> int:
    import torch

    from cnn_tui.core.images import ImageLoadError, load_image
    from cnn_tui.ml.checkpoints import load_model
    from cnn_tui.ml.predict import predict, to_input

    device = setup_torch(args)
    model, meta = load_model(args.checkpoint)
    if meta.assumed:
        status_line(f"no metadata beside {args.checkpoint}: assuming the lecture's network and CIFAR-10 classes")
    size = meta.model.image_size
    failed = 0
    loaded: list[tuple[Path, tuple[int, int], torch.Tensor]] = []
    for path in args.images:
        try:
            image = load_image(path)
        except ImageLoadError as error:
            print(f"{PROG}: cannot open {str(path)!r}: {error}", file=sys.stderr)
            failed += 1
            continue
        loaded.append((path, image.size, to_input(image.pixels, size)))
    if loaded:
        batch = torch.stack([tensor for _, _, tensor in loaded])
        predictions = predict(model.to(device), batch, meta.classes, normalization=meta.normalization, top=args.top)
        for (path, (width, height), _), prediction in zip(loaded, predictions, strict=True):
            note = "" if (width, height) == (size, size) else f" (resized from {width}×{height} to {size}×{size})"
            print(f"{path}{note}")
            for rank, (name, probability) in enumerate(zip(prediction.classes, prediction.probabilities, strict=True), 1):
                print(f"  {rank}. {name:<12} {probability:6.1%}")
    return 2 if failed else 0
