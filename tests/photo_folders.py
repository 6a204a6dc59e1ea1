"""Generated folders of "own photos" for the tests: classes of one colour each, in many sizes, modes and formats."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

COLOURS = {
    "red": (220, 30, 30), "green": (30, 200, 40), "blue": (30, 40, 220), "yellow": (230, 220, 40),
    "cyan": (40, 210, 220), "magenta": (210, 40, 200), "grey": (128, 128, 128),
}
SAVES = ("jpg", "png", "webp", "bmp", "tiff", "gif")


def photo(colour: tuple[int, int, int], width: int, height: int, seed: int = 0) -> Image.Image:
    """An RGB photo of one colour with a little noise."""
    rng = np.random.default_rng(seed)
    pixels = np.clip(np.array(colour)[None, None, :] + rng.normal(0, 12, (height, width, 3)), 0, 255)
    return Image.fromarray(pixels.astype(np.uint8))


def save_as(image: Image.Image, path: Path, kind: str) -> Path:
    """Save `image` as `kind`: a format (jpg png webp bmp tiff gif) or a mode (grey palette rgba cmyk 16bit)."""
    if kind == "grey":
        image.convert("L").save(path.with_suffix(".png"))
        return path.with_suffix(".png")
    if kind == "palette":
        image.convert("P", palette=Image.Palette.ADAPTIVE).save(path.with_suffix(".png"))
        return path.with_suffix(".png")
    if kind == "rgba":
        rgba = image.convert("RGBA")
        rgba.putalpha(200)  # partly transparent
        rgba.save(path.with_suffix(".png"))
        return path.with_suffix(".png")
    if kind == "cmyk":
        image.convert("CMYK").save(path.with_suffix(".jpg"))
        return path.with_suffix(".jpg")
    if kind == "16bit":
        grey = (np.asarray(image.convert("L"), dtype=np.uint16) * 257).astype(np.uint16)
        Image.fromarray(grey).save(path.with_suffix(".png"))  # mode I;16
        return path.with_suffix(".png")
    if kind == "gif":
        frames = [image.convert("P", palette=Image.Palette.ADAPTIVE), Image.new("P", image.size, 0)]
        frames[0].save(path.with_suffix(".gif"), save_all=True, append_images=frames[1:])
        return path.with_suffix(".gif")
    target = path.with_suffix("." + kind)
    image.save(target)
    return target


def rotated_jpeg(path: Path, colour_left: tuple[int, int, int], colour_right: tuple[int, int, int]) -> Path:
    """A 60×20 JPEG, left half one colour and right half the other, whose EXIF says: turn 90° clockwise
    (orientation 6); upright it is 20×60 with the left colour on top."""
    pixels = np.zeros((20, 60, 3), dtype=np.uint8)
    pixels[:, :30], pixels[:, 30:] = colour_left, colour_right
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.fromarray(pixels).save(path, exif=exif.tobytes(), quality=95)
    return path


def write_photo_folder(root: Path, classes: tuple[str, ...], per_class: int, layout: str = "plain", mixed: bool = True) -> None:
    """`per_class` photos of each class (one colour each, sizes from 40 to 400 pixels a side) in `<class>/`
    folders, or with layout "split" in train/<class>/ (the first four fifths) and test/<class>/; `mixed`
    rotates through every format."""
    rng = np.random.default_rng(len(classes) * 100 + per_class)
    for label, name in enumerate(classes):
        for i in range(per_class):
            width, height = (int(v) for v in rng.integers(40, 400, size=2))
            image = photo(COLOURS[name], width, height, seed=label * 1000 + i)
            where = root / name if layout == "plain" else root / ("train" if i < per_class * 4 // 5 else "test") / name
            where.mkdir(parents=True, exist_ok=True)
            kind = SAVES[(i + label) % len(SAVES)] if mixed else "jpg"
            save_as(image, where / f"{i:03d}", kind)
