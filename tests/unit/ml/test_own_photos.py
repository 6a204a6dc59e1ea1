"""Own photos: both folder layouts, the hash split, any size, mode and format, bad files skipped, the cache."""

from __future__ import annotations

import os

import numpy as np
import pytest
import torch
from PIL import Image

from cnn_tui.core.photo_resize import fit_array
from cnn_tui.i18n import describe
from cnn_tui.ml import photo_reader
from cnn_tui.ml.data import DataSourceError, load_dataset, resolve_source
from cnn_tui.ml.photo_folder import class_files, split_class, held_out_count
from cnn_tui.ml.photo_reader import PhotoOptions, prepare_photo
from tests.photo_folders import COLOURS, photo, rotated_jpeg, save_as, write_photo_folder

SEVEN = tuple(COLOURS)


def _load(root, home, said=None, **options):
    return load_dataset(
        root, home, cache=options.pop("cache", False), status=(said.append if said is not None else None),
        photos=PhotoOptions(**options) if options else None,
    )


@pytest.mark.slow
def test_seven_plain_class_folders_of_every_format_and_mode_become_one_data_set(tmp_path):
    root = tmp_path / "photos"
    write_photo_folder(root, SEVEN, per_class=6)
    for kind in ("grey", "palette", "rgba", "cmyk", "16bit"):
        save_as(photo(COLOURS["red"], 90, 70, seed=7), root / "red" / f"mode-{kind}", kind)
    rotated_jpeg(root / "red" / "rotated.jpg", (255, 0, 0), (0, 0, 255))
    (root / "red" / "holiday" / "2024").mkdir(parents=True)  # a nested folder belongs to its class
    save_as(photo(COLOURS["red"], 300, 200), root / "red" / "holiday" / "2024" / "beach", "jpg")
    (root / "blue" / "notes.txt").write_text("not a photo")
    (root / "blue" / "empty.jpg").write_bytes(b"")
    (root / "green" / "broken.jpg").write_bytes(save_as(photo((0, 200, 0), 64, 64), tmp_path / "whole", "jpg").read_bytes()[:300])
    (root / "green" / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")  # hidden: not even counted
    os.mkfifo(root / "green" / "pipe.jpg")  # would block a reader that opened it
    said: list = []
    data = _load(root, tmp_path / "home", said)
    assert data.classes == tuple(sorted(SEVEN)) and data.image_shape == (3, 32, 32)
    counts = torch.bincount(torch.cat([data.train.labels, data.test.labels]), minlength=7).tolist()
    assert dict(zip(data.classes, counts)) == {**{name: 6 for name in SEVEN}, "red": 13}
    assert (torch.bincount(data.test.labels, minlength=7) >= 1).all()  # every class is tested
    lines = [str(p) for p in said]
    assert any(line.startswith("49 photos of 7 classes, ") and line.endswith("→ shorter side 32, centre crop 32×32") for line in lines)
    assert "split by a hash of each file's name: 40 train, 9 test (20% of each class, --test-share)" in lines
    assert "classes: blue 6, cyan 6, green 6, grey 6, magenta 6, red 13, yellow 6" in lines
    assert "skipped 4 files that are not readable photos: blue/empty.jpg, blue/notes.txt, green/broken.jpg and 1 more" in lines
    converted = next(line for line in lines if line.startswith("made RGB and upright: "))
    for words in ("greyscale", "with a palette", "with transparency (over white)", "1 CMYK", "1 16-bit",
                  "1 turned upright by their EXIF orientation", "animated (first frame)"):
        assert words in converted  # each conversion said once, in one line
    assert describe(said[-1]) == lines[-1]  # phrases: the app says them in its own language


def test_two_classes_in_train_and_test_folders_of_mixed_sizes_keep_their_split(tmp_path):
    root = tmp_path / "pets"
    write_photo_folder(root, ("red", "blue"), per_class=5, layout="split")
    said: list = []
    data = _load(root, tmp_path / "home", said, side=24, resize="pad")
    assert data.classes == ("blue", "red") and len(data.train) == 8 and len(data.test) == 2
    assert data.image_shape == (3, 24, 24) and data.resize == "pad"
    assert "8 train (train/), 2 test (test/)" in [str(p) for p in said]


def test_exif_orientation_is_applied_before_resizing(tmp_path):
    path = rotated_jpeg(tmp_path / "turned.jpg", (255, 0, 0), (0, 0, 255))
    prepared = prepare_photo(path, 8, "squash")
    assert prepared.size == (20, 60) and "rotated" in prepared.notes
    top, bottom = prepared.pixels[0].mean(axis=0), prepared.pixels[-1].mean(axis=0)
    assert top[0] > 200 > top[2] and bottom[2] > 200 > bottom[0]  # upright: the left half became the top


@pytest.mark.parametrize("policy", ["crop", "squash", "pad"])
def test_resize_policies(policy):
    pixels = np.zeros((40, 80, 3), dtype=np.uint8)
    pixels[:, :20] = (255, 0, 0)  # the left quarter red, the rest black
    out = fit_array(pixels, 16, policy)
    assert out.shape == (16, 16, 3)
    red = out[:, :, 0] > 128
    if policy == "crop":  # the centre 40×40 has no red
        assert not red.any()
    elif policy == "squash":  # a quarter of the width stays red, every row
        assert red[:, :3].all() and not red[:, 5:].any()
    else:  # 16×8 in the middle: black bars above and below, red on the left of the photo
        assert not out[:4].any() and not out[12:].any() and red[4:12, :3].all()


def test_the_split_follows_names_so_adding_photos_moves_at_most_one(tmp_path):
    folder = tmp_path / "cat"
    folder.mkdir()
    for i in range(20):
        (folder / f"{i}.jpg").write_bytes(b"x")
    files = class_files(folder)
    train, test = split_class(folder, files, 0.2)
    assert len(test) == 4 and sorted(train + test) == files
    assert split_class(folder, list(reversed(files)), 0.2)[1] == sorted(test, key=files.index)[::-1]
    for i in range(20, 26):
        (folder / f"{i}.jpg").write_bytes(b"x")
    _, later = split_class(folder, class_files(folder), 0.2)
    assert len(set(test) - set(later)) <= 1 and len(later) == 5
    assert [held_out_count(n, 0.2) for n in (2, 3, 10, 11)] == [1, 1, 2, 2]  # each class tests one and trains one at least


def test_folders_that_cannot_train_are_refused_with_a_sentence(tmp_path):
    root = tmp_path / "photos"
    write_photo_folder(root, ("red",), per_class=3, mixed=False)
    with pytest.raises(DataSourceError, match="1 class folder.* training needs at least 2"):
        _load(root, tmp_path)
    write_photo_folder(root, ("blue",), per_class=1, mixed=False)
    with pytest.raises(DataSourceError, match="class 'blue' .* has 1 readable photo.*at least 2"):
        _load(root, tmp_path)
    (root / "blue" / "more.jpg").write_text("a text file named like a photo")
    with pytest.raises(DataSourceError, match="class 'blue' .* has 1 readable photo"):  # counted after decoding
        _load(root, tmp_path)
    assert resolve_source(root, tmp_path).kind == "photo_folder"


def test_the_second_load_comes_from_the_cache_and_says_the_same(tmp_path, monkeypatch):
    root = tmp_path / "photos"
    write_photo_folder(root, ("red", "green", "blue"), per_class=4)
    first: list = []
    data = _load(root, tmp_path / "home", first, cache=True, side=32)

    def no_decoding(*args, **kwargs):
        raise AssertionError("decoded again instead of using the cache")

    monkeypatch.setattr(photo_reader, "decode_photos", no_decoding)
    second: list = []
    again = _load(root, tmp_path / "home", second, cache=True, side=32)
    assert torch.equal(data.train.images, again.train.images) and again.photos == data.photos
    assert [str(p) for p in first[-3:]] == [str(p) for p in second[-3:]]
    monkeypatch.undo()
    other = _load(root, tmp_path / "home", None, cache=True, side=32, resize="squash")  # another policy, another cache
    assert not torch.equal(other.train.images, data.train.images)


def test_a_large_jpeg_is_decoded_at_a_reduced_scale(tmp_path):
    path = tmp_path / "big.jpg"
    Image.fromarray(np.full((1200, 1600, 3), 90, dtype=np.uint8)).save(path)
    seen = []
    original = Image.Image.resize

    def spy(self, size, *args, **kwargs):
        seen.append(self.size)
        return original(self, size, *args, **kwargs)

    Image.Image.resize = spy
    try:
        prepared = prepare_photo(path, 32)
    finally:
        Image.Image.resize = original
    assert prepared.size == (1600, 1200) and prepared.pixels.shape == (32, 32, 3)
    assert max(w * h for w, h in seen) <= 200 * 150  # draft(): decoded at 1/8 scale, never at full size
