"""Data sets in memory: CIFAR-10 (or any source) decoded once into cached uint8 tensors."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from cnn_tui.core.regular_files import open_regular
from cnn_tui.i18n import LocalizedError, Phrase
from cnn_tui.ml import sources
from cnn_tui.ml.data_home import CIFAR10_FOLDER, IMPORTED_FILE, IMPORTED_INFO, DataHome, find_data_home, home_source
from cnn_tui.ml.dataset import Dataset, Normalization, Split, to_float
from cnn_tui.ml.photo_folder import is_photo_folder
from cnn_tui.ml.photo_reader import PhotoOptions
from cnn_tui.ml.photo_report import PhotoReport
from cnn_tui.ml.sources import DataSourceError, RawData, RawSplit, Status

CACHE_VERSION = 3  # 2: image folders keyed on every file's name, size and modification time; 3: photos of any size
SYNTHETIC = "synthetic"
CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")

__all__ = ["DataSourceError", "Dataset", "Normalization", "Split", "load_dataset", "to_float"]


# --- finding the source ------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A resolved source: `kind` is batches, image_folder, photo_folder, tarballs, imported, synthetic or download."""

    kind: str
    path: Path | None = None


def usage_hint() -> Phrase:
    """What a user can do when no data set is found (the end of error.data.no_such_path, not_folder, not_cifar
    and not_in_home)."""
    return Phrase("error.data.usage_hint")


def resolve_source(source: str | Path | None, data_dir: Path | DataHome | None = None, download: bool = True) -> Source:
    """Which source `load_dataset` will read, following the documented order (`data_dir` None: look the home up)."""
    if source is not None and str(source) == SYNTHETIC:
        return Source(SYNTHETIC)
    if source is not None:
        path = Path(source).expanduser()
        if not path.exists():
            raise DataSourceError("error.data.no_such_path", source=source, hint=usage_hint())
        if not path.is_dir():
            raise DataSourceError("error.data.not_folder", source=source, hint=usage_hint())
        if sources.is_batches_folder(path):
            return Source("batches", path)
        if sources.is_batches_folder(path / CIFAR10_FOLDER):
            return Source("batches", path / CIFAR10_FOLDER)
        if sources.is_image_folder(path):
            return Source("image_folder", path)
        if sources.tarball_pair(path):
            return Source("tarballs", path)
        half = _half_pair(source, path)
        if half is not None:
            raise half
        if is_photo_folder(path):
            return Source("photo_folder", path)
        raise DataSourceError("error.data.not_cifar", source=source, hint=usage_hint())
    home = find_data_home(data_dir)
    found = home_source(home.root)
    if found is not None:
        return Source(found.kind, found.path)
    if not download:
        raise DataSourceError("error.data.not_in_home", folder=home.root / CIFAR10_FOLDER, hint=usage_hint())
    return Source("download", home.root)


def _half_pair(source: str | Path, path: Path) -> DataSourceError | None:
    """The error saying what is missing when `path` (given as --data `source`) holds only half of an image-folder
    tree or of a tarball pair, or None."""
    folders = [split for split in sources.SPLITS if (path / split).is_dir()]
    if len(folders) == 1:
        missing = next(split for split in sources.SPLITS if split not in folders)
        return DataSourceError("error.data.half_tree", source=source, missing=missing, folder=path / missing)
    for suffix in (".tar.gz", ".tgz", ".tar"):
        archives = [split for split in sources.SPLITS if (path / f"{split}{suffix}").is_file()]
        if len(archives) == 1:
            missing = next(split for split in sources.SPLITS if split not in archives)
            return DataSourceError("error.data.half_tarballs", source=source, present=archives[0], suffix=suffix, missing=missing)
    return None


def download_cifar10(root: Path, status: Status) -> Path:
    """Fetch CIFAR-10 into `root` (cnn_tui.ml.download), with a status line every 10 %; DownloadError says what to do."""
    from cnn_tui.ml.download import install_cifar10

    status(Phrase("note.data.download_start", folder=root / CIFAR10_FOLDER))
    shown = [-1]

    def progress(p: object) -> None:
        done, total = getattr(p, "done", 0), getattr(p, "total", None)
        tenth = int(10 * done / total) if total else -1
        if tenth > shown[0]:
            shown[0] = tenth
            status(Phrase("note.data.downloaded", done=done / 1e6, total=total / 1e6))

    return install_cifar10(root, progress=progress)


# --- cache -------------------------------------------------------------------------------------


def _stat(path: Path) -> list[Any]:
    info = path.stat()
    return [str(path.resolve()), info.st_size, info.st_mtime_ns]


def source_identity(source: Source, photos: PhotoOptions | None = None) -> dict[str, Any]:
    """What identifies a source's content cheaply: resolved paths, sizes and modification times (and for photo
    folders, how their photos are prepared)."""
    assert source.path is not None
    path = source.path
    if source.kind == "batches":
        files = [path / n for n in (*sources.BATCH_FILES, sources.TEST_BATCH)]
        parts = [_stat(f) for f in files if f.exists()]
    elif source.kind == "tarballs":
        parts = [_stat(f) for f in sources.tarball_pair(path) or ()]
    else:  # image or photo folder: every file's name, size and mtime, one digest per class folder (a stat walk)
        from cnn_tui.ml.photo_folder import folder_identity

        identity = {"version": CACHE_VERSION, "kind": source.kind, "files": folder_identity(path)}
        return {**identity, "photos": (photos or PhotoOptions()).key()}
    return {"version": CACHE_VERSION, "kind": source.kind, "files": parts}


def cache_file(source: Source, cache_dir: Path, photos: PhotoOptions | None = None) -> Path:
    """The cache file of `source` read with `photos` (photo folders; None: the defaults)."""
    digest = hashlib.sha256(json.dumps(source_identity(source, photos), sort_keys=True).encode()).hexdigest()[:20]
    return cache_dir / f"{source.kind}-{digest}.pt"


def _read_cache(path: Path, kind: str = "") -> tuple[RawData | None, LocalizedError | str, PhotoReport | None]:
    """(the cached data set, '', its photo report or None) or (None, why it cannot be used: not a regular file,
    damaged, inconsistent, None).

    The reason is `cache_problem`'s error, another LocalizedError, or the first line of a library's error."""
    report = None
    try:
        with open_regular(path) as handle:  # a FIFO would block torch.load forever
            blob = torch.load(handle, map_location="cpu", weights_only=True)
        raw = RawData(
            tuple(blob["classes"]),
            RawSplit(blob["train_images"], blob["train_labels"]),
            RawSplit(blob["test_images"], blob["test_labels"]),
        )
        problem = cache_problem(raw, kind)
        report = PhotoReport.from_dict(blob["photos"]) if blob.get("photos") else None
    except LocalizedError as error:  # a reason of ours (a file that is not regular …), kept for its language
        problem = error
    except Exception as error:  # noqa: BLE001 - a damaged cache is rebuilt, never fatal
        problem = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return (None, problem, None) if problem else (raw, "", report)


def cache_problem(raw: RawData, kind: str = "") -> DataSourceError | None:
    """What makes cached tensors not a data set (labels out of range, shapes that disagree …), or None.

    The error's sentence is a reason ("its train labels run from 99 to 99, not 0 to 1"), given as the `problem`
    of error.data.damaged or in a note; it is not raised."""
    classes = raw.classes
    if not classes or not all(isinstance(c, str) for c in classes):
        return DataSourceError("error.data.cache.classes")
    shapes = []
    for train, split in ((True, raw.train), (False, raw.test)):
        problem = _split_problem(split, len(classes), train)
        if problem is not None:
            return problem
        shapes.append(tuple(split.images.shape[2:]))
    if shapes[0] != shapes[1]:
        return DataSourceError(
            "error.data.cache.sizes", train_width=shapes[0][1], train_height=shapes[0][0],
            test_width=shapes[1][1], test_height=shapes[1][0],
        )
    if kind == "batches" and shapes[0] != (32, 32):
        return DataSourceError("error.data.cache.cifar_size", width=shapes[0][1], height=shapes[0][0])
    return None


def _split_problem(split: RawSplit, classes: int, train: bool) -> DataSourceError | None:
    """What makes one split's cached tensors unusable (`train`: the train split, else the test split), or None."""
    images, labels = split.images, split.labels
    if not isinstance(images, torch.Tensor) or images.dtype != torch.uint8 or images.dim() != 4 or images.shape[1] != 3:
        return DataSourceError("error.data.cache.train_images") if train else DataSourceError("error.data.cache.test_images")
    if not isinstance(labels, torch.Tensor) or labels.dtype != torch.int64 or labels.shape != (images.shape[0],):
        return DataSourceError("error.data.cache.train_labels") if train else DataSourceError("error.data.cache.test_labels")
    if len(labels) and (int(labels.min()) < 0 or int(labels.max()) >= classes):
        low, high, last = int(labels.min()), int(labels.max()), classes - 1
        if train:
            return DataSourceError("error.data.cache.train_label_range", low=low, high=high, last=last)
        return DataSourceError("error.data.cache.test_label_range", low=low, high=high, last=last)
    return None


def _write_cache(path: Path, raw: RawData, strict: bool = False, report: PhotoReport | None = None) -> None:
    """Write decoded tensors (and a photo folder's report) atomically (a temporary file, then a rename);
    `strict`: a failure raises."""
    blob: dict[str, Any] = {
        "classes": list(raw.classes),
        "train_images": raw.train.images.contiguous(),
        "train_labels": raw.train.labels,
        "test_images": raw.test.images.contiguous(),
        "test_labels": raw.test.labels,
    }
    if report is not None:
        blob["photos"] = report.to_dict()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + f".{os.getpid()}.part")
        torch.save(blob, partial)
        os.replace(partial, path)
    except OSError as error:
        if strict:
            raise DataSourceError("error.data.cannot_write", path=path, reason=error.strerror or str(error)) from None
        # a read-only data folder only costs the next load its speed


def _read_source(source: Source, status: Status, photos: PhotoOptions | None = None) -> tuple[RawData, PhotoReport | None]:
    """Decode `source`; image and photo folders are prepared by `photos` (None: the defaults) and reported."""
    assert source.path is not None
    if source.kind == "batches":
        return sources.read_batches_folder(source.path, status), None
    if source.kind in ("image_folder", "photo_folder"):
        from cnn_tui.ml.photo_reader import read_photos

        return read_photos(source.path, photos, status)
    pair = sources.tarball_pair(source.path)
    assert pair is not None
    return sources.read_tarballs(*pair, status=status), None


def _read_imported(path: Path) -> RawData:
    raw, problem, _ = _read_cache(path)
    if raw is None:
        raise DataSourceError("error.data.damaged", path=path, problem=problem)
    return raw


def load_dataset(
    source: str | Path | None = None,
    data_dir: Path | DataHome | None = None,
    *,
    cache: bool = True,
    download: bool = True,
    status: Status | None = None,
    photos: PhotoOptions | None = None,
) -> Dataset:
    """Load a data set as uint8 tensors (see the module docstring for the order sources are tried); photos of an
    image or photo folder are prepared by `photos` (the network's side, the resize policy, the test share)."""
    status = status or (lambda _: None)
    home = find_data_home(data_dir)
    resolved = resolve_source(source, home, download)
    if resolved.kind == SYNTHETIC:
        from cnn_tui.ml.synthetic import make_synthetic

        return make_synthetic()
    if resolved.kind == "download":
        resolved = Source("batches", download_cifar10(home.root, status))
    assert resolved.path is not None
    report = None
    if resolved.kind == "imported":
        raw, where = _read_imported(resolved.path), None
    else:
        where = cache_file(resolved, home.cache, photos) if cache else None
        raw, problem, report = _read_cache(where, resolved.kind) if where is not None and where.exists() else (None, "", None)
        if problem:
            status(Phrase("note.data.cache_unusable", where=where, problem=problem))
    if raw is None:
        raw, report = _read_source(resolved, status, photos)
        if where is not None:
            status(Phrase("note.data.caching", where=where))
            _write_cache(where, raw, report=report)
    for line in report.lines() if report is not None else ():
        status(line)
    name = "cifar10" if raw.classes == CIFAR10_CLASSES else (resolved.path.parent if resolved.kind == "imported" else resolved.path).name
    return Dataset(
        name=name,
        source=str(resolved.path),
        classes=raw.classes,
        train=Split(raw.train.images, raw.train.labels),
        test=Split(raw.test.images, raw.test.labels),
        photos=report,
    )


def import_dataset(source: str | Path, data_dir: Path | DataHome | None = None, status: Status | None = None) -> Path:
    """Decode `source` (anything --data accepts but synthetic) once into the data home's dataset.pt; returns its path."""
    status = status or (lambda _: None)
    if str(source) == SYNTHETIC:
        raise DataSourceError("error.data.synthetic_import")
    home = find_data_home(data_dir)
    resolved = resolve_source(source, home, download=False)
    assert resolved.path is not None
    raw, _ = _read_source(resolved, status)
    target = home.root / IMPORTED_FILE
    status(Phrase("note.data.writing", target=target))
    _write_cache(target, raw, strict=True)
    info = {
        "source": str(resolved.path.resolve()), "kind": resolved.kind, "classes": list(raw.classes),
        "train": int(raw.train.labels.shape[0]), "test": int(raw.test.labels.shape[0]),
    }
    (home.root / IMPORTED_INFO).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return target
