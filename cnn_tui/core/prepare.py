"""Everything the Pixels tab needs about an image, computed once in a worker: statistics and the
downsampled copies the first frame and the next zooms will draw."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cnn_tui.config import IMAGE_DEFAULTS
from cnn_tui.core.builtin_images import BUILTIN_IMAGES
from cnn_tui.core.channels import ChannelStats, channel_stats
from cnn_tui.core.downsample import Pyramid
from cnn_tui.core.images import LoadedImage, load_image
from cnn_tui.core.viewport import fit_zoom

# Above this many pixels (a "large image"), the level most zooms are computed from is made in advance;
# below, computing a level from the full image takes a few milliseconds.
WARM_PIXELS = IMAGE_DEFAULTS.large_pixels


@dataclass(frozen=True)
class PreparedImage:
    """An image with its per-channel statistics and its downsampling pyramid."""

    image: LoadedImage
    stats: ChannelStats
    pyramid: Pyramid


def open_source(source: str | Path) -> LoadedImage:
    """A built-in image by name ("test", "black", "white") or an image file by path."""
    if isinstance(source, Path):
        return load_image(source)
    if source not in BUILTIN_IMAGES:
        raise ValueError(f"no built-in image {source!r}: choose one of {', '.join(BUILTIN_IMAGES)}")
    return BUILTIN_IMAGES[source]()


def prepare(image: LoadedImage, cols: int, rows: int) -> PreparedImage:
    """Statistics, and the pyramid level that fits `cols`×`rows` cells (plus level 2 for large images)."""
    pyramid = Pyramid(image.pixels)
    if image.height * image.width > WARM_PIXELS:
        pyramid.warm([2])
    if cols > 0 and rows > 0:
        pyramid.warm([fit_zoom(image.height, image.width, cols, rows).down])
    return PreparedImage(image=image, stats=channel_stats(image.pixels, pyramid.image), pyramid=pyramid)
