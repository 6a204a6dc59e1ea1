"""Training inputs straight from a split's uint8 pixels: random flips and shifts (as airbench does), ÷255 and the
normalisation, for any slice of a batch."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from cnn_tui.ml.dataset import Normalization


@dataclass(frozen=True)
class Draw:
    """One batch's random augmentation: per image, mirrored or not, and its shift (dy, dx) in −crop…crop."""

    mirror: torch.Tensor | None  # bool (n,), None without flips
    dy: torch.Tensor | None  # int64 (n,), None without shifts
    dx: torch.Tensor | None

    def __getitem__(self, part: slice) -> Draw:
        return Draw(*(None if v is None else v[part] for v in (self.mirror, self.dy, self.dx)))


def _reflect(index: torch.Tensor, size: int) -> torch.Tensor:
    """Indices off the edge folded back inside, as reflect padding does (needs |overshoot| < size)."""
    index = index.abs()
    return torch.where(index >= size, 2 * (size - 1) - index, index)


class BatchMaker:
    """A split's images as model inputs: `draw` a batch's augmentation, then `inputs` for any slice of it."""

    def __init__(
        self,
        images: torch.Tensor,
        *,
        normalization: Normalization | None,
        flip: bool,
        crop: int,
        layout: torch.memory_format = torch.channels_last,
    ) -> None:
        n, c, h, w = images.shape
        if crop >= min(h, w):
            raise ValueError(f"a shift of {crop} pixels needs images larger than {h}×{w}")
        self.shape = (c, h, w)
        self.flip, self.crop, self.layout = flip, max(crop, 0), layout
        self.pixels = images.permute(0, 2, 3, 1).reshape(n * h * w, c)  # one row of C bytes per pixel
        # one constant per value of an image's row of H·W·C values; None: exactly ToTensor's ÷255
        self._scale_shift = None
        if normalization is not None:
            scale, shift = normalization.scale_shift(images.device)
            self._scale_shift = (scale.repeat(h * w), shift.repeat(h * w))

    def draw(self, count: int, gen: torch.Generator) -> Draw:
        """A batch's flips and shifts from `gen` (on the CPU, whatever the device)."""
        mirror = torch.rand(count, generator=gen) < 0.5 if self.flip else None
        if not self.crop:
            return Draw(mirror, None, None)
        dy = torch.randint(0, 2 * self.crop + 1, (count,), generator=gen) - self.crop
        dx = torch.randint(0, 2 * self.crop + 1, (count,), generator=gen) - self.crop
        return Draw(mirror, dy, dx)

    def inputs(self, index: torch.Tensor, draw: Draw | None = None) -> torch.Tensor:
        """Float inputs (len(index), C, H, W) in the maker's layout for the images at `index`, augmented by `draw`."""
        c, h, w = self.shape
        n = len(index)
        device = self.pixels.device
        rows = torch.arange(h, device=device).expand(n, h)
        cols = torch.arange(w, device=device).expand(n, w)
        if draw is not None and draw.mirror is not None:
            cols = torch.where(draw.mirror.to(device).view(n, 1), w - 1 - cols, cols)
        if draw is not None and draw.dy is not None and draw.dx is not None:
            rows = _reflect(rows + draw.dy.to(device).view(n, 1), h)
            cols = _reflect(cols + draw.dx.to(device).view(n, 1), w)
        where = index.to(device).view(n, 1, 1) * (h * w) + rows.view(n, h, 1) * w + cols.view(n, 1, w)
        values = self.pixels.index_select(0, where.view(-1)).view(n, h * w * c).float()
        if self._scale_shift is None:
            values.div_(255.0)
        else:
            values.mul_(self._scale_shift[0]).add_(self._scale_shift[1])
        out = values.view(n, h, w, c).permute(0, 3, 1, 2)  # channels-last memory
        return out if self.layout == torch.channels_last else out.contiguous(memory_format=self.layout)
