"""Data augmentation on whole uint8 batches (as airbench does): random horizontal flips and random translations."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def flip(images: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Mirror a random half of the batch left-right."""
    mask = torch.rand(images.shape[0], generator=gen) < 0.5
    return torch.where(mask.to(images.device).view(-1, 1, 1, 1), images.flip(3), images)


def translate(images: torch.Tensor, pad: int, gen: torch.Generator) -> torch.Tensor:
    """Shift each image by up to `pad` pixels each way (a random crop of the reflect-padded image)."""
    if pad <= 0:
        return images
    n, c, h, w = images.shape
    padded = F.pad(images, (pad, pad, pad, pad), mode="reflect")
    dy = torch.randint(0, 2 * pad + 1, (n,), generator=gen).to(images.device)
    dx = torch.randint(0, 2 * pad + 1, (n,), generator=gen).to(images.device)
    rows = (dy.view(n, 1) + torch.arange(h, device=images.device)).view(n, 1, h, 1).expand(n, c, h, w + 2 * pad)
    cropped = padded.gather(2, rows)
    cols = (dx.view(n, 1) + torch.arange(w, device=images.device)).view(n, 1, 1, w).expand(n, c, h, w)
    return cropped.gather(3, cols)


def augment(images: torch.Tensor, *, flip_images: bool, crop: int, gen: torch.Generator) -> torch.Tensor:
    """Apply the recipe's augmentation to a uint8 batch; the generator makes it repeatable."""
    if flip_images:
        images = flip(images, gen)
    if crop:
        images = translate(images, crop, gen)
    return images
