"""Rich Styles for coloured cells, built once per colour pair and kept: no style parsing while drawing.

Colours travel as packed 24-bit ints (0xRRGGBB) so NumPy can compare whole rows of them at once.
"""

from __future__ import annotations

import numpy as np
from rich.color import Color, ColorType
from rich.color_triplet import ColorTriplet
from rich.style import Style

NO_COLOUR = -1  # a packed colour meaning "the terminal's default" (e.g. below an image with odd height)
PAIR_MASK = 0x1FFFFFF  # the lower colour's bits in a half-block key (all ones: NO_COLOUR)


def pack_rgb(pixels: np.ndarray) -> np.ndarray:
    """H×W×3 uint8 → H×W int64 of 0xRRGGBB."""
    p = pixels.astype(np.int64, copy=False)
    return (p[..., 0] << 16) | (p[..., 1] << 8) | p[..., 2]


def unpack_rgb(packed: int) -> tuple[int, int, int]:
    return ((packed >> 16) & 0xFF, (packed >> 8) & 0xFF, packed & 0xFF)


def contrast_text(rgb: tuple[int, int, int] | np.ndarray) -> tuple[int, int, int]:
    """Black or white, whichever reads better on `rgb` (by BT.601 luma)."""
    r, g, b = (int(v) for v in rgb)
    return (0, 0, 0) if 299 * r + 587 * g + 114 * b >= 128_000 else (255, 255, 255)


def contrast_text_packed(packed: np.ndarray) -> np.ndarray:
    """`contrast_text` for an array of packed colours: 0x000000 or 0xFFFFFF each."""
    r, g, b = (packed >> 16) & 0xFF, (packed >> 8) & 0xFF, packed & 0xFF
    return np.where(299 * r + 587 * g + 114 * b >= 128_000, 0x000000, 0xFFFFFF)


# Colours for the cursor mark: the one farthest from the pixel under it is used, so it shows on any pixel.
MARK_COLOURS = np.array(
    [[0, 0, 0], [255, 255, 255], [255, 0, 255], [0, 255, 255], [255, 255, 0]], dtype=np.int64
)


def mark_colour(packed: int) -> int:
    """The packed mark colour farthest from the packed colour `packed`."""
    rgb = np.array(unpack_rgb(packed), dtype=np.int64)
    r, g, b = (int(v) for v in MARK_COLOURS[int(np.argmax(((MARK_COLOURS - rgb) ** 2).sum(axis=1)))])
    return (r << 16) | (g << 8) | b


class StyleCache:
    """Styles keyed by (foreground, background) packed colours; cleared when it grows past `max_size`."""

    def __init__(self, max_size: int = 1 << 17) -> None:
        self.max_size = max_size
        self._colours: dict[int, Color] = {}
        self._styles: dict[tuple[int, int, bool], Style] = {}
        self._pairs: dict[int, Style] = {}

    def colour(self, packed: int) -> Color:
        colour = self._colours.get(packed)
        if colour is None:
            r, g, b = unpack_rgb(packed)
            colour = Color(f"#{packed:06x}", ColorType.TRUECOLOR, triplet=ColorTriplet(r, g, b))
            if len(self._colours) >= self.max_size:
                self._colours.clear()
            self._colours[packed] = colour
        return colour

    def style(self, fg: int, bg: int, bold: bool = False) -> Style:
        """The style with foreground `fg` and background `bg` (NO_COLOUR for the default); bold
        also underlines (it marks the cursor)."""
        key = (fg, bg, bold)
        style = self._styles.get(key)
        if style is None:
            style = Style.from_color(
                None if fg == NO_COLOUR else self.colour(fg), None if bg == NO_COLOUR else self.colour(bg)
            )
            if bold:
                style = style + Style(bold=True, underline=True)
            if len(self._styles) >= self.max_size:
                self._styles.clear()
            self._styles[key] = style
        return style

    def pair(self, key: int) -> Style:
        """The half-block style for a key `(upper << 25) | (lower & 0x1FFFFFF)`: foreground the
        upper colour, background the lower one (0x1FFFFFF: NO_COLOUR)."""
        style = self._pairs.get(key)
        if style is None:
            lower = key & PAIR_MASK
            style = self.style(key >> 25, NO_COLOUR if lower == PAIR_MASK else lower)
            if len(self._pairs) >= self.max_size:
                self._pairs.clear()
            self._pairs[key] = style
        return style

    def __len__(self) -> int:
        return len(self._styles)


# One cache for the whole process: colours repeat across redraws, images and widgets.
SHARED_STYLES = StyleCache()
