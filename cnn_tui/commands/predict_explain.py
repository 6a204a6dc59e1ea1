"""`cnn-tui predict --explain / --json / --save-png`: each image's top classes with Grad-CAM and saliency maps.

The maths is `cnn_tui.ml.attribution.explain` (definitions in `cnn-tui predict --help`); this module
only prints (text, JSON lines, or half-block pictures on a terminal) and writes the PNGs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from cnn_tui.commands.options import UserError
from cnn_tui.commands.predict_inputs import open_images, resize_note
from cnn_tui.commands.text_cells import cells, ljust
from cnn_tui.i18n import Phrase, class_label, tr


def png_path(out: Path, index: int, count: int) -> Path:
    """OUT (a name ending in .png) for one image; OUT-1.png, OUT-2.png … for several."""
    if count == 1:
        return out
    return out.with_name(f"{out.stem}-{index}{out.suffix}")


def _rows(values: Any) -> list[list[float]]:
    return [[float(v) for v in row] for row in values.tolist()]


def _peak(values: Any) -> tuple[float, int, int]:
    import numpy as np

    row, col = np.unravel_index(int(np.argmax(values)), values.shape)
    return float(values[row, col]), int(row), int(col)


def _save(path: Path, pixels: Any, explanation: Any) -> None:
    from PIL import Image

    from cnn_tui.core.heatmap import blend, fit, side_by_side

    picture = fit(pixels, 512)
    panels = [blend(picture, explanation.gradcam), blend(picture, explanation.saliency)]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(side_by_side(panels)).save(path, format="PNG")
    except OSError as error:
        raise UserError(Phrase("cli.predict.cannot_write", path=str(path), reason=error.strerror or str(error))) from None


def _draw(pixels32: Any, explanation: Any, classes: tuple[str, ...]) -> None:
    from rich.columns import Columns
    from rich.console import Console

    from cnn_tui.render.heat_view import heat_panel

    console = Console(highlight=False)
    if not console.is_terminal:
        return
    from cnn_tui.render.safe_text import safe_text

    target = class_label(safe_text(classes[explanation.target]))
    h, w = explanation.gradcam.shape
    console.print(
        Columns(
            [
                heat_panel(pixels32, explanation.gradcam, tr("cli.predict.gradcam_title", layer=explanation.layer, height=h, width=w, target=target)),
                heat_panel(pixels32, explanation.saliency, tr("cli.predict.saliency_title", target=target)),
            ],
            padding=(0, 3),
        )
    )


def explain_images(args: argparse.Namespace, model: Any, meta: Any) -> int:
    """Print (or write) the prediction and, with --explain, both maps for every image the arguments name."""
    from cnn_tui.ml.attribution import LayerError, explain, find_layer
    from cnn_tui.ml.predict import network_input, to_input
    from cnn_tui.render.safe_text import safe_text

    explaining = args.explain or args.layer is not None or args.save_png is not None
    try:
        layer, _ = find_layer(model, args.layer)
    except LayerError as error:
        raise UserError(error) from None
    loaded, failed = open_images(args.images)
    size = meta.model.image_size
    for index, (path, image) in enumerate(loaded, 1):
        x = network_input(image.pixels, size, meta.normalization, meta.resize)
        try:
            result = explain(model, x, layer=layer, top=args.top)
        except LayerError as error:
            raise UserError(error) from None
        top = [(meta.classes[i], p) for i, p in result.top]
        target = meta.classes[result.target]
        shown = safe_text(target)  # class names and file names come from files: their controls are shown escaped
        if args.json:
            record: dict[str, Any] = {
                "image": str(path),
                "input": [_rows(channel) for channel in x],
                "top": [{"class": name, "probability": p} for name, p in top],
            }
            if explaining:
                record["gradcam"] = {"layer": result.layer, "class": target, "map": _rows(result.gradcam)}
                record["saliency"] = _rows(result.saliency)
            print(json.dumps(record, ensure_ascii=False))
        else:
            print(f"{safe_text(path)}{resize_note(image.size, size, meta.resize)}")
            labels = [class_label(safe_text(name)) for name, _ in top]
            width = max(12, *(cells(label) for label in labels))
            for rank, (label, (_, probability)) in enumerate(zip(labels, top), 1):
                print(f"  {rank}. {ljust(label, width)} {probability:6.1%}")
            if explaining:
                h, w = result.gradcam.shape
                peak, row, col = _peak(result.gradcam)
                shown = class_label(shown)
                print(tr("cli.predict.gradcam", layer=result.layer, height=h, width=w, target=shown, logit=result.logit,
                         peak=peak, row=row, col=col))
                peak, row, col = _peak(result.saliency)
                print(tr("cli.predict.saliency", side=size, target=shown, peak=peak, row=row, col=col))
                _draw(to_input(image.pixels, size, meta.resize).permute(1, 2, 0).numpy(), result, meta.classes)
        if args.save_png is not None:
            where = png_path(args.save_png, index, len(loaded))
            _save(where, image.pixels, result)
            print(tr("cli.predict.saved", path=safe_text(where)), file=sys.stderr if args.json else sys.stdout)
    return 2 if failed else 0
