"""A data set in memory: uint8 image tensors per split, class names, per-channel normalisation, and the float view.

`cnn_tui.ml.data` finds and decodes sources into these; `cnn_tui.ml.synthetic` generates one.
Images stay uint8 in ToTensor's channel order (N, 3, H, W); `to_float` applies ToTensor's
÷255 and, optionally, a per-channel normalisation, batch by batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cnn_tui.i18n import Phrase

import torch


@dataclass(frozen=True)
class Split:
    """One split: uint8 images (N, 3, H, W) as ToTensor orders them, before ÷255, and int64 labels."""

    images: torch.Tensor
    labels: torch.Tensor

    def __len__(self) -> int:
        return int(self.labels.shape[0])

    @property
    def hwc_shape(self) -> tuple[int, ...]:
        """The shape as torchvision's `CIFAR10.data` prints it: (N, H, W, 3)."""
        n, c, h, w = self.images.shape
        return (n, h, w, c)

    def head(self, count: int | None, seed: int = 0) -> Split:
        """`count` images picked at random (same `seed`, same picks), or the whole split for None."""
        if count is None or count >= len(self):
            return self
        order = torch.randperm(len(self), generator=torch.Generator().manual_seed(seed))[:count]
        order, _ = order.sort()
        return Split(self.images[order], self.labels[order])


@dataclass(frozen=True)
class Dataset:
    """Train and test splits with their class names; `source` says where they came from (in English, as runs record
    it; `said`, when given, is the same as a catalogue Phrase, for `source_words`)."""

    name: str
    source: str
    classes: tuple[str, ...]
    train: Split
    test: Split
    photos: Any = None  # a photo folder's PhotoReport (cnn_tui.ml.photo_report): counts, sizes, the resize policy
    said: Phrase | None = None  # where the data came from, as a catalogue phrase (None: `source` as it is)

    @property
    def resize(self) -> str:
        """The resize policy the photos were prepared with ('' when the images came at the network's size)."""
        return str(self.photos.resize) if self.photos is not None else ""

    def source_words(self, lang: str | None = None) -> str:
        """Where the data came from, in `lang` (default: the current language); a path as it is."""
        return self.said.in_language(lang) if self.said is not None else self.source

    @property
    def class_to_idx(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.classes)}

    @property
    def image_shape(self) -> tuple[int, int, int]:
        """(channels, height, width) of every image."""
        return tuple(self.train.images.shape[1:])  # type: ignore[return-value]

    def subset(self, train: int | None = None, test: int | None = None, seed: int = 0) -> Dataset:
        """A smaller data set with `train`/`test` images picked at random (for quick runs and tests)."""
        if train is None and test is None:
            return self
        said = Phrase("cli.data_source.subset", source=self.said or self.source, train=train or len(self.train),
                      test=test or len(self.test))
        return Dataset(
            self.name, str(said), self.classes, self.train.head(train, seed), self.test.head(test, seed),
            photos=self.photos, said=said,
        )

    def facts(self) -> list[str]:
        """The lines the lecture prints about CIFAR-10: classes and the shapes of both splits."""
        return [
            f"classes: {self.class_to_idx}",
            f"train: {self.train.hwc_shape}",
            f"test: {self.test.hwc_shape}",
        ]


@dataclass(frozen=True)
class Normalization:
    """Per-channel mean and standard deviation applied after ÷255 (None anywhere means: not normalised)."""

    mean: tuple[float, float, float]
    std: tuple[float, float, float]

    @classmethod
    def of(cls, split: Split) -> Normalization:
        """Mean and std of a split's pixels in [0, 1], per channel, exactly, from a histogram of the uint8 values."""
        levels = torch.arange(256, dtype=torch.float64) / 255
        mean, std = [], []
        for channel in range(split.images.shape[1]):
            counts = torch.bincount(split.images[:, channel].reshape(-1), minlength=256).double()
            n = counts.sum()
            m = (counts * levels).sum() / n
            mean.append(round(float(m), 4))
            std.append(round(float(((counts * (levels - m) ** 2).sum() / max(1.0, float(n) - 1)).sqrt()), 4))
        return cls(tuple(mean), tuple(std))  # type: ignore[arg-type]

    def scale_shift(self, device: torch.device | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Per-channel float32 (scale, shift) with (v / 255 − mean) / std = v · scale + shift for a uint8 value v.

        A channel whose std is 0 (the same value in every image; or a hand-edited checkpoint JSON) is centred and
        not scaled: dividing by 0 made every input inf, the loss nan and every probability `nan%`."""
        mean = torch.tensor(self.mean, dtype=torch.float64)
        std = torch.tensor(self.std, dtype=torch.float64)
        std = torch.where(torch.isfinite(std) & (std > 0), std, torch.ones_like(std))
        return (1.0 / (255.0 * std)).float().to(device), (-mean / std).float().to(device)

    def to_dict(self) -> dict[str, list[float]]:
        return {"mean": list(self.mean), "std": list(self.std)}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Normalization | None:
        if not data:
            return None
        return cls(tuple(float(v) for v in data["mean"]), tuple(float(v) for v in data["std"]))  # type: ignore[arg-type]


def to_float(images: torch.Tensor, normalization: Normalization | None = None) -> torch.Tensor:
    """ToTensor's ÷255 on a uint8 batch, then the optional normalisation; keeps device and memory format."""
    if normalization is None:
        return images.float().div_(255.0)
    scale, shift = normalization.scale_shift(images.device)
    return images.float().mul_(scale.view(1, -1, 1, 1)).add_(shift.view(1, -1, 1, 1))
