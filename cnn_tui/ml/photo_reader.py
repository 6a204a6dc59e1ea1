"""Decode a photo folder into a network's input size, in parallel threads, never holding a full-size JPEG."""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image, UnidentifiedImageError

from cnn_tui.config import IMAGE_DEFAULTS, LIMITS
from cnn_tui.core.image_header import bomb_pixels
from cnn_tui.core.images import ImageLoadError, decode_bytes, to_rgb
from cnn_tui.core.photo_resize import DEFAULT_POLICY, draft_request, fit
from cnn_tui.core.regular_files import open_regular
from cnn_tui.i18n import Phrase
from cnn_tui.ml.data_home import DataSourceError
from cnn_tui.ml.photo_folder import DEFAULT_TEST_SHARE, PLAIN, PhotoLayout, find_layout, split_plain
from cnn_tui.ml.photo_report import SHOWN_SKIPS, PhotoReport
from cnn_tui.ml.sources import RawData, RawSplit, Status

NOTED = ("gray", "palette", "alpha", "converted", "scaled16", "float", "rotated", "animated")
SWAPPING = (5, 6, 7, 8)  # EXIF orientations that turn the photo by 90°


@dataclass(frozen=True)
class PhotoOptions:
    """How photos are prepared: the network's input side, the resize policy, and a plain layout's test share."""

    side: int = 32
    resize: str = DEFAULT_POLICY
    test_share: float = DEFAULT_TEST_SHARE

    def key(self) -> dict[str, object]:
        return {"side": self.side, "resize": self.resize, "test_share": self.test_share}

    @classmethod
    def recorded(cls, meta: Any, fallback: PhotoOptions | None = None) -> PhotoOptions:
        """The options a checkpoint's training used (its CheckpointMeta `meta`: the network's side, the resize
        policy and test share it records), `fallback`'s (else the defaults) where it records none."""
        fallback = fallback or cls()
        return cls(meta.model.image_size, meta.resize or fallback.resize, meta.test_share or fallback.test_share)


@dataclass(frozen=True)
class Prepared:
    """One decoded photo: side×side×3 pixels, its upright size and what was done to it."""

    pixels: np.ndarray
    size: tuple[int, int]
    notes: tuple[str, ...]


def prepare_photo(path: Path, side: int, resize: str = DEFAULT_POLICY) -> Prepared:
    """Decode `path` into side×side RGB by `resize`; ImageLoadError (or an OSError: NotRegularFile for a FIFO,
    which would block) when it is not a readable photo."""
    if path.stat().st_size == 0:
        raise ImageLoadError("empty")
    with warnings.catch_warnings(), open_regular(path) as handle:
        warnings.simplefilter("ignore")  # DecompressionBombWarning, palette transparency, EXIF warnings
        with Image.open(handle) as image:
            width, height = image.size
            if width * height > IMAGE_DEFAULTS.max_pixels:
                raise ImageLoadError("bomb", pixels=width * height, limit=IMAGE_DEFAULTS.max_pixels)
            orientation = image.getexif().get(0x0112, 1)
            image.draft(None, draft_request(side))  # JPEG only: decode at 1/2, 1/4 or 1/8 scale
            if decode_bytes(image.mode, image.size, "transparency" in image.info) > LIMITS.image_bytes:
                raise ImageLoadError("io", detail="too large to decode here")
            pixels, notes = to_rgb(image, IMAGE_DEFAULTS.background)
    upright = (height, width) if orientation in SWAPPING else (width, height)
    codes = tuple(
        f"converted:{note.fields['mode']}" if note.code == "converted" else note.code for note in notes if note.code in NOTED
    )
    small = np.asarray(fit(Image.fromarray(pixels), side, resize))
    return Prepared(small, upright, codes)


@dataclass
class _Outcome:
    index: int
    size: tuple[int, int] | None
    notes: tuple[str, ...]
    refused: Phrase | None = None  # a photo whose header claims too many pixels: said by name, never decoded


def _decode_chunk(
    chunk: Sequence[tuple[int, Path]], side: int, resize: str, out: torch.Tensor
) -> list[_Outcome]:
    """Decode each (index, path) into out[index]; a file that fails gives an outcome without a size."""
    outcomes = []
    for index, path in chunk:
        try:
            photo = prepare_photo(path, side, resize)
        except (ImageLoadError, Image.DecompressionBombError) as error:  # a header claiming too many pixels: said
            outcomes.append(_Outcome(index, None, (), _refused(path, error)))
            continue
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError,
                EOFError, MemoryError, IndexError, KeyError, TypeError, ZeroDivisionError):
            outcomes.append(_Outcome(index, None, ()))  # a damaged file can make a plug-in raise almost anything
            continue
        out[index] = torch.from_numpy(np.array(photo.pixels)).permute(2, 0, 1)
        outcomes.append(_Outcome(index, photo.size, photo.notes))
    return outcomes


def _refused(path: Path, error: Exception) -> Phrase | None:
    """The sentence for a photo whose header claims more than IMAGE_DEFAULTS.max_pixels (None for other errors)."""
    if isinstance(error, ImageLoadError):
        if error.code != "bomb":
            return None
        pixels = error.fields["pixels"]
    else:
        pixels = bomb_pixels(error) or 0  # Pillow's own check in open(), at twice Image.MAX_IMAGE_PIXELS
    return Phrase("note.data.image_too_large", name=str(path), pixels=pixels, limit=IMAGE_DEFAULTS.max_pixels)


def decode_photos(paths: Sequence[Path], options: PhotoOptions, status: Status) -> tuple[torch.Tensor, list[_Outcome]]:
    """Every path decoded in parallel into a uint8 (N, 3, side, side) tensor (rows of failed files stay zero),
    with one outcome per path in order; a status note at every tenth done."""
    side = options.side
    out = torch.zeros((len(paths), 3, side, side), dtype=torch.uint8)
    items = list(enumerate(paths))
    workers = max(1, min(8, os.cpu_count() or 1))
    chunk = max(16, min(256, len(items) // (workers * 8) + 1))
    chunks = [items[i : i + chunk] for i in range(0, len(items), chunk)]
    outcomes: list[_Outcome] = []
    shown = 0
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_decode_chunk, part, side, options.resize, out) for part in chunks]
        for future in as_completed(futures):
            outcomes += future.result()
            tenth = 10 * len(outcomes) // max(1, len(items))
            if len(chunks) > 1 and tenth > shown:
                shown = tenth
                status(Phrase("photos.progress", done=len(outcomes), total=len(items)))
    outcomes.sort(key=lambda o: o.index)
    return out, outcomes


def read_photos(root: Path, options: PhotoOptions | None = None, status: Status | None = None) -> tuple[RawData, PhotoReport]:
    """Read the photo folder `root` (either layout) into tensors of options.side, and the report of what was done."""
    options = options or PhotoOptions()
    status = status or (lambda _: None)
    layout = find_layout(root, options.test_share)
    files = layout.files
    status(Phrase("photos.decoding", count=len(files), folder=root, threads=max(1, min(8, os.cpu_count() or 1))))
    images, outcomes = decode_photos([p for p, _, _ in files], options, status)
    for outcome in outcomes:
        if outcome.refused is not None:
            status(outcome.refused)  # the skip line counts it too; this says why, with the limit
    good = [o.size is not None for o in outcomes]
    skipped = sorted((files[i][0] for i, ok in enumerate(good) if not ok), key=lambda p: p.relative_to(root).as_posix())
    labels = torch.tensor([label for _, label, _ in files], dtype=torch.int64)
    keep = torch.tensor(good, dtype=torch.bool)
    in_test = split_plain(layout, good) if layout.kind == PLAIN else [test for _, _, test in files]
    in_train = ~torch.tensor(in_test, dtype=torch.bool)
    counts = [(int(((labels == c) & keep & in_train).sum()), int(((labels == c) & keep & ~in_train).sum())) for c in range(len(layout.classes))]
    for name, (train, test) in zip(layout.classes, counts, strict=True):
        if train + test < 2:
            raise DataSourceError("error.photos.small_class", name=name, count=train + test, folder=root)
    test_files = tuple(  # in the order of the test split's rows (a boolean mask keeps the files' order)
        path.relative_to(root).as_posix() for (path, _, _), ok, test in zip(files, good, in_test, strict=True) if ok and test
    )
    report = _report(layout, options, outcomes, counts, skipped, test_files)
    train_rows, test_rows = keep & in_train, keep & ~in_train
    raw = RawData(
        layout.classes,
        RawSplit(images[train_rows], labels[train_rows]),
        RawSplit(images[test_rows], labels[test_rows]),
    )
    return raw, report


def _report(
    layout: PhotoLayout, options: PhotoOptions, outcomes: list[_Outcome], counts: list[tuple[int, int]], skipped: list[Path],
    test_files: tuple[str, ...] = (),
) -> PhotoReport:
    sizes = [o.size for o in outcomes if o.size is not None]
    smallest = min(sizes, key=lambda s: (s[0] * s[1], s)) if sizes else (0, 0)
    largest = max(sizes, key=lambda s: (s[0] * s[1], s)) if sizes else (0, 0)
    conversions: dict[str, int] = {}
    for outcome in outcomes:
        for code in outcome.notes:
            conversions[code] = conversions.get(code, 0) + 1
    return PhotoReport(
        layout=layout.kind, classes=layout.classes, train_counts=tuple(a for a, _ in counts),
        test_counts=tuple(b for _, b in counts), smallest=smallest, largest=largest, side=options.side,
        resize=options.resize, test_share=layout.test_share, conversions=conversions, skipped=len(skipped),
        skipped_names=tuple(p.relative_to(layout.root).as_posix() for p in skipped[:SHOWN_SKIPS]),
        test_files=test_files,
    )
