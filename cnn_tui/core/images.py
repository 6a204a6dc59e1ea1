"""Load any image Pillow can open into an H×W×3 uint8 array."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError


class ImageLoadError(ValueError):
    """The file could not be read as an image; the message says why."""


@dataclass(frozen=True)
class LoadedImage:
    """An image as the lecture sees it: pixels (H, W, 3) uint8, plus where it came from."""

    pixels: np.ndarray
    name: str
    mode: str
    size: tuple[int, int]

    @property
    def shape(self) -> tuple[int, int, int]:
        return tuple(self.pixels.shape)  # type: ignore[return-value]


def load_image(path: str | Path) -> LoadedImage:
    """Read `path` to RGB uint8; raises ImageLoadError with a readable reason."""
    path = Path(path)
    try:
        with Image.open(path) as image:
            mode, size = image.mode, image.size
            rgb = ImageOps.exif_transpose(image).convert("RGB")
            pixels = np.asarray(rgb, dtype=np.uint8)
    except FileNotFoundError:
        raise ImageLoadError("no such file") from None
    except IsADirectoryError:
        raise ImageLoadError("it is a directory, not an image file") from None
    except PermissionError:
        raise ImageLoadError("permission denied") from None
    except UnidentifiedImageError:
        raise ImageLoadError("not an image Pillow can read") from None
    except Image.DecompressionBombError as error:
        raise ImageLoadError(f"too large to open safely ({error})") from None
    except (OSError, SyntaxError, ValueError) as error:
        raise ImageLoadError(f"the file is damaged or truncated ({error})") from None
    return LoadedImage(pixels=pixels, name=path.name, mode=mode, size=size)
