"""Defaults in one place: paths and settings shared by the CLI and the app."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# The checkout's data/ folder (present for `pip install -e .` and in a source tree).
SOURCE_DATA_DIR = PACKAGE_DIR.parent / "data"


@dataclass(frozen=True)
class Paths:
    """Where data and models live; relative paths resolve against the working directory, as in the lecture."""

    data_dir: Path = Path("data")
    models_dir: Path = Path("models")

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"


@dataclass(frozen=True)
class AppConfig:
    """What the full-screen app starts with."""

    lang: str = "en"
    image: Path | None = None
    paths: Paths = field(default_factory=Paths)


DEFAULT_IMAGE_NAME = "img.png"
# The Pixels tab's default image: the teaching test image (python -m cnn_tui.core.test_image makes it).
DEFAULT_IMAGE_PATH = SOURCE_DATA_DIR / DEFAULT_IMAGE_NAME


@dataclass(frozen=True)
class ImageDefaults:
    """How images are loaded and shown in the Pixels tab."""

    # Transparent pixels are composited on white, as matplotlib's imshow shows them on a white figure.
    background: tuple[int, int, int] = (255, 255, 255)
    # Refuse images over Pillow's decompression-bomb error limit (2 × Image.MAX_IMAGE_PIXELS).
    max_pixels: int = 178_956_970
    # Images over this many pixels load with a "large image" note.
    large_pixels: int = 25_000_000
    # The lecture's all-black and all-white images are np.zeros / np.full([200, 200, 3]).
    builtin_size: int = 200
    # Side of the lecture's test image (data/img.jpg is 640×640).
    test_image_size: int = 640


IMAGE_DEFAULTS = ImageDefaults()
SNAPSHOT_SIZE = (120, 36)


@dataclass(frozen=True)
class ExplainDefaults:
    """`cnn-tui explain`: how many steps it writes out, and the seed of random: inputs."""

    steps: int = 100
    seed: int = 0


EXPLAIN_DEFAULTS = ExplainDefaults()
