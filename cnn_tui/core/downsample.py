"""Area-averaged downsampling by integer factors, with the results kept for the next redraw."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

import numpy as np
from PIL import Image


def downsample(pixels: np.ndarray, factor: int) -> np.ndarray:
    """Each factor×factor block of an H×W×3 uint8 image becomes its mean (Pillow's `reduce`, within 1
    of the exact mean); partial blocks at the right and bottom edges average the pixels they have.
    Output is ⌈H/f⌉×⌈W/f⌉×3."""
    if factor < 1:
        raise ValueError(f"the downsampling factor must be at least 1, got {factor}")
    if factor == 1:
        return pixels
    return np.asarray(Image.fromarray(pixels).reduce(factor))


class Pyramid:
    """An image and its downsampled copies: each factor is computed once, from the largest cached
    factor that divides it where that is exact up to rounding (an average of full-block averages
    is the block average), so zooming out on a huge image does not read every pixel again."""

    def __init__(self, pixels: np.ndarray, keep: int = 6) -> None:
        self.pixels = pixels
        self._keep = keep
        self._levels: OrderedDict[int, np.ndarray] = OrderedDict()
        self._image: Image.Image | None = None  # the full image as Pillow sees it, made once

    @property
    def image(self) -> Image.Image:
        """The full image as a Pillow image (made once; levels and histograms are computed from it)."""
        if self._image is None:
            self._image = Image.fromarray(self.pixels)
        return self._image

    def warm(self, factors: Iterable[int]) -> None:
        """Compute these levels now (in a worker), so that zooming later does not."""
        for factor in factors:
            self.level(factor)

    def level(self, factor: int) -> np.ndarray:
        """The image downsampled by `factor` (area average)."""
        if factor <= 1:
            return self.pixels
        if factor in self._levels:
            self._levels.move_to_end(factor)
            return self._levels[factor]
        base = max((f for f in self._levels if factor % f == 0 and self._exact(f)), default=1)
        if base == 1:
            result = np.asarray(self.image.reduce(factor))
        else:
            result = downsample(self._levels[base], factor // base)
        self._levels[factor] = result
        while len(self._levels) > self._keep:
            self._levels.popitem(last=False)
        return result

    def _exact(self, factor: int) -> bool:
        """Reusing a level is exact only when its blocks are all full (no partial edge blocks)."""
        height, width = self.pixels.shape[:2]
        return height % factor == 0 and width % factor == 0
