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
SNAPSHOT_SIZE = (120, 36)


@dataclass(frozen=True)
class ExplainDefaults:
    """`cnn-tui explain`: how many steps it writes out, and the seed of random: inputs."""

    steps: int = 100
    seed: int = 0


EXPLAIN_DEFAULTS = ExplainDefaults()
