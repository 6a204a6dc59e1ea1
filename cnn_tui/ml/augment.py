"""Data augmentation on whole uint8 batches (as airbench does): random horizontal flips and random translations.

Both are done by one `gather` over the reflect-padded batch: output pixel (y, x) of image i
comes from padded pixel (y + dy_i, x' + dx_i), where x' is x or its mirror image.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def augment(images: torch.Tensor, *, flip_images: bool, crop: int, gen: torch.Generator) -> torch.Tensor:
    """Mirror a random half of the batch left-right and shift each image by up to `crop` pixels each way.

    A shift is a random crop of the image padded by `crop` pixels with reflection. The
    generator (on the CPU) makes it repeatable; `images` may live on any device.
    """
    if not flip_images and crop <= 0:
        return images
    n, c, h, w = images.shape
    device = images.device
    pad = max(crop, 0)
    padded = F.pad(images, (pad, pad, pad, pad), mode="reflect") if pad else images
    cols = torch.arange(w).expand(n, w)
    if flip_images:
        mirror = torch.rand(n, generator=gen) < 0.5
        cols = torch.where(mirror.view(n, 1), w - 1 - cols, cols)
    rows = torch.arange(h).expand(n, h)
    if pad:
        rows = rows + torch.randint(0, 2 * pad + 1, (n, 1), generator=gen)
        cols = cols + torch.randint(0, 2 * pad + 1, (n, 1), generator=gen)
    index = (rows.view(n, h, 1) * (w + 2 * pad) + cols.view(n, 1, w)).view(n, 1, h * w).to(device)
    return padded.flatten(2).gather(2, index.expand(n, c, h * w)).view(n, c, h, w)
