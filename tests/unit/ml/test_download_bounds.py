"""Hostile downloads (issue 29): a server streaming without end or announcing too much is stopped at the archive's
size plus a margin, and an address that is not http(s) is one sentence — through install_cifar10 and the CLI."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import pytest

from cnn_tui.cli import main
from cnn_tui.ml import download
from cnn_tui.ml.download import ARCHIVE_NAME, PART_SUFFIX, DownloadError, install_cifar10
from tests.archive_server import Served, fake_cifar_archive, serve
from tests.conftest import REPO_ROOT

ARCHIVE = 100_000
MARGIN = 10_000


@pytest.fixture
def small_archive(monkeypatch):
    """An archive size of 100,000 bytes with a 10,000-byte margin, so the bound is reached in a moment."""
    monkeypatch.setattr(download, "DOWNLOAD_DEFAULTS",
                        replace(download.DOWNLOAD_DEFAULTS, archive_bytes=ARCHIVE, size_margin_bytes=MARGIN))


def test_an_endless_stream_without_content_length_stops_at_the_bound(tmp_path, small_archive):
    home = tmp_path / "home"
    with serve(Served(b"\0" * 8192, endless=True)) as served:
        with pytest.raises(DownloadError) as error:
            install_cifar10(home, served.url, "0" * 32)
    assert str(error.value) == (
        f"{served.url} sends more than 110,000 bytes, but the CIFAR-10 archive is 100,000 bytes: the download was "
        "stopped and its partial file deleted; check the address (--url or $CNN_TUI_CIFAR10_URL)"
    )
    assert not any(home.iterdir())  # no .part, no archive


def test_an_announced_size_over_the_bound_is_refused_before_reading(tmp_path, small_archive):
    home = tmp_path / "home"
    with serve(Served(b"\0" * (ARCHIVE + MARGIN + 1))) as served:
        with pytest.raises(DownloadError, match="sends more than 110,000 bytes"):
            install_cifar10(home, served.url, served.md5)
    assert not (home / (ARCHIVE_NAME + PART_SUFFIX)).exists() and served.requests == [None]


def test_within_the_bound_the_archive_downloads_and_its_md5_is_checked(tmp_path, small_archive):
    archive = fake_cifar_archive(tmp_path / "made", per_batch=1)
    assert len(archive) < ARCHIVE
    with serve(Served(archive)) as served:
        with pytest.raises(DownloadError, match="did not match its md5 checksum"):
            install_cifar10(tmp_path / "bad", served.url, "0" * 32)
        assert install_cifar10(tmp_path / "home", served.url, served.md5).is_dir()
    assert not any((tmp_path / "bad").iterdir())


def test_a_part_longer_than_any_archive_is_started_over(tmp_path, small_archive):
    archive = fake_cifar_archive(tmp_path / "made", per_batch=1)
    home = tmp_path / "home"
    home.mkdir()
    (home / (ARCHIVE_NAME + PART_SUFFIX)).write_bytes(b"\0" * (ARCHIVE + MARGIN + 5))
    with serve(Served(archive)) as served:
        assert install_cifar10(home, served.url, served.md5).is_dir()
    assert served.requests == [None]  # no Range request for a part that cannot be a beginning


def test_the_endless_server_through_the_cli_is_one_line(tmp_path, monkeypatch, small_archive, capsys):
    monkeypatch.chdir(tmp_path)
    with serve(Served(b"\0" * 8192, endless=True)) as served:
        assert main(["data", "download", "--url", served.url, "--data-dir", str(tmp_path / "home")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith(f"cnn-tui data download: {served.url} sends more than 110,000 bytes")
    assert not list((tmp_path / "home").glob("*"))


@pytest.mark.parametrize("url", ["notaurl", "http://[::1", "file:///etc/passwd", "ftp://example.org/a.tar.gz",
                                 "http://", "http://host:99999/a", "http://host/a\x1b[31mred"])
def test_a_bad_url_is_one_sentence(tmp_path, monkeypatch, capsys, url):
    monkeypatch.chdir(tmp_path)
    assert main(["data", "download", "--url", url, "--data-dir", str(tmp_path / "home")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"cnn-tui data download: {url!r} is not an http:// or https:// address with a host name; give one "
                   f"such as {download.DOWNLOAD_DEFAULTS.url} (--url or $CNN_TUI_CIFAR10_URL)"]
    assert "\x1b" not in err[0]


def test_the_issues_bad_urls_end_without_a_traceback(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(REPO_ROOT), "CNN_TUI_CIFAR10_URL": "http://[::1"}
    for args in (["--url", "notaurl"], []):  # the option, then the environment variable
        done = subprocess.run([sys.executable, "-m", "cnn_tui", "data", "download", *args], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 2 and "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
        assert "is not an http:// or https:// address" in done.stderr
