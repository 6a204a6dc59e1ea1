"""How a photo of any size becomes a network's square input: the resize policies crop (default), squash and pad."""

from __future__ import annotations

import numpy as np
from PIL import Image

POLICIES = ("crop", "squash", "pad")
DEFAULT_POLICY = "crop"
PAD_COLOUR = (0, 0, 0)  # pad: the bars beside or above a photo are black
RESAMPLE = Image.Resampling.BILINEAR  # antialiased when shrinking, as predict's torch resize of old checkpoints
DRAFT_MARGIN = 2  # JPEGs are decoded at a scale that keeps at least twice the wanted side (Pillow's thumbnail does so)


def draft_request(side: int) -> tuple[int, int]:
    """The size to ask Pillow's `draft()` for: a JPEG then decodes at 1/2, 1/4 or 1/8 scale while keeping both
    sides at least DRAFT_MARGIN × `side` (whatever the EXIF orientation turns them into)."""
    return (DRAFT_MARGIN * side, DRAFT_MARGIN * side)


def fit(image: Image.Image, side: int, policy: str = DEFAULT_POLICY) -> Image.Image:
    """`image` (RGB) as `side`×`side` by `policy`: crop scales the shorter side to `side` and keeps the centre;
    squash scales each side to `side` (the aspect changes); pad scales the longer side to `side` and centres the
    photo on black. An image already `side`×`side` is returned as it is."""
    if policy not in POLICIES:
        raise ValueError(f"unknown resize policy {policy!r}; choose one of {', '.join(POLICIES)}")
    width, height = image.size
    if (width, height) == (side, side):
        return image
    if policy == "squash":
        return image.resize((side, side), RESAMPLE, reducing_gap=3.0)
    if policy == "crop":
        short = min(width, height)
        left, top = (width - short) / 2, (height - short) / 2
        return image.resize((side, side), RESAMPLE, box=(left, top, left + short, top + short), reducing_gap=3.0)
    scale = side / max(width, height)
    inner = (max(1, round(width * scale)), max(1, round(height * scale)))
    canvas = Image.new("RGB", (side, side), PAD_COLOUR)
    canvas.paste(image.resize(inner, RESAMPLE, reducing_gap=3.0), ((side - inner[0]) // 2, (side - inner[1]) // 2))
    return canvas


def fit_array(pixels: np.ndarray, side: int, policy: str = DEFAULT_POLICY) -> np.ndarray:
    """An H×W×3 uint8 array as `side`×`side`×3 by `policy` (see `fit`)."""
    if pixels.shape[:2] == (side, side):
        return pixels
    return np.asarray(fit(Image.fromarray(np.ascontiguousarray(pixels, dtype=np.uint8)), side, policy))
