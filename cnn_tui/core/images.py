"""Load any image Pillow can open into an H×W×3 uint8 array, saying what was done to get there."""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from cnn_tui.config import IMAGE_DEFAULTS, LIMITS

# English text of every message code; the UI translates `pixels.error.<code>` / `pixels.note.<code>`.
ERROR_TEXTS: dict[str, str] = {
    "missing": "no such file",
    "directory": "it is a directory, not an image file",
    "permission": "permission denied: the file cannot be read",
    "empty": "the file is empty (0 bytes)",
    "not_image": "not an image Pillow can read",
    "truncated": "the file is damaged or truncated ({detail})",
    "bomb": "{pixels:,} pixels is over the limit of {limit:,} (a possible decompression bomb)",
    "unsupported": "the image mode {mode} cannot be shown ({detail})",
    "io": "the file could not be read ({detail})",
    "memory": (
        "{width:,}×{height:,} {mode} would take about {needed} of memory to decode, over the limit of {limit} "
        "that keeps one image from exhausting the machine; make it smaller first"
    ),
}
# Peak bytes per pixel while an image of each mode is decoded and turned into RGB uint8 here (Pillow's
# decoded image, NumPy's copy and the conversion's temporaries; alpha compositing works in uint32).
PEAK_BYTES_PER_PIXEL: dict[str, int] = {
    "1": 8, "L": 8, "P": 8, "RGB": 9, "CMYK": 12, "YCbCr": 12, "LAB": 12, "HSV": 12,
    "I;16": 32, "I;16B": 32, "I;16L": 32, "I;16N": 32, "I": 40, "F": 48,
    "RGBA": 48, "RGBa": 48, "LA": 48, "La": 48, "PA": 48,
}
NOTE_TEXTS: dict[str, str] = {
    "alpha": "transparency composited on {background}",
    "scaled16": "{bits}-bit values scaled to 8 bits",
    "float": "floating-point values {low}…{high} scaled to 0…255",
    "converted": "converted from {mode} to RGB",
    "gray": "grey levels copied to R, G and B",
    "palette": "palette colours looked up",
    "rotated": "turned upright by its EXIF orientation ({orientation})",
    "animated": "animated: showing frame 1 of {frames}",
    "large": "large image: {megapixels:.1f} megapixels",
    "tiny": "a single pixel",
}


@dataclass(frozen=True)
class Note:
    """Something the loader did to the image, as a message code and its fields."""

    code: str
    fields: dict[str, object] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return NOTE_TEXTS[self.code].format(**self.fields)


class ImageLoadError(ValueError):
    """The file could not be read as an image; `code` and `fields` say why, `str()` in English."""

    def __init__(self, code: str, **fields: object) -> None:
        self.code = code
        self.fields = fields
        super().__init__(ERROR_TEXTS[code].format(**fields))


@dataclass(frozen=True)
class LoadedImage:
    """An image as the lecture sees it: pixels (H, W, 3) uint8, plus where it came from."""

    pixels: np.ndarray
    name: str
    mode: str
    size: tuple[int, int]  # (width, height) as shown: after an EXIF rotation, not as the file stores it
    notes: tuple[Note, ...] = ()
    path: Path | None = None
    source_dtype: str = ""  # the dtype of the array it was made from (the lecture's np.zeros: float64), when not uint8

    @property
    def dtype(self) -> str:
        """The dtype the lecture's array has: `source_dtype` when it was built from an array, else uint8."""
        return self.source_dtype or str(self.pixels.dtype)

    @property
    def shape(self) -> tuple[int, int, int]:
        return tuple(self.pixels.shape)  # type: ignore[return-value]

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])


def load_image(
    path: str | Path,
    background: tuple[int, int, int] = IMAGE_DEFAULTS.background,
    max_pixels: int = IMAGE_DEFAULTS.max_pixels,
    max_bytes: int = LIMITS.image_bytes,
) -> LoadedImage:
    """Read `path` to RGB uint8; raises ImageLoadError with a readable reason.

    Before decoding, the header's size and mode are checked against `max_pixels` and against
    `max_bytes`, the memory the decoding would need at its peak (see decode_bytes)."""
    path = Path(path)
    _check_file(path)
    with _load_errors(max_pixels), warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(path) as image:
            _check_size(image.size, max_pixels)
            _check_memory(image, max_bytes)
            pixels, notes = to_rgb(image, background)
            mode, size = image.mode, (int(pixels.shape[1]), int(pixels.shape[0]))  # upright, as the notes describe it
    return LoadedImage(pixels=pixels, name=path.name, mode=mode, size=size, notes=notes, path=path)


def probe_image(
    path: str | Path, max_pixels: int = IMAGE_DEFAULTS.max_pixels, max_bytes: int = LIMITS.image_bytes
) -> tuple[str, tuple[int, int]]:
    """Check that `path` is a readable image without decoding it in full: (mode, (width, height)).

    The header is read and checked as load_image checks it; a JPEG is then decoded at 1/8 scale
    and a PNG's chunks are verified, so a truncated file is found here too. Raises ImageLoadError."""
    path = Path(path)
    _check_file(path)
    with _load_errors(max_pixels), warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(path) as image:
            _check_size(image.size, max_pixels)
            _check_memory(image, max_bytes)
            mode, size = image.mode, image.size
            if image.format == "JPEG":
                image.draft(image.mode, (1, 1))  # the smallest scale the decoder offers: reads every byte
                image.load()
            elif image.format == "PNG":
                image.verify()
            return mode, size


def decode_bytes(mode: str, size: tuple[int, int], transparency: bool = False) -> int:
    """About how much memory decoding an image of `mode` and `size` (width, height) needs here at its peak."""
    per_pixel = PEAK_BYTES_PER_PIXEL["RGBA"] if transparency else PEAK_BYTES_PER_PIXEL.get(mode, 16)
    return size[0] * size[1] * per_pixel


def _check_memory(image: Image.Image, max_bytes: int) -> None:
    needed = decode_bytes(image.mode, image.size, "transparency" in image.info)
    if needed > max_bytes:
        raise ImageLoadError(
            "memory", width=image.size[0], height=image.size[1], mode=image.mode,
            needed=_bytes_text(needed), limit=_bytes_text(max_bytes),
        )


def _bytes_text(count: int) -> str:
    return f"{count / 1e9:.1f} GB" if count >= 1e9 else f"{count / 1e6:.0f} MB"


@contextmanager
def _load_errors(max_pixels: int) -> Iterator[None]:
    """Turn what Pillow and the file system raise into ImageLoadError codes."""
    try:
        yield
    except ImageLoadError:
        raise
    except FileNotFoundError:
        raise ImageLoadError("missing") from None
    except IsADirectoryError:
        raise ImageLoadError("directory") from None
    except PermissionError:
        raise ImageLoadError("permission") from None
    except UnidentifiedImageError:
        raise ImageLoadError("not_image") from None
    except Image.DecompressionBombError as error:
        raise ImageLoadError("bomb", pixels=_pixels_in_message(error), limit=max_pixels) from None
    except MemoryError:
        raise ImageLoadError("io", detail="not enough memory") from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ImageLoadError("truncated", detail=_short(error)) from None


def _check_file(path: Path) -> None:
    """Fail early, with the right reason, on paths that are not readable regular files."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ImageLoadError("missing") from None
    except PermissionError:
        raise ImageLoadError("permission") from None
    except OSError as error:
        raise ImageLoadError("io", detail=_short(error)) from None
    if path.is_dir():
        raise ImageLoadError("directory")
    if not os.access(path, os.R_OK):
        raise ImageLoadError("permission")
    if info.st_size == 0:
        raise ImageLoadError("empty")


def _check_size(size: tuple[int, int], max_pixels: int) -> None:
    pixels = size[0] * size[1]
    if pixels > max_pixels:
        raise ImageLoadError("bomb", pixels=pixels, limit=max_pixels)


def _pixels_in_message(error: Exception) -> int:
    """The pixel count Pillow's DecompressionBombError states ("Image size (N pixels) exceeds …")."""
    match = re.search(r"\((\d+) pixels\)", str(error))
    return int(match.group(1)) if match else 0


def _short(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text if len(text) <= 80 else text[:77] + "…"


def to_rgb(image: Image.Image, background: tuple[int, int, int]) -> tuple[np.ndarray, tuple[Note, ...]]:
    """The first frame of `image`, upright, as H×W×3 uint8, and notes on what was done."""
    notes: list[Note] = []
    raw_bits = _raw_bits(image)  # before anything reads the pixels: loading clears `tile`
    frames = int(getattr(image, "n_frames", 1) or 1)
    if frames > 1:
        image.seek(0)
        notes.append(Note("animated", {"frames": frames}))
    orientation = image.getexif().get(0x0112, 1)
    image.load()
    if orientation not in (None, 1):
        upright = ImageOps.exif_transpose(image)
        if upright is not None and upright is not image:
            notes.append(Note("rotated", {"orientation": int(orientation)}))
            image = upright
    pixels = _pixels_in_rgb(image, background, notes, raw_bits)
    height, width = pixels.shape[:2]
    if height * width == 1:
        notes.append(Note("tiny"))
    elif height * width > IMAGE_DEFAULTS.large_pixels:
        notes.append(Note("large", {"megapixels": height * width / 1e6}))
    return np.ascontiguousarray(pixels, dtype=np.uint8), tuple(notes)


def _raw_bits(image: Image.Image) -> int:
    """Bits per sample the file stores, where Pillow silently reduces 16-bit RGB to 8 (PNG 'RGB;16B')."""
    for tile in getattr(image, "tile", None) or ():
        args = tile.args if hasattr(tile, "args") else tile[3]
        rawmode = args[0] if isinstance(args, tuple) and args else args
        if isinstance(rawmode, str) and ";16" in rawmode and image.mode in ("RGB", "RGBA"):
            return 16
    return 8


def _pixels_in_rgb(
    image: Image.Image, background: tuple[int, int, int], notes: list[Note], raw_bits: int
) -> np.ndarray:
    mode = image.mode
    if raw_bits == 16:
        notes.append(Note("scaled16", {"bits": 16}))
    if mode == "RGB":
        return np.asarray(image)
    if mode.startswith("I;16") or mode == "I":
        return _grey_to_rgb(_scale_integer(np.asarray(image), mode, notes))
    if mode == "F":
        return _grey_to_rgb(_scale_float(np.asarray(image, dtype=np.float64), notes))
    if mode in ("L", "1"):
        notes.append(Note("gray"))
        return _grey_to_rgb(np.asarray(image.convert("L")))
    if mode == "P" or mode == "PA":
        notes.append(Note("palette"))
        has_alpha = mode == "PA" or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
        mode = image.mode
        if mode == "RGB":
            return np.asarray(image)
    if mode in ("LA", "La"):
        notes.append(Note("gray"))
        image = image.convert("RGBA")
        mode = "RGBA"
    if mode in ("RGBA", "RGBa"):
        return _composite(np.asarray(image.convert("RGBA")), background, notes)
    try:
        converted = image.convert("RGB")
    except (ValueError, OSError) as error:
        raise ImageLoadError("unsupported", mode=mode, detail=_short(error)) from None
    notes.append(Note("converted", {"mode": mode}))
    return np.asarray(converted)


def _grey_to_rgb(grey: np.ndarray) -> np.ndarray:
    return np.repeat(grey[:, :, None], 3, axis=2)


def _scale_integer(values: np.ndarray, mode: str, notes: list[Note]) -> np.ndarray:
    """16-bit (and 32-bit 'I') grey levels to 0…255: v × 255 / 65535, rounded."""
    wide = values.astype(np.int64)
    if mode == "I" and (wide.min(initial=0) < 0 or wide.max(initial=0) > 65535):
        notes.append(Note("float", {"low": int(wide.min()), "high": int(wide.max())}))
        return _stretch(wide.astype(np.float64))
    notes.append(Note("scaled16", {"bits": 16}))
    return ((wide * 255 + 32767) // 65535).astype(np.uint8)


def _scale_float(values: np.ndarray, notes: list[Note]) -> np.ndarray:
    finite = values[np.isfinite(values)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    if 0.0 <= low and high <= 1.0:
        low, high = 0.0, 1.0
    notes.append(Note("float", {"low": f"{low:g}", "high": f"{high:g}"}))
    return _stretch(np.nan_to_num(values, nan=low, posinf=high, neginf=low), low, high)


def _stretch(values: np.ndarray, low: float | None = None, high: float | None = None) -> np.ndarray:
    low = float(values.min()) if low is None else low
    high = float(values.max()) if high is None else high
    span = high - low or 1.0
    return np.clip(np.rint((values - low) * (255.0 / span)), 0, 255).astype(np.uint8)


def _composite(rgba: np.ndarray, background: tuple[int, int, int], notes: list[Note]) -> np.ndarray:
    """Alpha-blend RGBA over `background`: out = (a·rgb + (255 − a)·bg) / 255, rounded."""
    alpha = rgba[:, :, 3:4].astype(np.uint32)
    if alpha.size and int(alpha.min()) == 255:
        return rgba[:, :, :3]
    notes.append(Note("alpha", {"background": f"({background[0]}, {background[1]}, {background[2]})"}))
    bg = np.asarray(background, dtype=np.uint32).reshape(1, 1, 3)
    blended = (rgba[:, :, :3].astype(np.uint32) * alpha + bg * (255 - alpha) + 127) // 255
    return blended.astype(np.uint8)


def from_array(pixels: np.ndarray, name: str, notes: tuple[Note, ...] = ()) -> LoadedImage:
    """Wrap an H×W×3 array (any numeric dtype in 0…255, like the lecture's np.zeros) as a LoadedImage."""
    array = np.asarray(pixels)
    if array.ndim != 3 or array.shape[2] != 3:
        raise ValueError(f"expected an H×W×3 array, got shape {array.shape}")
    rgb = np.ascontiguousarray(np.clip(array, 0, 255).astype(np.uint8))
    return LoadedImage(
        pixels=rgb, name=name, mode="RGB", size=(rgb.shape[1], rgb.shape[0]), notes=notes, source_dtype=str(array.dtype)
    )
