"""What several tabs share — the current image, the point on it, the data, the active network — owned by the app."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cnn_tui.config import ASSETS_DIR, TRAIN_DEFAULTS, AppConfig, Paths
from cnn_tui.core.confinement import Confinement

if TYPE_CHECKING:
    from cnn_tui.core.images import LoadedImage


@dataclass(frozen=True)
class CurrentImage:
    """The image every tab works on, decoded once.

    `source` is what it came from: a file path, a built-in image's name ("test", "black",
    "white"), or a description such as "CIFAR-10 test #12" for an image handed over decoded."""

    image: LoadedImage
    source: str | Path

    @property
    def name(self) -> str:
        return self.image.name


@dataclass
class LabState:
    """The app's shared state. Only the app assigns to it; everyone else reads."""

    paths: Paths = field(default_factory=Paths)
    lang: str = "en"
    image: CurrentImage | None = None  # None until the first image is decoded
    # The point of the image the learner chose in the Pixels tab (row, column), where
    # "step a convolution here" and the crops of the Convolution and Pooling tabs centre.
    point: tuple[int, int] | None = None
    # The network the learned views use: the checkpoint last trained or loaded.
    checkpoint: Path = field(default_factory=lambda: TRAIN_DEFAULTS.checkpoint)
    # The Training tab's data setting: "cifar10" (the lookup), "synthetic" or a path.
    data: str = "cifar10"
    # The learner's own network as last saved in the Model tab's editor (`my_network.py:ClassName`, the file in the
    # session's folder when served): the Training tab offers it and trains it. None until one is saved.
    network: str | None = None
    # Where paths typed in the app may lead: anywhere in a terminal; in a served session, its own folder.
    confinement: Confinement = field(default_factory=Confinement)

    def checkpoint_name(self) -> str:
        """The active checkpoint as shown to the learner."""
        return str(self.checkpoint)


def confinement(config: AppConfig) -> Confinement:
    """The app's confinement: none in a terminal; with `--confine DIR` (a served session), DIR, with the built-in
    images and the data home readable."""
    if config.confine is None:
        return Confinement()
    from cnn_tui.ml.data_home import find_data_home

    readable = (ASSETS_DIR, config.paths.data_dir, find_data_home(config.paths.data_dir).root)
    return Confinement.to(config.confine, [folder for folder in readable if folder is not None])
