"""`cnn-tui predict IMAGE…`: the top classes, with probabilities, that a trained checkpoint sees in each image,
and with --explain where it looked (Grad-CAM and gradient saliency).

Images of any size are resized to the network's input (32×32 for the lecture's): by the policy the checkpoint
records for a network trained on photos (crop: shorter side, then the centre; squash; pad), else squashed
(bilinear, antialiased) as CIFAR-10's images are; then divided by 255 and normalised with the mean and std recorded in the checkpoint's JSON (if it trained so).

--explain, for the top-1 class's logit y (its score before the softmax), with the model in eval mode:
  Grad-CAM   at the output A (C×h×w) of the module --layer names, as a forward hook sees it (default: the
             last Conv2d): ReLU(Σ_k α_k A_k) with α_k the mean over positions of ∂y/∂A_k; an h×w map at the
             layer's own resolution, not normalised (units of the logit)
  saliency   max over the 3 colour channels of |∂y/∂x| for the network's input x: a 32×32 map

Examples:
  cnn-tui predict cnn_tui/assets/img.png
  cnn-tui predict cat.jpg dog.png --top 5 --checkpoint models/image_classification.pth
  cnn-tui predict cat.jpg --explain --layer conv1 --save-png cat-explained.png
  cnn-tui predict cat.jpg --explain --json > cat.json
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
from cnn_tui.config import TRAIN_DEFAULTS


def png_name(text: str) -> Path:
    """--save-png's OUT: the file is PNG, so its name must end in .png (a .jpg holding PNG bytes misleads every viewer)."""
    path = Path(text)
    if path.suffix.lower() != ".png":
        raise argparse.ArgumentTypeError(
            f"{text!r}: the picture is written as PNG, so the name must end in .png (e.g. {str(path.with_suffix('.png'))!r})"
        )
    return path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (parser.description or "") + "\n\n" + (__doc__ or "").split("\n", 3)[3]
    parser.add_argument("images", nargs="+", type=Path, metavar="IMAGE", help="image files Pillow can read")
    add_checkpoint_argument(parser, "the weights to use")
    parser.add_argument(
        "--top", type=positive_int, default=TRAIN_DEFAULTS.top, metavar="K", help="classes shown per image (default: %(default)s)"
    )
    group = parser.add_argument_group("explain (where the network looked)")
    group.add_argument("--explain", action="store_true", help="Grad-CAM and saliency maps for the top-1 class (see above)")
    group.add_argument(
        "--layer", metavar="NAME", help="the module whose output Grad-CAM uses, e.g. conv1 (default: the last Conv2d); implies --explain"
    )
    group.add_argument(
        "--json", action="store_true",
        help='one JSON object per image and line: {"image", "input" ([3][32][32] as fed to the network), '
        '"top" ([{"class", "probability"}]), with --explain also "gradcam" ({"layer", "class", "map"}) and "saliency"}',
    )
    group.add_argument(
        "--save-png", type=png_name, metavar="OUT",
        help="write the image with the Grad-CAM map (left) and the saliency map (right) blended in, viridis from 0 to "
        "each map's largest value, as a PNG file: OUT must end in .png (out.jpg is refused, not written as PNG bytes); "
        "several images: OUT-1.png, OUT-2.png … ; implies --explain",
    )
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
        status_line(f"no metadata beside {args.checkpoint}: assuming the lecture's network and CIFAR-10 classes")
    note = changed_note(meta.model)
    if note:
        status_line(f"warning: {note}")
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
            for rank, (name, probability) in enumerate(zip(prediction.classes, prediction.probabilities, strict=True), 1):
                print(f"  {rank}. {safe_text(name):<12} {probability:6.1%}")
    return 2 if failed else 0
