"""`cnn-tui data status | download | import | path`, and the README's offline demo, as a user runs them."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from cnn_tui.cli import main
from cnn_tui.ml import download
from tests.archive_server import Served, fake_cifar_archive, serve
from tests.conftest import CIFAR10_JPEG_DIR, REPO_ROOT
from tests.unit.ml.conftest import write_image_tree


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """An empty working folder and an empty user data folder under tmp_path."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    return tmp_path / "xdg-data" / "cnn-tui"


def test_status_and_path_without_data(home, capsys):
    assert main(["data", "path"]) == 0
    assert capsys.readouterr().out.strip() == str(home)
    assert main(["data", "status"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[1].startswith("  1. --data PATH|synthetic") and "2. --data-dir" in lines[2] and "3. $CNN_TUI_DATA" in lines[3]
    assert "4. ./data" in lines[4] and f"5. the user's data folder" in lines[5] and "← the data home" in lines[5]
    assert "no data set yet: run `cnn-tui data download`" in out


def test_offline_download_fails_fast_with_one_sentence(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(REPO_ROOT),
           "CNN_TUI_CIFAR10_URL": "http://127.0.0.1:9/cifar-10-python.tar.gz"}
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "cnn_tui", "data", "download"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("cnn-tui data download: cannot download http://127.0.0.1:9/")
    assert "`cnn-tui data import PATH`" in last and "`--data synthetic`" in last and last.count(". ") == 0
    assert "torch" not in done.stderr
    print(f"offline failure after {time.monotonic() - started:.1f} s")  # informative; not a timed test


def test_download_then_status_then_train_from_another_folder(home, tmp_path, monkeypatch, capsys):
    archive = fake_cifar_archive(tmp_path / "made", per_batch=8)
    with serve(Served(archive)) as served:
        monkeypatch.setattr(download, "DOWNLOAD_DEFAULTS", replace(download.DOWNLOAD_DEFAULTS, md5=served.md5))
        assert main(["data", "download", "--url", served.url]) == 0
    err = capsys.readouterr().err
    assert f"CIFAR-10 is in {home / 'cifar-10-batches-py'}" in err.replace("\n", "")
    assert main(["data", "download"]) == 0  # already there: nothing fetched
    assert "already in" in capsys.readouterr().out
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert main(["eval", "--checkpoint", str(tmp_path / "none.pth")]) == 2  # data found; only the checkpoint is missing
    assert "no checkpoint" in capsys.readouterr().err
    assert main(["data", "status"]) == 0
    out = capsys.readouterr().out
    assert "batches" in out and "not decoded yet" in out


def test_download_with_a_bad_checksum_is_one_line(home, tmp_path, capsys):
    with serve(Served(b"not the archive")) as served:
        assert main(["data", "download", "--url", served.url]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert "did not match its md5 checksum" in err[-1] and not any(home.glob("*.part"))


def test_import_then_status_counts_the_images(home, tmp_path, capsys):
    write_image_tree(tmp_path / "tree", per_class=3)
    assert main(["data", "import", str(tmp_path / "tree")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("imported 9 train and 9 test images (3 classes)") and str(home / "dataset.pt") in out
    assert main(["data", "status"]) == 0
    assert "9 train and 9 test images, 3 classes" in capsys.readouterr().out


@pytest.mark.parametrize("args, words", [
    (["data", "import"], "import needs the data set's PATH"),
    (["data", "import", "no/such/folder"], "--data no/such/folder: no such file"),
    (["data", "import", "synthetic"], "built in"),
    (["data", "status", "extra"], "status takes no PATH"),
])
def test_data_user_errors_are_one_line(home, capsys, args, words):
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0]


@pytest.mark.slow
@pytest.mark.skipif(not (CIFAR10_JPEG_DIR / "test.tar.gz").is_file(), reason="no CIFAR-10 JPEG tarballs on this machine")
def test_import_real_cifar10_tarballs(home, capsys):
    assert main(["data", "import", str(CIFAR10_JPEG_DIR)]) == 0
    assert "imported 50,000 train and 10,000 test images (10 classes)" in capsys.readouterr().out


@pytest.mark.slow
def test_readme_offline_demo_learns_visibly(tmp_path, capsys):
    """`cnn-tui train --data synthetic --epochs 2` (the README's offline command) reaches 0.90 test accuracy."""
    assert main(["train", "--data", "synthetic", "--epochs", "2", "--plain", "--checkpoint", str(tmp_path / "m.pth")]) == 0
    out = capsys.readouterr().out
    accuracy = float(out.strip().splitlines()[-2 if "recorded" in out else -1].split("test accuracy ")[1].split(";")[0])
    assert accuracy >= 0.90


def test_small_data_sets_get_enough_steps_per_epoch():
    from cnn_tui.config import RECIPES
    from cnn_tui.ml.session import fit_batch

    fast = RECIPES["fast"]
    assert fit_batch(fast, 5000).batch_size == 64  # 79 steps an epoch instead of 20
    assert fit_batch(fast, 50000) is fast  # CIFAR-10: 196 steps at batch 256
    assert fit_batch(fast, 100).batch_size == 32  # never below 32
    assert fit_batch(RECIPES["lecture"], 10) is RECIPES["lecture"]  # min_steps 0: never changed
