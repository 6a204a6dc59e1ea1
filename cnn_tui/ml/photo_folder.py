"""A folder of one's own photos: its layout (train/<class>/ + test/<class>/, or plain <class>/) and the hash split."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cnn_tui.ml.data_home import SPLITS, DataSourceError

DEFAULT_TEST_SHARE = 0.2
SPLIT, PLAIN = "split", "plain"


@dataclass(frozen=True)
class PhotoLayout:
    """What a photo folder holds: `kind` split or plain, class names (sorted), and (path, label, in test) for every
    file, in order (a plain layout's files are all `in test` False until `split_plain` chooses)."""

    kind: str
    root: Path
    classes: tuple[str, ...]
    files: tuple[tuple[Path, int, bool], ...]
    test_share: float = 0.0  # plain layouts: the share asked for


def class_folders(folder: Path) -> list[Path]:
    """The visible sub-folders of `folder`, sorted by name (as torchvision's ImageFolder sorts classes)."""
    try:
        return sorted((p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")), key=lambda p: p.name)
    except OSError:
        return []


def is_photo_folder(folder: Path) -> bool:
    """True if `folder` has at least one visible sub-folder (a plain layout; each is checked when read)."""
    return bool(class_folders(folder))


def class_files(class_dir: Path) -> list[Path]:
    """Every visible file under `class_dir`, nested folders included, sorted by relative name."""
    found: list[Path] = []
    for top, dirs, files in os.walk(class_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(top) / name for name in files if not name.startswith(".")]
    return sorted(found, key=lambda p: p.relative_to(class_dir).as_posix())


def _rank(class_dir: Path, path: Path) -> bytes:
    name = path.relative_to(class_dir).as_posix().encode("utf-8", "surrogateescape")
    return hashlib.blake2b(name, digest_size=8).digest()


def held_out_count(files: int, share: float) -> int:
    """How many of a class's `files` go to test: round(share × files), at least 1 and at most files − 1."""
    return min(files - 1, max(1, round(share * files)))


def split_class(class_dir: Path, files: list[Path], share: float) -> tuple[list[Path], list[Path]]:
    """(train, test) files of one class; test holds the `held_out_count` files whose relative names hash lowest."""
    if len(files) < 2:
        return files, []
    chosen = set(sorted(files, key=lambda p: _rank(class_dir, p))[: held_out_count(len(files), share)])
    return [p for p in files if p not in chosen], [p for p in files if p in chosen]


def _check_classes(classes: list[str], root: Path) -> None:
    if len(classes) < 2:
        raise DataSourceError("error.photos.one_class", folder=root, count=len(classes), classes=", ".join(classes) or "-")


def _check_counts(root: Path, counts: dict[str, int]) -> None:
    for name, count in counts.items():
        if count < 2:
            raise DataSourceError("error.photos.small_class", name=name, count=count, folder=root)


def find_layout(root: Path, test_share: float = DEFAULT_TEST_SHARE) -> PhotoLayout:
    """The layout of `root`: train/ and test/ folders of classes when both exist, else plain class folders.

    DataSourceError when a class holds fewer than two files, or plain folders hold fewer than two classes."""
    if all((root / split).is_dir() for split in SPLITS):
        return _split_layout(root)
    dirs = class_folders(root)
    per_class = {d.name: class_files(d) for d in dirs}
    per_class = {name: files for name, files in per_class.items() if files}
    classes = sorted(per_class)
    _check_classes(classes, root)
    _check_counts(root, {name: len(files) for name, files in per_class.items()})
    files = tuple((p, label, False) for label, name in enumerate(classes) for p in per_class[name])
    return PhotoLayout(PLAIN, root, tuple(classes), files, test_share)


def split_plain(layout: PhotoLayout, usable: list[bool]) -> list[bool]:
    """Which of a plain layout's files go to test (`split_class` per class), among those `usable` (decoded)."""
    in_test = [False] * len(layout.files)
    for label, name in enumerate(layout.classes):
        indices = [i for i, (_, lab, _) in enumerate(layout.files) if lab == label and usable[i]]
        _, held = split_class(layout.root / name, [layout.files[i][0] for i in indices], layout.test_share)
        chosen = set(held)
        for i in indices:
            in_test[i] = layout.files[i][0] in chosen
    return in_test


def _split_layout(root: Path) -> PhotoLayout:
    names: dict[str, tuple[str, ...]] = {}
    files: dict[str, dict[str, list[Path]]] = {}
    for split in SPLITS:
        dirs = class_folders(root / split)
        if not dirs:
            raise DataSourceError("error.data.no_class_folders", folder=root / split, split=split)
        names[split] = tuple(d.name for d in dirs)
        files[split] = {d.name: class_files(d) for d in dirs}
    if names["test"] != names["train"]:
        raise DataSourceError(
            "error.data.classes_differ", where=root / "test", classes=", ".join(names["test"]),
            train_classes=", ".join(names["train"]),
        )
    classes = list(names["train"])  # one class is read as before: the network then refuses it
    _check_counts(root, {name: len(files["train"][name]) + len(files["test"][name]) for name in classes})
    found = tuple(
        (p, label, split == "test") for split in SPLITS for label, name in enumerate(classes) for p in files[split][name]
    )
    return PhotoLayout(SPLIT, root, tuple(classes), found)


def folder_identity(root: Path) -> list[list[object]]:
    """What identifies the photos under `root` cheaply: for each visible sub-folder (two levels: train/ and test/
    hold classes), a digest of every file's relative name, size and modification time, and how many there are."""
    parts: list[list[object]] = []
    tops = [root / split for split in SPLITS] if all((root / s).is_dir() for s in SPLITS) else [root]
    for top in tops:
        for class_dir in class_folders(top):
            digest = hashlib.sha256()
            found = class_files(class_dir)
            for path in found:
                try:
                    info = path.stat()
                except OSError:
                    continue
                name = path.relative_to(class_dir).as_posix()
                digest.update(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
            parts.append([str(class_dir.resolve()), digest.hexdigest()[:20], len(found)])
    return parts
