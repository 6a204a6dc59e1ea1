"""CIFAR-10's download against a local server: resume, restart, checksum, cancel, offline; and the data-home lookup."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cnn_tui.config import user_cache_dir, user_data_dir
from cnn_tui.ml.data import import_dataset, load_dataset, resolve_source
from cnn_tui.ml.data_home import CIFAR10_FOLDER, DataHome, find_data_home
from cnn_tui.ml.download import ARCHIVE_NAME, PART_SUFFIX, DownloadCancelled, DownloadError, install_cifar10
from cnn_tui.ml.source_state import CACHED, FOUND, MISSING, source_state
from tests.archive_server import Served, fake_cifar_archive, serve
from tests.unit.ml.conftest import write_batches_folder, write_image_tree


@pytest.fixture
def archive(tmp_path: Path) -> bytes:
    return fake_cifar_archive(tmp_path / "made", per_batch=4)


def test_download_extracts_verifies_and_loads(tmp_path, archive):
    home = tmp_path / "home"
    seen = []
    with serve(Served(archive)) as served:
        folder = install_cifar10(home, served.url, served.md5, progress=seen.append)
    assert folder == home / CIFAR10_FOLDER and not (home / ARCHIVE_NAME).exists()
    assert [p.phase for p in seen][-2:] == ["verify", "extract"] and seen[0].total == len(archive)
    assert sorted(p.name for p in home.iterdir()) == [CIFAR10_FOLDER]  # no .part, no extraction scratch
    data = load_dataset(None, home)
    assert (len(data.train), len(data.test), data.name) == (20, 4, "cifar10")


def test_interrupted_download_resumes_with_a_range_request(tmp_path, archive):
    home = tmp_path / "home"
    with serve(Served(archive, cut_after=len(archive) // 2)) as served:
        with pytest.raises(DownloadError, match="run it again to resume"):
            install_cifar10(home, served.url, served.md5)
        part = home / (ARCHIVE_NAME + PART_SUFFIX)
        assert part.stat().st_size == len(archive) // 2
        assert source_state(None, home).state == MISSING  # a half archive is not data
        seen = []
        install_cifar10(home, served.url, served.md5, progress=seen.append)
    assert served.requests == [None, f"bytes={len(archive) // 2}-"]
    assert seen[0].resumed_from == len(archive) // 2
    assert source_state(None, home).state == FOUND


def test_a_server_without_ranges_restarts_cleanly(tmp_path, archive):
    home = tmp_path / "home"
    home.mkdir()
    (home / (ARCHIVE_NAME + PART_SUFFIX)).write_bytes(archive[:100])
    with serve(Served(archive, ranges=False)) as served:
        install_cifar10(home, served.url, served.md5)
    assert served.requests == ["bytes=100-"]  # asked to resume, got the whole file, wrote it from the start
    assert load_dataset(None, home).train.images.shape == (20, 3, 32, 32)


def test_checksum_mismatch_deletes_the_file_and_says_so(tmp_path, archive):
    home = tmp_path / "home"
    with serve(Served(archive)) as served:
        with pytest.raises(DownloadError, match="md5"):
            install_cifar10(home, served.url, "0" * 32)
    assert not any(home.iterdir())


def test_cancel_keeps_the_part_for_the_next_download(tmp_path, archive):
    home = tmp_path / "home"
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 1

    with serve(Served(archive * 20)) as served:
        with pytest.raises(DownloadCancelled):
            install_cifar10(home, served.url, served.md5, cancelled=cancelled)
    assert (home / (ARCHIVE_NAME + PART_SUFFIX)).exists() and not (home / CIFAR10_FOLDER).exists()


def test_offline_fails_at_once_with_one_sentence(tmp_path):
    with pytest.raises(DownloadError) as error:
        install_cifar10(tmp_path, "http://127.0.0.1:9/cifar-10-python.tar.gz", timeout=2)
    message = str(error.value)
    assert "`cnn-tui data import PATH`" in message and "`--data synthetic`" in message
    assert message.count(". ") == 0 and "\n" not in message


def test_lookup_order_option_env_cwd_user(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    user = find_data_home()
    assert (user.root, user.cache, user.origin) == (tmp_path / "xdg-data" / "cnn-tui", tmp_path / "xdg-cache" / "cnn-tui", "user")
    (tmp_path / "data").mkdir()  # an empty ./data does not count
    assert find_data_home().origin == "user"
    write_batches_folder(tmp_path / "data" / CIFAR10_FOLDER, per_batch=2)
    assert find_data_home() == DataHome(Path("data"), Path("data") / "cache", "./data")
    monkeypatch.setenv("CNN_TUI_DATA", str(tmp_path / "env"))
    assert find_data_home().root == tmp_path / "env"  # set, it wins even while empty
    assert find_data_home(tmp_path / "opt").root == tmp_path / "opt"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert user_data_dir() == Path.home() / ".local" / "share" / "cnn-tui"
    assert user_cache_dir() == Path.home() / ".cache" / "cnn-tui"


def test_user_home_caches_in_the_xdg_cache_and_is_found_from_any_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    write_batches_folder(tmp_path / "xdg-data" / "cnn-tui" / CIFAR10_FOLDER, per_batch=2)
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        monkeypatch.chdir(tmp_path / folder)
        assert len(load_dataset().train) == 10
    assert len(list((tmp_path / "xdg-cache" / "cnn-tui").glob("batches-*.pt"))) == 1
    assert source_state(None).state == CACHED


def test_import_decodes_once_into_the_home(tmp_path, monkeypatch):
    write_image_tree(tmp_path / "tree")
    home = tmp_path / "home"
    monkeypatch.setenv("CNN_TUI_DATA", str(home))
    target = import_dataset(tmp_path / "tree")
    assert target == home / "dataset.pt" and resolve_source(None).kind == "imported"
    assert sorted(p.name for p in home.iterdir()) == ["dataset.json", "dataset.pt"]
    monkeypatch.chdir(tmp_path)
    data = load_dataset()
    assert (len(data.train), data.classes) == (6, ("cat", "dog", "frog"))
    assert source_state(None).state == CACHED
    assert not os.path.exists(home / "cache")
