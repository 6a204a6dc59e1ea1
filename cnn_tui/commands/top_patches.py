"""`cnn-tui top-patches`: the test images that excite one channel of a layer most, the unit where and the patch it sees (help in locales/cli_new_commands.toml)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from cnn_tui.commands.options import (
    UserError,
    add_checkpoint_argument,
    add_data_arguments,
    add_runtime_arguments,
    batch_size,
    load_data,
    number_in,
    setup_torch,
    user_errors,
)
from cnn_tui.i18n import Phrase, language, tr

PROG = "cnn-tui top-patches"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (parser.description or "") + "\n\n" + tr("cli.top_patches.about")
    add_checkpoint_argument(parser, tr("cli.top_patches.checkpoint"))
    parser.add_argument("--layer", required=True, metavar="NAME", help=tr("cli.top_patches.layer"))
    parser.add_argument("--channel", required=True, type=number_in(0, whole=True), metavar="K", help=tr("cli.top_patches.channel"))
    parser.add_argument("--top", type=number_in(1, 10_000, whole=True), default=9, metavar="N", help=tr("cli.top_patches.top"))
    parser.add_argument("--json", action="store_true", help=tr("cli.top_patches.json"))
    parser.add_argument("--batch-size", type=batch_size, default=1000, help=tr("cli.top_patches.batch_size"))
    add_data_arguments(parser)
    add_runtime_arguments(parser)


def _source(args: argparse.Namespace, meta: object) -> str | None:
    """The data the network was trained on, unless --data names other data."""
    from cnn_tui.ml import synthetic

    if args.data is not None:
        return args.data
    if tuple(meta.classes) == synthetic.CLASSES:  # type: ignore[attr-defined]
        return "synthetic"
    recorded = getattr(meta, "data", "")
    return recorded if recorded and Path(recorded).exists() else None


def _files(args: argparse.Namespace, source: str | None, data: object) -> list[str] | None:
    """Each test image's file, for a folder of photos (else None): as the photo reader recorded them, so a skipped
    or nested file cannot shift the names against the images."""
    from cnn_tui.ml.data import resolve_source

    photos = getattr(data, "photos", None)
    if photos is None or len(photos.test_files) != len(data.test):  # type: ignore[attr-defined]
        return None
    resolved = resolve_source(source, args.data_dir, download=False)
    return [str(resolved.path / name) for name in photos.test_files]


def _maxima(args: argparse.Namespace, model: object, images: object, meta: object) -> object:
    """The layer's maxima from the cache, or from one pass with a progress bar on the terminal (then cached)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from cnn_tui.ml.data_home import find_data_home
    from cnn_tui.ml.top_patches import cache_path, layer_maxima, read_cached, write_cached

    path = cache_path(find_data_home(args.data_dir).cache, args.checkpoint, images, args.layer)  # type: ignore[arg-type]
    found = None if args.no_cache else read_cached(path)
    if found is not None:
        return found
    console = Console(stderr=True)
    with Progress(
        TextColumn(args.layer), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True, disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task("pass", total=len(images))  # type: ignore[arg-type]
        maxima = layer_maxima(
            model, images, args.layer, normalization=meta.normalization, batch_size=args.batch_size,  # type: ignore[arg-type, attr-defined]
            progress=lambda done, _total: bar.update(task, completed=done),
        )
    if not args.no_cache:
        try:
            write_cached(path, maxima)
        except OSError:
            pass  # a read-only cache only means the next run makes the pass again
    return maxima


@user_errors(PROG)
def run(args: argparse.Namespace) -> int:
    lang = language()  # the command line's: --lang anywhere, or LANG (cnn_tui.cli)
    device = setup_torch(args, args.batch_size)  # before torch loads (OpenMP waiting)
    import torch

    from cnn_tui.ml.checkpoints import load_model
    from cnn_tui.ml.dataset import Split
    from cnn_tui.ml.receptive_field import ReceptiveFieldError, geometry_chain
    from cnn_tui.ml.top_patches import TopPatchesError, layer_maxima, top_patches, top_units

    model, meta = load_model(args.checkpoint)
    model = model.to(device)
    source = _source(args, meta)
    limit, args.test_limit = args.test_limit, None
    data = load_data(args, source)
    if tuple(data.classes) != tuple(meta.classes):
        raise UserError(
            Phrase("cli.eval.other_classes", checkpoint=args.checkpoint, trained=", ".join(meta.classes), data=", ".join(data.classes))
        )
    count = len(data.test)
    picked = Split(torch.arange(count), torch.arange(count)).head(limit).labels  # --test-limit's images, by index
    images = data.test.images[picked] if limit else data.test.images
    try:
        chain = geometry_chain(model, tuple(data.image_shape))
        chain.receptive_field(args.layer, (0, 0))  # the layer exists and has maps: said before the pass
        one = layer_maxima(model, images[:1], args.layer, normalization=meta.normalization)
        top_units(one, args.channel, 1)  # and the channel is one of its channels
        maxima = _maxima(args, model, images, meta)
        found = top_patches(
            maxima, chain, args.layer, args.channel, args.top,  # type: ignore[arg-type]
            indices=picked.tolist() if limit else None, files=_files(args, source, data),
        )
    except (ReceptiveFieldError, TopPatchesError) as error:
        from cnn_tui.render.safe_text import safe_text

        print(f"{PROG}: {safe_text(error.in_language(lang))}", file=sys.stderr)
        return 2
    if args.json:
        items = [patch.to_json() for patch in found]
        print(json.dumps({"layer": args.layer, "channel": args.channel, "images": len(images), "items": items}))
        return 0
    from cnn_tui.render.safe_text import safe_text
    from cnn_tui.render.top_patches import patch_lines

    rows = [(patch, data.classes[int(data.test.labels[patch.index])]) for patch in found]
    for line in patch_lines(args.layer, args.channel, len(images), rows, lang):
        print(safe_text(line))
    return 0
