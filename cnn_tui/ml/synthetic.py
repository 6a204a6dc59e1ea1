"""A built-in 10-class set of 32×32 colour images (shapes and textures), the same pixels from a seed on any CPU.

It lets the whole app and the tests train for real without CIFAR-10: five shape classes
(disc, ring, square, triangle, cross) at random positions and sizes, and five texture
classes (stripes three ways, checkerboard, dots) at random periods and phases, each in
random foreground and background colours with pixel noise.
"""

from __future__ import annotations

import math

import torch

from cnn_tui.i18n import Phrase
from cnn_tui.ml.dataset import Dataset, Split

CLASSES = (
    "disc",
    "ring",
    "square",
    "triangle",
    "cross",
    "h-stripes",
    "v-stripes",
    "diagonal",
    "checker",
    "dots",
)
SIZE = 32
TRAIN_SIZE = 5000
TEST_SIZE = 1000
NOISE = 0.08


def _uniform(n: int, low: float, high: float, gen: torch.Generator) -> torch.Tensor:
    return torch.rand(n, 1, 1, generator=gen) * (high - low) + low


def _stripes(periods: torch.Tensor) -> torch.Tensor:
    """The first half of every period: sin(2π·periods) > 0, from exact arithmetic alone."""
    return periods - torch.floor(periods) < 0.5


def _noise(shape: torch.Size, gen: torch.Generator) -> torch.Tensor:
    """Noise with mean 0 and standard deviation 1 from exact arithmetic alone (torch.randn's transcendental
    functions round differently on other CPUs): the centred sum of two uniforms, a triangular distribution."""
    pair = torch.rand((2, *shape), generator=gen)
    return (pair[0] + pair[1] - 1.0) * math.sqrt(6.0)


def _masks(label: int, n: int, gen: torch.Generator) -> torch.Tensor:
    """(n, 32, 32) foreground masks of class `label`."""
    coords = torch.arange(SIZE, dtype=torch.float32)
    y, x = coords.view(1, SIZE, 1), coords.view(1, 1, SIZE)
    if label < 5:  # shapes, centred somewhere in the middle, radius 6..11
        cx, cy = _uniform(n, 10, 22, gen), _uniform(n, 10, 22, gen)
        r = _uniform(n, 6, 11, gen)
        dx, dy = x - cx, y - cy
        dist = torch.sqrt(dx * dx + dy * dy)
        if label == 0:
            return dist < r
        if label == 1:
            return (dist < r) & (dist > r - 3)
        if label == 2:
            return torch.maximum(dx.abs(), dy.abs()) < r * 0.8
        if label == 3:
            return (dy < r * 0.7) & (dx.abs() < (dy + r) * 0.55)
        width = _uniform(n, 1.5, 2.8, gen)
        return ((dx.abs() < width) & (dy.abs() < r)) | ((dy.abs() < width) & (dx.abs() < r))
    period = _uniform(n, 4, 9, gen)
    phase = _uniform(n, 0, 1, gen)  # in periods
    if label == 5:
        return _stripes(y / period + phase)
    if label == 6:
        return _stripes(x / period + phase)
    if label == 7:
        sign = torch.where(torch.rand(n, 1, 1, generator=gen) < 0.5, -1.0, 1.0)
        return _stripes((x + sign * y) / (period * 1.4) + phase)
    if label == 8:
        cell = torch.floor(_uniform(n, 3, 7, gen))
        offset = torch.floor(_uniform(n, 0, 6, gen))
        return (torch.floor((x + offset) / cell) + torch.floor((y + offset) / cell)) % 2 == 0
    spacing = _uniform(n, 6, 10, gen)
    ox, oy = _uniform(n, 0, 10, gen), _uniform(n, 0, 10, gen)
    ddx = torch.remainder(x + ox, spacing) - spacing / 2
    ddy = torch.remainder(y + oy, spacing) - spacing / 2
    return ddx * ddx + ddy * ddy < (spacing * 0.28) ** 2


def _colours(n: int, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Foreground and background colours (n, 3, 1, 1) in [0, 1] that differ clearly in brightness."""
    fg = torch.rand(n, 3, 1, 1, generator=gen)
    bg = torch.rand(n, 3, 1, 1, generator=gen)
    gap = (fg[:, 0:1] + fg[:, 1:2] + fg[:, 2:3]) / 3 - (bg[:, 0:1] + bg[:, 1:2] + bg[:, 2:3]) / 3
    push = torch.where(gap >= 0, 1.0, -1.0) * (0.3 - gap.abs()).clamp(min=0) / 2
    return (fg + push).clamp(0, 1), (bg - push).clamp(0, 1)


def make_split(count: int, seed: int) -> Split:
    """`count` images with balanced, shuffled labels; the same seed gives the same pixels."""
    gen = torch.Generator().manual_seed(seed)
    labels = (torch.arange(count) % len(CLASSES))[torch.randperm(count, generator=gen)]
    images = torch.empty(count, 3, SIZE, SIZE, dtype=torch.uint8)
    for label in range(len(CLASSES)):
        index = (labels == label).nonzero().flatten()
        if len(index) == 0:
            continue
        mask = _masks(label, len(index), gen).unsqueeze(1).float()
        fg, bg = _colours(len(index), gen)
        pixels = mask * fg + (1 - mask) * bg
        pixels += _noise(pixels.shape, gen) * NOISE
        images[index] = (pixels.clamp(0, 1) * 255).round().to(torch.uint8)
    return Split(images, labels)


def make_synthetic(train: int = TRAIN_SIZE, test: int = TEST_SIZE, seed: int = 0) -> Dataset:
    """The synthetic data set; train and test come from different seeds so they never share an image."""
    said = Phrase("cli.data_source.synthetic", seed=seed, train=train, test=test)
    return Dataset(
        name="synthetic",
        source=str(said),
        classes=CLASSES,
        train=make_split(train, seed * 2 + 1),
        test=make_split(test, seed * 2 + 2),
        said=said,
    )
