"""Fixtures for the ml tests: small generated data sets on disk in every supported layout."""

from __future__ import annotations

import pickle
import tarfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

CLASSES = ("cat", "dog", "frog")


def write_batches_folder(folder: Path, per_batch: int = 6, seed: int = 0) -> dict[str, np.ndarray]:
    """A tiny torchvision-style cifar-10-batches-py; returns the pixel rows written, by file name."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True)
    written = {}
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        data = rng.integers(0, 256, size=(per_batch, 3072), dtype=np.uint8)
        labels = [int(v) for v in rng.integers(0, 10, size=per_batch)]
        with (folder / name).open("wb") as handle:
            pickle.dump({b"batch_label": name.encode(), "data": data, "labels": labels}, handle)
        written[name] = data
    names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
    with (folder / "batches.meta").open("wb") as handle:
        pickle.dump({"label_names": names, "num_vis": 3072}, handle)
    return written


def write_image_tree(root: Path, per_class: int = 2, size: int = 32, suffix: str = ".png") -> dict[str, np.ndarray]:
    """train/<class>/*.png and test/<class>/*.png with random pixels; returns pixels by relative path."""
    rng = np.random.default_rng(1)
    pixels = {}
    for split in ("train", "test"):
        for name in CLASSES:
            (root / split / name).mkdir(parents=True)
            for i in range(per_class):
                array = rng.integers(0, 256, size=(size, size, 3), dtype=np.uint8)
                rel = f"{split}/{name}/{i:04d}{suffix}"
                Image.fromarray(array).save(root / rel)
                pixels[rel] = array
    return pixels


def write_tarballs(tree: Path, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for split in ("train", "test"):
        with tarfile.open(folder / f"{split}.tar.gz", "w:gz") as archive:
            archive.add(tree / split, arcname=split)


@pytest.fixture
def image_tree(tmp_path: Path) -> tuple[Path, dict[str, np.ndarray]]:
    root = tmp_path / "tree"
    return root, write_image_tree(root)
