"""The teaching test image: 640×640×3 uint8, drawn from arithmetic alone, so it is the same everywhere."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

BARS: tuple[tuple[int, int, int], ...] = (
    (255, 255, 255),
    (255, 255, 0),
    (0, 255, 255),
    (0, 255, 0),
    (255, 0, 255),
    (255, 0, 0),
    (0, 0, 255),
    (0, 0, 0),
)


def make_test_image(size: int = 640) -> np.ndarray:
    """The test image at `size`×`size` (a multiple of 16; 640 is the lecture's size)."""
    if size < 64 or size % 16:
        raise ValueError(f"size must be a multiple of 16 and at least 64, got {size}")
    image = np.zeros((size, size, 3), dtype=np.uint8)
    quarter, half = size // 4, size // 2
    _colour_bars(image[:quarter])
    _ramps(image[quarter:half])
    _shapes(image[half:, :half])
    _textures(image[half:, half:])
    return image


def _colour_bars(band: np.ndarray) -> None:
    width = band.shape[1] // len(BARS)
    for index, colour in enumerate(BARS):
        end = band.shape[1] if index == len(BARS) - 1 else (index + 1) * width
        band[:, index * width : end] = colour


def _ramps(band: np.ndarray) -> None:
    height, width = band.shape[:2]
    ramp = (np.arange(width) * 255 + (width - 1) // 2) // (width - 1)  # 0 … 255 exactly
    step = height // 4
    for channel in range(3):
        band[channel * step : (channel + 1) * step, :, channel] = ramp
    band[3 * step :, :, :] = ramp[:, None]


def _shapes(tile: np.ndarray) -> None:
    size = tile.shape[0]
    tile[:] = 128
    y, x = np.mgrid[0:size, 0:size]
    s = size / 320  # drawn for a 320×320 tile, scaled to fit
    # red disc
    tile[(y - 80 * s) ** 2 + (x - 80 * s) ** 2 <= (55 * s) ** 2] = (255, 0, 0)
    # green triangle, apex up
    apex_x, top, bottom = 240 * s, 25 * s, 135 * s
    inside = (y >= top) & (y <= bottom) & (np.abs(x - apex_x) <= (y - top) * 0.6)
    tile[inside] = (0, 255, 0)
    # blue square
    tile[int(180 * s) : int(290 * s), int(25 * s) : int(135 * s)] = (0, 0, 255)
    # black and white halves with a hard vertical edge, and a ring across it
    tile[int(180 * s) : int(290 * s), int(185 * s) : int(240 * s)] = 0
    tile[int(180 * s) : int(290 * s), int(240 * s) : int(295 * s)] = 255
    ring = (y - 235 * s) ** 2 + (x - 240 * s) ** 2
    tile[(ring >= (30 * s) ** 2) & (ring <= (40 * s) ** 2)] = (255, 255, 0)


def _textures(tile: np.ndarray) -> None:
    size = tile.shape[0]
    part = size // 2
    y, x = np.mgrid[0:part, 0:part]
    # 1-pixel checkerboard
    tile[:part, :part] = np.where(((x + y) % 2 == 0)[:, :, None], 255, 0)
    # vertical stripes 1, 2, 4 and 8 pixels wide, one band each
    stripes = tile[:part, part:]
    band = part // 4
    for index, width in enumerate((1, 2, 4, 8)):
        on = ((x[:band] // width) % 2 == 0)[:, :, None]
        stripes[index * band : (index + 1) * band] = np.where(on, 255, 0)
    # 2×2 mosaic of red, green, blue and white
    mosaic = tile[part:, :part]
    mosaic[0::2, 0::2] = (255, 0, 0)
    mosaic[0::2, 1::2] = (0, 255, 0)
    mosaic[1::2, 0::2] = (0, 0, 255)
    mosaic[1::2, 1::2] = (255, 255, 255)
    # zone plate: cos(k r²), finer rings further out
    centre = (part - 1) / 2
    radius2 = (y - centre) ** 2 + (x - centre) ** 2
    plate = np.rint(127.5 + 127.5 * np.cos(np.pi * radius2 / part)).astype(np.uint8)
    tile[part:, part:] = plate[:, :, None]


def save_test_image(path: Path, size: int = 640) -> Path:
    """Write the test image to `path` as PNG (lossless, so every value survives)."""
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(make_test_image(size)).save(path, format="PNG", optimize=True)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cnn_tui.core.test_image", description="Write the teaching test image as a PNG."
    )
    parser.add_argument("output", type=Path, help="where to write the PNG, e.g. cnn_tui/assets/img.png")
    parser.add_argument("--size", type=int, default=640, help="side in pixels, a multiple of 16 (default: 640)")
    args = parser.parse_args(argv)
    try:
        save_test_image(args.output, args.size)
    except (ValueError, OSError) as error:
        print(f"test_image: {error}", file=sys.stderr)
        return 2
    print(f"wrote {args.output} ({args.size}×{args.size}×3)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
