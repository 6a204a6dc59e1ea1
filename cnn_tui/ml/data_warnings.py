"""What a data set holds that training cannot use, said as what it is: classes without a training image, and
channels that are the same in every training image (standard deviation 0, which normalising cannot scale)."""

from __future__ import annotations

import torch

from cnn_tui.i18n import Phrase
from cnn_tui.ml.dataset import Dataset

CHANNEL_LETTERS = ("R", "G", "B")


def _channel(index: int, channels: int) -> str:
    return CHANNEL_LETTERS[index] if channels == len(CHANNEL_LETTERS) else str(index)


def data_warnings(data: Dataset) -> list[Phrase]:
    """One Phrase per class with no training image and per channel with a single value in every training image."""
    counts = torch.bincount(data.train.labels, minlength=len(data.classes)).tolist()
    warnings = [Phrase("warning.data.empty_class", name=name) for name, count in zip(data.classes, counts) if count == 0]
    images = data.train.images
    if len(images):
        channels = images.shape[1]
        low = images.amin(dim=(0, 2, 3)).tolist()
        high = images.amax(dim=(0, 2, 3)).tolist()
        warnings += [
            Phrase("warning.data.constant_channel", channel=_channel(c, channels), value=low[c])
            for c in range(channels)
            if low[c] == high[c]
        ]
    return warnings
