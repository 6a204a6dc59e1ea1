"""Readers for the on-disk forms of CIFAR-10: torchvision's batches, an image-folder tree, a train/test tarball pair.

Each reader returns uint8 tensors in ToTensor's channel order (N, 3, H, W) plus labels and
class names; files are decoded in parallel threads by torchvision's C++ decoders (the same
libjpeg as Pillow, so pixels match `ImageFolder` exactly). Problems raise `DataSourceError`
naming the file at fault.
"""

from __future__ import annotations

import io
import os
import pickle
import tarfile
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import numpy as np
import torch

from cnn_tui.config import ARCHIVE_LIMITS
from cnn_tui.core.image_header import header_pixels
from cnn_tui.i18n import Phrase
from cnn_tui.ml.archive_limits import ArchiveBudget

# The file layouts are recognised without torch (the data home's lookup needs no decoding).
from cnn_tui.ml.data_home import (  # noqa: F401 - re-exported: sources.is_batches_folder etc.
    BATCH_FILES,
    SPLITS,
    TEST_BATCH,
    DataSourceError,
    is_batches_folder,
    is_image_folder,
    tarball_pair,
)

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".ppm", ".tif", ".tiff")
META_FILE = "batches.meta"

Status = Callable[[Phrase], None]  # a progress note: str() is its English, describe() the app's language


@dataclass(frozen=True)
class RawSplit:
    """One split as read from disk: uint8 images (N, 3, H, W) and int64 labels (N,)."""

    images: torch.Tensor
    labels: torch.Tensor


@dataclass(frozen=True)
class RawData:
    """Both splits and the class names, in label order."""

    classes: tuple[str, ...]
    train: RawSplit
    test: RawSplit


def _quiet(_: str) -> None:
    return None


# --- torchvision's cifar-10-batches-py ---------------------------------------------------------


def _unpickle(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            # CIFAR-10's own format is a Python pickle, as torchvision reads it.
            return pickle.load(handle, encoding="latin1")
    except FileNotFoundError:
        raise DataSourceError("error.data.batch_missing", path=path, name=path.name) from None
    except (pickle.UnpicklingError, EOFError, ValueError, OSError) as error:
        raise DataSourceError("error.data.batch_unreadable", path=path, reason=str(error)) from None


def _batch_split(paths: Sequence[Path]) -> RawSplit:
    images, labels = [], []
    for path in paths:
        entry = _unpickle(path)
        try:
            data = torch.as_tensor(entry["data"], dtype=torch.uint8).reshape(-1, 3, 32, 32)
            label = torch.as_tensor(entry.get("labels", entry.get("fine_labels")), dtype=torch.int64)
        except (KeyError, TypeError, RuntimeError) as error:
            raise DataSourceError("error.data.not_batch", path=path, reason=str(error)) from None
        if len(label) != len(data):
            raise DataSourceError("error.data.batch_counts", path=path, images=len(data), labels=len(label))
        images.append(data)
        labels.append(label)
    return RawSplit(torch.cat(images), torch.cat(labels))


def read_batches_folder(folder: Path, status: Status = _quiet) -> RawData:
    """Read torchvision's `cifar-10-batches-py` (already in CHW order: no decoding needed)."""
    status(Phrase("note.data.reading", path=folder))
    meta = _unpickle(folder / META_FILE) if (folder / META_FILE).is_file() else {}
    train = _batch_split([folder / name for name in BATCH_FILES])
    test = _batch_split([folder / TEST_BATCH])
    names = meta.get("label_names") or [str(i) for i in range(int(train.labels.max()) + 1)]
    return RawData(tuple(str(n) for n in names), train, test)


# --- decoding ----------------------------------------------------------------------------------


def _torchvision_decoder() -> Callable[[bytes], torch.Tensor] | None:
    """torchvision's C++ decoder (about 3× faster than Pillow here, same libjpeg pixels), if this torchvision has it."""
    try:
        from torchvision.io import ImageReadMode, decode_image
    except ImportError:
        return None
    # torchvision 0.29 deprecates its decoders in favour of TorchCodec; they still work, and Pillow takes over when they go.
    warnings.filterwarnings("ignore", message="The image decoding and encoding capabilities of TorchVision", category=DeprecationWarning)

    def decode(blob: bytes) -> torch.Tensor:
        return decode_image(torch.frombuffer(bytearray(blob), dtype=torch.uint8), mode=ImageReadMode.RGB)

    return decode


def _pillow_decode(blob: bytes) -> torch.Tensor:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(blob)) as image:
            pixels = np.asarray(image.convert("RGB"), dtype=np.uint8)
    except (UnidentifiedImageError, Image.DecompressionBombError) as error:
        raise ValueError(str(error)) from None
    return torch.from_numpy(pixels.copy()).permute(2, 0, 1).contiguous()


def _decode_chunk(items: Sequence[tuple[str, bytes | None]]) -> list[torch.Tensor | DataSourceError | Phrase]:
    """Decode (name, bytes) pairs; bytes None means read the file `name`. Errors come back as DataSourceErrors, an
    image whose header claims more than `ArchiveLimits.image_pixels` as the Phrase saying it is skipped (undecoded)."""
    fast = _torchvision_decoder()
    out: list[torch.Tensor | DataSourceError | Phrase] = []
    for name, blob in items:
        try:
            if blob is None:
                with open(name, "rb") as handle:
                    blob = handle.read()
            pixels = header_pixels(blob)
            if pixels is not None and pixels > ARCHIVE_LIMITS.image_pixels:
                out.append(Phrase("note.data.image_too_large", name=name, pixels=pixels, limit=ARCHIVE_LIMITS.image_pixels))
                continue
            try:
                image = fast(blob) if fast is not None else _pillow_decode(blob)
            except RuntimeError:  # a format torchvision does not decode (BMP, TIFF, ...): Pillow may
                image = _pillow_decode(blob)
            out.append(image)
        except (OSError, RuntimeError, ValueError, SyntaxError) as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            out.append(DataSourceError("error.data.unreadable_image", name=name, reason=reason))
    return out


def decode_all(items: Sequence[tuple[str, bytes | None]], labels: Sequence[int], what: str, status: Status = _quiet) -> RawSplit:
    """Decode every item in parallel into one uint8 (N, 3, H, W) tensor; all images must share one size. An image
    whose header claims too many pixels is left out undecoded, said through `status`; the others are read."""
    if not items:
        raise DataSourceError("error.data.no_images", where=what)
    workers = max(1, min(8, os.cpu_count() or 1))
    chunk = max(64, len(items) // (workers * 8) + 1)
    chunks = [items[i : i + chunk] for i in range(0, len(items), chunk)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        decoded = [image for part in pool.map(_decode_chunk, chunks) for image in part]
    kept = [i for i, image in enumerate(decoded) if not isinstance(image, Phrase)]
    for skipped in (image for image in decoded if isinstance(image, Phrase)):
        status(skipped)
    if len(kept) < len(decoded):
        if not kept:
            raise DataSourceError("error.data.no_images", where=what)
        items, labels, decoded = [items[i] for i in kept], [labels[i] for i in kept], [decoded[i] for i in kept]
    first = next((d for d in decoded if isinstance(d, torch.Tensor)), None)
    for (name, _), image in zip(items, decoded, strict=True):
        if isinstance(image, DataSourceError):
            raise image
        assert first is not None
        if image.shape != first.shape:
            size, expected = tuple(image.shape[1:]), tuple(first.shape[1:])
            raise DataSourceError(
                "error.data.image_sizes", name=name, width=size[1], height=size[0],
                first=items[0][0], first_width=expected[1], first_height=expected[0],
            )
    return RawSplit(torch.stack(decoded), torch.tensor(list(labels), dtype=torch.int64))  # type: ignore[arg-type]


# --- image-folder tree: train/<class>/*, test/<class>/* ----------------------------------------


def _class_dirs(split_dir: Path) -> list[Path]:
    return sorted((p for p in split_dir.iterdir() if p.is_dir() and not p.name.startswith(".")), key=lambda p: p.name)


def _image_files(class_dir: Path) -> list[Path]:
    return sorted(p for p in class_dir.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)


def read_image_folder(root: Path, status: Status = _quiet) -> RawData:
    """Read an ImageFolder-style tree; class names are the sorted folder names, as torchvision does."""
    classes: tuple[str, ...] | None = None
    splits: dict[str, RawSplit] = {}
    for split in SPLITS:
        dirs = _class_dirs(root / split)
        names = tuple(d.name for d in dirs)
        if not names:
            raise DataSourceError("error.data.no_class_folders", folder=root / split, split=split)
        if classes is not None and names != classes:
            raise DataSourceError(
                "error.data.classes_differ", where=root / split, classes=", ".join(names), train_classes=", ".join(classes)
            )
        classes = names
        items: list[tuple[str, bytes | None]] = []
        labels: list[int] = []
        for label, class_dir in enumerate(dirs):
            files = _image_files(class_dir)
            items += [(str(f), None) for f in files]
            labels += [label] * len(files)
        status(
            Phrase("note.data.decoding_train_from", count=len(items), folder=root / split)
            if split == "train"
            else Phrase("note.data.decoding_test_from", count=len(items), folder=root / split)
        )
        splits[split] = decode_all(items, labels, str(root / split), status)
    assert classes is not None
    return RawData(classes, splits["train"], splits["test"])


# --- a train.tar.gz / test.tar.gz pair holding such a tree --------------------------------------


def _read_tar(path: Path) -> tuple[list[tuple[str, bytes | None]], list[str]]:
    """(member name, bytes) for every image in `path` and each one's class folder name."""
    items: list[tuple[str, bytes | None]] = []
    class_names: list[str] = []
    try:
        budget = ArchiveBudget(path)
        with tarfile.open(path, "r:*", tarinfo=budget.tarinfo_class()) as archive:
            for member in archive:
                budget.admit(member)  # before the member's bytes are read, or skipped on the next step
                parts = PurePosixPath(member.name).parts
                if not member.isfile() or len(parts) < 2 or PurePosixPath(member.name).suffix.lower() not in IMAGE_SUFFIXES:
                    continue
                handle = archive.extractfile(member)
                if handle is None:
                    continue
                items.append((f"{path}:{member.name}", handle.read()))
                class_names.append(parts[-2])
    except DataSourceError:
        raise
    except (tarfile.TarError, OSError, EOFError, ValueError) as error:  # ValueError: a malformed sparse map
        reason = " ".join(str(error).split())  # 'r:*' lists each method's failure on its own line: one line here
        raise DataSourceError("error.data.tar_unreadable", path=path, reason=reason) from None
    return items, class_names


def read_tarballs(train_tar: Path, test_tar: Path, status: Status = _quiet) -> RawData:
    """Read train/test image trees straight from their tarballs, without extracting them to disk."""
    classes: tuple[str, ...] | None = None
    splits: dict[str, RawSplit] = {}
    for split, path in zip(SPLITS, (train_tar, test_tar), strict=True):
        status(Phrase("note.data.reading", path=path))
        items, class_names = _read_tar(path)
        names = tuple(sorted(set(class_names)))
        if not names:
            raise DataSourceError("error.data.tar_no_images", path=path)
        if classes is not None and names != classes:
            raise DataSourceError("error.data.classes_differ", where=path, classes=", ".join(names), train_classes=", ".join(classes))
        classes = names
        index = {name: i for i, name in enumerate(names)}
        order = sorted(range(len(items)), key=lambda i: items[i][0])
        status(
            Phrase("note.data.decoding_train", count=len(items))
            if split == "train"
            else Phrase("note.data.decoding_test", count=len(items))
        )
        splits[split] = decode_all(
            [items[i] for i in order], [index[class_names[i]] for i in order], str(path), status
        )
    assert classes is not None
    return RawData(classes, splits["train"], splits["test"])
