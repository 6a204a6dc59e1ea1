"""The images the Pixels tab can show without any file: the lecture's black and white arrays and the test image."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from cnn_tui.config import DEFAULT_IMAGE_PATH, IMAGE_DEFAULTS
from cnn_tui.core.images import ImageLoadError, LoadedImage, from_array, load_image
from cnn_tui.core.test_image import make_test_image


def black_image(size: int = IMAGE_DEFAULTS.builtin_size) -> LoadedImage:
    """The lecture's `np.zeros([200, 200, 3])`: every value 0, so black."""
    return from_array(np.zeros([size, size, 3]), name=f"np.zeros([{size}, {size}, 3])")


def white_image(size: int = IMAGE_DEFAULTS.builtin_size) -> LoadedImage:
    """The lecture's `np.full([200, 200, 3], 255)`: every value 255, so white."""
    return from_array(np.full([size, size, 3], 255), name=f"np.full([{size}, {size}, 3], 255)")


def default_image(path: Path = DEFAULT_IMAGE_PATH) -> LoadedImage:
    """The shipped test image (cnn_tui/assets/img.png); drawn in memory when the file is missing or unreadable."""
    if path.is_file():
        try:
            return load_image(path)
        except ImageLoadError:
            pass
    pixels = make_test_image(IMAGE_DEFAULTS.test_image_size)
    return from_array(pixels, name=path.name)


# The built-in images in the order the Pixels tab cycles through them.
BUILTIN_IMAGES: dict[str, Callable[[], LoadedImage]] = {
    "test": default_image,
    "black": black_image,
    "white": white_image,
}
