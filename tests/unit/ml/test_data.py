"""Every data source branch: synthetic, cifar-10-batches-py, image folders, tarballs, the cache and the download."""

from __future__ import annotations

import tarfile
import urllib.error
from dataclasses import replace
import urllib.request
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from cnn_tui.ml import data as data_module
from cnn_tui.ml import download, photo_reader, sources
from cnn_tui.ml.data import DataSourceError, Normalization, load_dataset, resolve_source, to_float
from cnn_tui.ml.synthetic import CLASSES as SYNTHETIC_CLASSES
from cnn_tui.ml.synthetic import make_synthetic
from tests.conftest import CIFAR10_JPEG_DIR
from tests.unit.ml.conftest import CLASSES, write_batches_folder, write_image_tree, write_tarballs

CIFAR_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")


def test_synthetic_is_deterministic_balanced_and_separate_from_test():
    a, b = make_synthetic(200, 50, seed=3), make_synthetic(200, 50, seed=3)
    assert torch.equal(a.train.images, b.train.images) and torch.equal(a.test.labels, b.test.labels)
    assert a.train.images.dtype == torch.uint8 and a.train.images.shape == (200, 3, 32, 32)
    assert a.train.labels.bincount().tolist() == [20] * 10
    assert a.classes == SYNTHETIC_CLASSES and len(set(SYNTHETIC_CLASSES)) == 10
    assert not torch.equal(a.train.images[:50], a.test.images)
    assert not torch.equal(make_synthetic(200, 50, seed=4).train.images, a.train.images)
    assert load_dataset("synthetic").name == "synthetic"


def test_batches_folder_given_directly_its_parent_or_found_in_data_dir(tmp_path):
    written = write_batches_folder(tmp_path / "data" / "cifar-10-batches-py")
    for source in (tmp_path / "data" / "cifar-10-batches-py", tmp_path / "data", None):
        data = load_dataset(source, tmp_path / "data", cache=False)
        assert data.classes == CIFAR_CLASSES and data.name == "cifar10"
        assert data.train.hwc_shape == (30, 32, 32, 3) and data.test.hwc_shape == (6, 32, 32, 3)
        assert data.class_to_idx["airplane"] == 0 and data.class_to_idx["truck"] == 9
    # CIFAR rows are R plane, G plane, B plane: exactly ToTensor's CHW order
    assert torch.equal(data.train.images[0].flatten(), torch.from_numpy(written["data_batch_1"][0]))
    assert torch.equal(data.test.images[-1].flatten(), torch.from_numpy(written["test_batch"][-1]))
    assert data.facts()[1:] == ["train: (30, 32, 32, 3)", "test: (6, 32, 32, 3)"]


def test_damaged_batch_file_names_the_file(tmp_path):
    folder = tmp_path / "cifar-10-batches-py"
    write_batches_folder(folder)
    (folder / "data_batch_3").write_bytes(b"garbage")
    with pytest.raises(DataSourceError, match="data_batch_3"):
        load_dataset(folder, tmp_path, cache=False)


def test_image_folder_tree_keeps_pixels_labels_and_sorted_class_names(image_tree):
    root, pixels = image_tree
    data = load_dataset(root, root.parent / "data", cache=False)
    assert data.classes == tuple(sorted(CLASSES))
    assert len(data.train) == 6 and len(data.test) == 6
    for i, name in enumerate(sorted(CLASSES)):
        assert torch.equal(data.train.images[2 * i], torch.from_numpy(pixels[f"train/{name}/0000.png"]).permute(2, 0, 1))
        assert data.train.labels[2 * i] == i
    assert data.image_shape == (3, 32, 32)


def test_image_folder_takes_other_sizes_skips_unreadable_files_and_names_differing_classes(tmp_path):
    root = tmp_path / "tree"
    write_image_tree(root)
    odd = root / "train" / "dog" / "0001.png"
    Image.fromarray(np.zeros((20, 24, 3), dtype=np.uint8)).save(odd)
    assert load_dataset(root, tmp_path, cache=False).image_shape == (3, 32, 32)  # resized, not refused
    odd.write_bytes(b"not a png at all")
    said: list[str] = []
    data = load_dataset(root, tmp_path, cache=False, status=lambda p: said.append(str(p)))
    assert len(data.train) == 5 and "skipped 1 file that is not a readable photo: train/dog/0001.png" in said
    odd.unlink()
    (root / "test" / "frog").rename(root / "test" / "toad")
    with pytest.raises(DataSourceError, match="classes .*toad.* differ from train"):
        load_dataset(root, tmp_path, cache=False)


@pytest.mark.parametrize("decoder", ["torchvision", "pillow"])
def test_grey_jpeg_and_bmp_images_become_rgb_with_either_decoder(tmp_path, monkeypatch, decoder):
    if decoder == "pillow":
        monkeypatch.setattr(sources, "_torchvision_decoder", lambda: None)
    root = tmp_path / "tree"
    for split in ("train", "test"):
        (root / split / "a").mkdir(parents=True)
        Image.fromarray(np.full((32, 32), 200, dtype=np.uint8), mode="L").save(root / split / "a" / "g.png")
        Image.fromarray(np.full((32, 32, 3), 90, dtype=np.uint8)).save(root / split / "a" / "c.jpg")
        Image.fromarray(np.full((32, 32, 3), 7, dtype=np.uint8)).save(root / split / "a" / "b.bmp")
    data = load_dataset(root, tmp_path, cache=False)
    assert data.train.images.shape == (3, 3, 32, 32)
    assert [data.train.images[i].unique().tolist() for i in (0, 2)] == [[7], [200]]  # b.bmp, c.jpg, g.png
    assert data.train.images[1].float().mean().round() == 90


def test_tarball_pair_reads_without_extracting(tmp_path, image_tree):
    root, pixels = image_tree
    write_tarballs(root, tmp_path / "tars")
    from_tar = load_dataset(tmp_path / "tars", tmp_path, cache=False)
    from_tree = load_dataset(root, tmp_path, cache=False)
    assert from_tar.classes == from_tree.classes
    assert torch.equal(from_tar.train.images, from_tree.train.images)
    assert torch.equal(from_tar.test.labels, from_tree.test.labels)
    (tmp_path / "tars" / "test.tar.gz").write_bytes(b"\x1f\x8b broken")
    with pytest.raises(DataSourceError, match="test.tar.gz: not a readable tar archive"):
        load_dataset(tmp_path / "tars", tmp_path, cache=False)


@pytest.mark.parametrize("make, words", [("missing", "no such file"), ("file", "not a folder"), ("empty", "not a CIFAR-10 folder")])
def test_bad_data_paths_explain_the_options(tmp_path, make, words):
    path = tmp_path / "x"
    if make == "file":
        path.write_text("hello")
    elif make == "empty":
        path.mkdir()
    with pytest.raises(DataSourceError, match=words) as error:
        load_dataset(path, tmp_path / "data")
    assert "--data synthetic" in str(error.value) and "train.tar.gz" in str(error.value)


def test_offline_download_is_one_clear_error(tmp_path, monkeypatch):
    def offline(*args, **kwargs):
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    notes: list[str] = []
    with pytest.raises(DataSourceError) as error:
        load_dataset(None, tmp_path / "data", status=notes.append)
    message = str(error.value)
    assert "cannot download" in message and "name resolution" in message
    assert "`cnn-tui data import PATH`" in message and "`--data synthetic`" in message
    assert "downloading" in str(notes[0]) and not (tmp_path / "data" / "cifar-10-batches-py").exists()
    with pytest.raises(DataSourceError, match="not in"):
        resolve_source(None, tmp_path / "data", download=False)


def test_successful_download_is_then_read_from_data_dir(tmp_path, monkeypatch):
    from tests.archive_server import Served, fake_cifar_archive, serve

    archive = fake_cifar_archive(tmp_path / "made", per_batch=6)
    with serve(Served(archive)) as served:
        monkeypatch.setenv("CNN_TUI_CIFAR10_URL", served.url)
        monkeypatch.setattr(download, "DOWNLOAD_DEFAULTS", replace(download.DOWNLOAD_DEFAULTS, md5=served.md5))
        data = load_dataset(None, tmp_path / "data")
    assert len(data.train) == 30 and data.name == "cifar10"
    assert resolve_source(None, tmp_path / "data").kind == "batches"


def test_cache_serves_the_second_load_and_follows_changes(tmp_path, monkeypatch, image_tree):
    root, _ = image_tree
    first = load_dataset(root, tmp_path / "data")
    cached = list((tmp_path / "data" / "cache").glob("image_folder-*.pt"))
    assert len(cached) == 1

    def no_decoding(*args, **kwargs):
        raise AssertionError("decoded again instead of using the cache")

    monkeypatch.setattr(photo_reader, "decode_photos", no_decoding)
    second = load_dataset(root, tmp_path / "data")
    assert torch.equal(first.train.images, second.train.images) and second.classes == first.classes
    monkeypatch.undo()
    Image.fromarray(np.zeros((32, 32, 3), dtype=np.uint8)).save(root / "train" / "cat" / "0099.png")
    third = load_dataset(root, tmp_path / "data")
    assert len(third.train) == len(first.train) + 1
    cached[0].write_bytes(b"damaged")  # a damaged cache is rebuilt, not fatal
    key = data_module.cache_file(resolve_source(root, tmp_path), tmp_path / "data" / "cache")
    key.write_bytes(b"damaged")
    assert len(load_dataset(root, tmp_path / "data").train) == len(third.train)


def test_subset_normalization_and_to_float():
    data = make_synthetic(300, 100)
    small = data.subset(train=50, test=20, seed=1)
    assert len(small.train) == 50 and len(small.test) == 20 and "subset" in small.source
    assert torch.equal(small.train.images, data.subset(train=50, test=20, seed=1).train.images)
    x = to_float(small.train.images[:4])
    assert x.dtype == torch.float32 and 0 <= x.min() and x.max() <= 1
    norm = Normalization.of(data.train)
    z = to_float(data.train.images, norm)
    assert torch.allclose(z.mean(dim=(0, 2, 3)), torch.zeros(3), atol=1e-3)
    assert torch.allclose(z.std(dim=(0, 2, 3)), torch.ones(3), atol=1e-3)
    assert Normalization.from_dict(norm.to_dict()) == norm and Normalization.from_dict(None) is None


@pytest.mark.skipif(not (CIFAR10_JPEG_DIR / "test.tar.gz").exists(), reason="CIFAR-10 JPEGs not in ../shared")
def test_reads_a_few_real_cifar10_jpegs(tmp_path):
    root = tmp_path / "cifar"
    with tarfile.open(CIFAR10_JPEG_DIR / "test.tar.gz") as archive:
        wanted = {f"test/{c}/{i:04d}.jpg" for c in ("airplane", "cat", "truck") for i in range(3)}
        members = [m for m in archive if m.name in wanted]
        if len(members) < len(wanted):
            pytest.skip("the tarball's layout is not test/<class>/NNNN.jpg")
        archive.extractall(root, members=members, filter="data")
    for member in (root / "test").rglob("*.jpg"):
        target = root / "train" / member.parent.name / member.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(member.read_bytes())
    data = load_dataset(root, tmp_path, cache=False)
    assert data.classes == ("airplane", "cat", "truck")
    assert data.test.hwc_shape == (9, 32, 32, 3) and data.train.hwc_shape == (9, 32, 32, 3)
    reference = np.array(Image.open(root / "test" / "cat" / "0001.jpg").convert("RGB"))
    assert torch.equal(data.test.images[4], torch.from_numpy(reference).permute(2, 0, 1))  # same pixels as Pillow
