"""A channel's top patches for the app: the checkpoint and its test images read, the layer's maxima (cached), the patches.

The same pieces as `cnn-tui top-patches` (`cnn_tui.ml.top_patches`: one pass, cached per checkpoint,
test images and layer); the test images are those of the data the network was trained on, read as
the Feature maps tab reads its samples (never downloaded). Each patch comes with its test image (H×W×3
uint8) and its class, for drawing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from cnn_tui.ml.checkpoints import CheckpointMeta, load_model
from cnn_tui.ml.data import DataSourceError, load_dataset
from cnn_tui.ml.data_home import find_data_home
from cnn_tui.ml.photo_reader import PhotoOptions
from cnn_tui.ml.receptive_field import geometry_chain
from cnn_tui.ml.top_patches import Patch, TopPatchesError, cache_path, layer_maxima, read_cached, top_patches, top_units, write_cached

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ChannelPatches:
    """The `top` test images that excite `channel` of `layer` most, of `images` test images: each patch, its
    image (H×W×3 uint8) and its class name."""

    layer: str
    channel: int
    images: int
    patches: tuple[Patch, ...]
    pictures: tuple[np.ndarray, ...]
    classes: tuple[str, ...]


def test_images(meta: CheckpointMeta, data_dir: Path) -> tuple[torch.Tensor, torch.Tensor, tuple[str, ...] | None]:
    """The test split (uint8 images, labels) of the data the network was trained on, and each image's file for a
    photo folder; TopPatchesError when it cannot be read here (CIFAR-10 is never downloaded for this)."""
    from cnn_tui.ml import synthetic

    classes = tuple(meta.classes)
    if classes == synthetic.CLASSES:  # its test split alone (the same images as the whole set's)
        test = synthetic.make_synthetic(train=1).test
        return test.images, test.labels, None
    sources: list[Path | None] = []
    if meta.data and Path(meta.data).exists():
        sources.append(Path(meta.data))
    sources.append(None)
    for source in sources:
        try:
            data = load_dataset(source, data_dir, download=False, photos=PhotoOptions.recorded(meta))
        except (DataSourceError, OSError, ValueError):
            continue
        if tuple(data.classes) == classes:
            photos = getattr(data, "photos", None)
            files = tuple(photos.test_files) if photos is not None and len(photos.test_files) == len(data.test) else None
            return data.test.images, data.test.labels, files
    raise TopPatchesError("error.top_patches.no_data", data=meta.data or "CIFAR-10")


def channel_patches(
    checkpoint: Path, data_dir: Path, layer: str, channel: int, top: int = 9, progress: Progress | None = None
) -> ChannelPatches:
    """The channel's top patches (CheckpointError, ReceptiveFieldError or TopPatchesError say why there are none)."""
    model, meta = load_model(checkpoint)
    images, labels, files = test_images(meta, data_dir)
    chain = geometry_chain(model, tuple(images.shape[1:]))
    chain.receptive_field(layer, (0, 0))  # the layer exists and has maps
    top_units(layer_maxima(model, images[:1], layer, normalization=meta.normalization), channel, 1)  # and the channel
    path = cache_path(find_data_home(data_dir).cache, checkpoint, images, layer)
    maxima = read_cached(path)
    if maxima is None:
        maxima = layer_maxima(model, images, layer, normalization=meta.normalization, progress=progress)
        try:
            write_cached(path, maxima)
        except OSError:
            pass  # a read-only cache only means the next time makes the pass again
    found = top_patches(maxima, chain, layer, channel, top, files=files)
    pictures = tuple(images[p.index].permute(1, 2, 0).numpy().copy() for p in found)
    names = tuple(meta.classes[int(labels[p.index])] for p in found)
    return ChannelPatches(layer, channel, len(images), tuple(found), pictures, names)
