"""The pixel count an image's header states, read without decoding: PNG and JPEG by hand, other formats by Pillow.

A few hundred bytes can claim 30000×30000 pixels; a decoder (torchvision's, Pillow's `load()`) allocates them
before it finds the data missing. Checking the header first costs microseconds for PNG and JPEG, the formats of
data-set archives (Pillow's `open()`, which also reads only the header, takes about 0.1–0.3 ms an image here).
"""

from __future__ import annotations

import io
import re
import struct
import warnings

from PIL import Image

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# JPEG frame markers (SOF0–SOF15 but DHT C4, JPG C8 and DAC CC): their segments hold the height and width.
JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD9)})  # TEM, RST0–7, SOI: no length follows


def header_pixels(blob: bytes) -> int | None:
    """width × height as the header of the image in `blob` says, without decoding it; None when no header says
    (not an image Pillow knows, or a damaged one: its decoder then says what is wrong)."""
    if blob.startswith(PNG_SIGNATURE) and blob[12:16] == b"IHDR" and len(blob) >= 24:
        width, height = struct.unpack(">II", blob[16:24])
        return width * height
    if blob.startswith(b"\xff\xd8"):
        size = _jpeg_size(blob)
        if size is not None:
            return size[0] * size[1]
    return _pillow_pixels(blob)


def _jpeg_size(blob: bytes) -> tuple[int, int] | None:
    """(width, height) from the first frame header, walking the segments before it; None if there is none."""
    at = 2
    while at + 4 <= len(blob):
        if blob[at] != 0xFF:
            return None
        marker = blob[at + 1]
        if marker == 0xFF:  # a fill byte
            at += 1
            continue
        if marker in JPEG_STANDALONE:
            at += 2
            continue
        if marker == 0xDA:  # the scan starts before any frame header
            return None
        if marker in JPEG_FRAMES and at + 9 <= len(blob):
            height, width = struct.unpack(">HH", blob[at + 5 : at + 9])
            return width, height
        at += 2 + struct.unpack(">H", blob[at + 2 : at + 4])[0]
    return None


def _pillow_pixels(blob: bytes) -> int | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # DecompressionBombWarning and a damaged file's own warnings
            with Image.open(io.BytesIO(blob)) as image:
                width, height = image.size
                return width * height
    except Image.DecompressionBombError as error:  # over twice Image.MAX_IMAGE_PIXELS: its message states the count
        return bomb_pixels(error)
    except Exception:  # noqa: BLE001 - any plug-in's error on a damaged file: not for this check to say
        return None


def bomb_pixels(error: Exception) -> int | None:
    """The pixel count Pillow's DecompressionBombError states ("Image size (N pixels) exceeds …")."""
    match = re.search(r"\((\d+) pixels\)", str(error))
    return int(match.group(1)) if match else None
