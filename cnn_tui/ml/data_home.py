"""The data home: the one folder where downloaded and imported data sets live, found the same way from any folder."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cnn_tui.config import CWD_DATA_DIR, DATA_ENV, user_cache_dir, user_data_dir
from cnn_tui.i18n import LocalizedError

CIFAR10_FOLDER = "cifar-10-batches-py"
BATCH_FILES = tuple(f"data_batch_{i}" for i in range(1, 6))
TEST_BATCH = "test_batch"
SPLITS = ("train", "test")
IMPORTED_FILE = "dataset.pt"  # decoded tensors written by `cnn-tui data import`
IMPORTED_INFO = "dataset.json"  # where they came from and how many images each split has

# Where a home came from, in lookup order.
OPTION, ENV, CWD, USER = "--data-dir", "$" + DATA_ENV, "./data", "user"


class DataSourceError(LocalizedError, ValueError):
    """A data source is missing or malformed; the message says what and how to fix it."""


# --- the file layouts --data accepts, recognised by their names (cnn_tui.ml.sources reads them) ---


def is_batches_folder(folder: Path) -> bool:
    """True if `folder` looks like torchvision's `cifar-10-batches-py`."""
    return (folder / "data_batch_1").is_file() and (folder / TEST_BATCH).is_file()


def is_image_folder(root: Path) -> bool:
    """True if `root` has train/ and test/ sub-folders (each is checked properly when read)."""
    return all((root / split).is_dir() for split in SPLITS)


def tarball_pair(folder: Path) -> tuple[Path, Path] | None:
    """The (train, test) tarballs in `folder`, or None if it has no such pair."""
    for suffix in (".tar.gz", ".tgz", ".tar"):
        train, test = folder / f"train{suffix}", folder / f"test{suffix}"
        if train.is_file() and test.is_file():
            return train, test
    return None


# --- the data home --------------------------------------------------------------------------


@dataclass(frozen=True)
class DataHome:
    """A data home: `root` holds data sets, `cache` their decoded tensors; `origin` says which rule found it."""

    root: Path
    cache: Path
    origin: str

    @classmethod
    def at(cls, folder: Path, origin: str = OPTION) -> DataHome:
        """A home in `folder` with its cache in `folder/cache` (the layout of the lecture's data/)."""
        return cls(folder, folder / "cache", origin)


@dataclass(frozen=True)
class HomeSource:
    """A data set inside a home: `kind` is imported, batches, image_folder or tarballs."""

    kind: str
    path: Path


def home_source(root: Path) -> HomeSource | None:
    """The data set `root` holds, or None: an import first, then a download, then `root` itself as a source."""
    if (root / IMPORTED_FILE).is_file():
        return HomeSource("imported", root / IMPORTED_FILE)
    if is_batches_folder(root / CIFAR10_FOLDER):
        return HomeSource("batches", root / CIFAR10_FOLDER)
    if is_batches_folder(root):
        return HomeSource("batches", root)
    if root.is_dir() and is_image_folder(root):
        return HomeSource("image_folder", root)
    if root.is_dir() and tarball_pair(root):
        return HomeSource("tarballs", root)
    return None


def data_homes(data_dir: Path | None = None, env: Mapping[str, str] = os.environ) -> list[DataHome]:
    """Every candidate in lookup order (`data status` shows them all); the first that applies is the home."""
    homes = []
    if data_dir is not None:
        homes.append(DataHome.at(Path(data_dir).expanduser(), OPTION))
    if env.get(DATA_ENV):
        homes.append(DataHome.at(Path(env[DATA_ENV]).expanduser(), ENV))
    homes.append(DataHome.at(CWD_DATA_DIR, CWD))
    homes.append(DataHome(user_data_dir(env), user_cache_dir(env), USER))
    return homes


def find_data_home(data_dir: Path | DataHome | None = None, env: Mapping[str, str] = os.environ) -> DataHome:
    """The data home: --data-dir, else $CNN_TUI_DATA, else ./data if it holds a data set, else the user's folder."""
    if isinstance(data_dir, DataHome):
        return data_dir
    for home in data_homes(data_dir, env):
        if home.origin != CWD or home_source(home.root) is not None:
            return home
    raise AssertionError("the user's data folder is always a candidate")  # pragma: no cover
