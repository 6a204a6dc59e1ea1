"""Top patches: the test images that excite one channel of a layer most, the unit where, and the patch it sees."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from cnn_tui.i18n import LocalizedError
from cnn_tui.ml.dataset import Normalization, to_float
from cnn_tui.ml.receptive_field import GeometryChain

CACHE_VERSION = 1
Progress = Callable[[int, int], None]  # (images done, images in all)


class TopPatchesError(LocalizedError, ValueError):
    """A channel or layer that top patches cannot be found for."""


@dataclass(frozen=True)
class LayerMaxima:
    """For each image (N) and channel (C) of one layer: the strongest activation and the unit where it is."""

    values: np.ndarray  # (N, C) float32
    where: np.ndarray  # (N, C) int32: row × width + col of the maps
    shape: tuple[int, int]  # the layer's maps (h, w)

    @property
    def channels(self) -> int:
        return int(self.values.shape[1])


@dataclass(frozen=True)
class Patch:
    """One of a channel's top images: its index in the test split, the unit, its activation and the box it sees
    (top, left, bottom, right; inclusive); `file` is the image's file for an image-folder data set."""

    index: int
    unit: tuple[int, int]
    activation: float
    box: tuple[int, int, int, int]
    file: str | None = None

    def to_json(self) -> dict[str, object]:
        item: dict[str, object] = {"index": self.index}
        if self.file is not None:
            item["file"] = self.file
        item.update(unit=list(self.unit), activation=self.activation, box=list(self.box))
        return item


class _Reached(Exception):
    """Raised by the hook once the layer's output is taken: the rest of the network is not run."""


@torch.inference_mode()
def layer_maxima(
    model: nn.Module,
    images: torch.Tensor,
    layer: str,
    *,
    normalization: Normalization | None = None,
    batch_size: int = 1000,
    progress: Progress | None = None,
) -> LayerMaxima:
    """One pass over uint8 `images` (N, 3, H, W): per image and channel the largest value of `layer`'s maps."""
    module = dict(model.named_modules())[layer]
    device = next(model.parameters()).device
    taken: list[torch.Tensor] = []

    def hook(_module: nn.Module, _inputs: tuple, output: torch.Tensor) -> None:
        taken.append(output[0] if isinstance(output, tuple) else output)
        raise _Reached

    values, where, shape = [], [], (0, 0)
    was_training = model.training
    model.eval()
    handle = module.register_forward_hook(hook)
    try:
        for start in range(0, len(images), batch_size):
            batch = to_float(images[start : start + batch_size].to(device), normalization)
            try:
                model(batch)
            except _Reached:
                pass
            maps = taken.pop()
            shape = (int(maps.shape[-2]), int(maps.shape[-1]))
            best, position = maps.flatten(2).max(dim=2)
            values.append(best.float().cpu().numpy())
            where.append(position.to(torch.int32).cpu().numpy())
            if progress is not None:
                progress(min(start + batch_size, len(images)), len(images))
    finally:
        handle.remove()
        model.train(was_training)
    return LayerMaxima(np.concatenate(values), np.concatenate(where), shape)


def top_units(maxima: LayerMaxima, channel: int, top: int) -> list[tuple[int, tuple[int, int], float]]:
    """(image index, unit, activation) of the `top` images whose strongest unit of `channel` is largest."""
    if not 0 <= channel < maxima.channels:
        raise TopPatchesError("error.top_patches.channel", channel=channel, channels=maxima.channels, last=maxima.channels - 1)
    column = maxima.values[:, channel]
    order = np.lexsort((np.arange(len(column)), -column))[:top]  # largest first; ties: the lower index first
    width = maxima.shape[1]
    return [
        (int(i), (int(maxima.where[i, channel]) // width, int(maxima.where[i, channel]) % width), float(column[i]))
        for i in order
    ]


def top_patches(
    maxima: LayerMaxima,
    chain: GeometryChain,
    layer: str,
    channel: int,
    top: int,
    *,
    indices: Sequence[int] | None = None,
    files: Sequence[str] | None = None,
) -> list[Patch]:
    """The channel's top images with each unit's receptive-field box. `indices` maps the rows of the maxima to
    the images' indices in the test split (when only some were passed); `files` gives each test image's file."""
    patches = []
    for row, unit, activation in top_units(maxima, channel, top):
        index = int(indices[row]) if indices is not None else row
        box = chain.receptive_field(layer, unit).box
        patches.append(Patch(index, unit, activation, box, files[index] if files is not None else None))
    return patches


def cache_path(cache_dir: Path, checkpoint: Path, images: torch.Tensor, layer: str) -> Path:
    """Where the maxima of `layer` for this checkpoint's content and these images are kept."""
    digest = hashlib.sha256(f"{CACHE_VERSION}\0{layer}\0".encode())
    digest.update(hashlib.sha256(checkpoint.read_bytes()).digest())
    digest.update(str(tuple(images.shape)).encode())
    digest.update(hashlib.sha256(images.contiguous().numpy()).digest())
    return cache_dir / f"top-patches-{digest.hexdigest()[:24]}.npz"


def read_cached(path: Path) -> LayerMaxima | None:
    """The maxima kept at `path`, or None when there are none (or the file cannot be read: it is made again)."""
    try:
        with np.load(path, allow_pickle=False) as stored:
            values, where, shape = stored["values"], stored["where"], stored["shape"]
    except (OSError, ValueError, KeyError):
        return None
    if values.ndim != 2 or where.shape != values.shape or shape.shape != (2,):
        return None
    return LayerMaxima(values.astype(np.float32), where.astype(np.int32), (int(shape[0]), int(shape[1])))


def write_cached(path: Path, maxima: LayerMaxima) -> None:
    """Keep the maxima at `path` (written to a temporary name, then renamed, so a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial.npz")
    np.savez(partial, values=maxima.values, where=maxima.where, shape=np.array(maxima.shape))
    partial.replace(path)
