"""Fetch torchvision's CIFAR-10 archive into the data home: resumable, checksum-verified, atomic, cancellable."""

from __future__ import annotations

import http.client
import os
import shutil
import tarfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from urllib.parse import urlsplit
from dataclasses import dataclass
from pathlib import Path

from cnn_tui.config import DOWNLOAD_DEFAULTS
from cnn_tui.ml.data_home import CIFAR10_FOLDER, DataSourceError

ARCHIVE_NAME = "cifar-10-python.tar.gz"  # torchvision's CIFAR10.filename
PART_SUFFIX = ".part"
EXTRACT_PREFIX = ".extracting-"

NETWORK_ERRORS = (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError)


class DownloadError(DataSourceError):
    """The download failed; the message is one sentence that names the way forward."""


class DownloadCancelled(DownloadError):
    """The learner cancelled; the partial file stays, so the next download resumes."""


@dataclass(frozen=True)
class Progress:
    """Bytes written so far (including a resumed part) of `total` (None while unknown)."""

    done: int
    total: int | None
    resumed_from: int = 0
    phase: str = "download"  # download | verify | extract


def cifar10_url(env: dict[str, str] | os._Environ[str] = os.environ) -> str:
    """The archive's address: $CNN_TUI_CIFAR10_URL when set (a mirror, or a local server in tests)."""
    return env.get(DOWNLOAD_DEFAULTS.url_env) or DOWNLOAD_DEFAULTS.url


def check_url(url: str) -> str:
    """`url` if it is an http:// or https:// address with a host; else DownloadError, one sentence (never ValueError)."""
    try:
        parts = urlsplit(url)
        usable = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # 'http://[::1', a port that is not a number
        usable = False
    if not usable or any(c.isspace() or not c.isprintable() for c in url):
        raise DownloadError("error.download.bad_url", url=url, example=DOWNLOAD_DEFAULTS.url)
    return url


def _reason(error: BaseException) -> str:
    reason = getattr(error, "reason", None) or error
    text = str(reason).strip().splitlines()[0] if str(reason).strip() else type(error).__name__
    return text


def _open(url: str, start: int, timeout: float) -> tuple[object, int, int | None]:
    """Open `url` from byte `start`; returns (response, the offset it really starts at, total size or None)."""
    request = urllib.request.Request(url, headers={"User-Agent": "cnn-tui"})
    if start:
        request.add_header("Range", f"bytes={start}-")
    try:
        response = urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 - an https/http URL we chose
    except urllib.error.HTTPError as error:
        if error.code == 416 and start:  # the part file is already complete (or longer than the archive)
            return None, start, start
        raise
    length = response.headers.get("Content-Length")
    size = int(length) if length and length.isdigit() else None
    if start and response.status == 206:
        return response, start, (start + size) if size is not None else None
    return response, 0, size  # 200: the server sends everything, so start over


def fetch(
    url: str,
    target: Path,
    md5: str | None,
    *,
    progress: Callable[[Progress], None] = lambda _: None,
    cancelled: Callable[[], bool] = lambda: False,
    timeout: float = DOWNLOAD_DEFAULTS.timeout_s,
    max_bytes: int | None = None,
) -> Path:
    """Download `url` to `target` through `target.part` (resumed if present), verify its md5, rename it into place.

    At most `max_bytes` (default: the archive's size plus a margin) are written, whatever the server says or sends."""
    check_url(url)
    limit = DOWNLOAD_DEFAULTS.max_bytes if max_bytes is None else max_bytes
    part = target.with_name(target.name + PART_SUFFIX)
    target.parent.mkdir(parents=True, exist_ok=True)
    start = part.stat().st_size if part.exists() else 0
    start = start if start <= limit else 0  # a part longer than any archive: start over
    too_large = False
    try:
        response, offset, total = _open(url, start, timeout)
        resumed = offset
        if total is not None and total > limit:
            if response is not None:
                response.close()  # type: ignore[attr-defined]
            raise DownloadError("error.download.too_large", url=url, limit=limit, size=DOWNLOAD_DEFAULTS.archive_bytes)
        progress(Progress(offset, total, resumed))
        if response is not None:
            with response, part.open("r+b" if offset else "wb") as out:  # type: ignore[attr-defined]
                out.seek(offset)
                out.truncate()
                done, last = offset, 0.0
                while True:
                    if cancelled():
                        raise DownloadCancelled("error.download.cancelled", done=done, part=part)
                    chunk = response.read(min(DOWNLOAD_DEFAULTS.chunk_bytes, limit + 1 - done))  # type: ignore[attr-defined]
                    if not chunk:
                        break
                    out.write(chunk)
                    done += len(chunk)
                    if done > limit:  # more than the archive can be, Content-Length or not
                        too_large = True
                        break
                    now = time.monotonic()
                    if now - last >= 0.1:
                        progress(Progress(done, total, resumed))
                        last = now
                progress(Progress(done, total, resumed))
            if too_large:
                part.unlink(missing_ok=True)
                raise DownloadError("error.download.too_large", url=url, limit=limit, size=DOWNLOAD_DEFAULTS.archive_bytes)
            if total is not None and done < total:
                raise DownloadError("error.download.stopped", done=done, total=total)
    except NETWORK_ERRORS as error:
        raise DownloadError("error.download.offline", url=url, reason=_reason(error)) from None
    except OSError as error:
        raise DownloadError("error.download.cannot_write", part=part, reason=_reason(error)) from None
    from torchvision.datasets.utils import check_integrity  # imports torch: only once there is a file to check

    progress(Progress(part.stat().st_size, total, resumed, "verify"))
    if md5 is not None and not check_integrity(str(part), md5):
        part.unlink(missing_ok=True)
        raise DownloadError("error.download.checksum", url=url, md5=md5)
    os.replace(part, target)
    return target


def _verified(path: Path, md5: str) -> bool:
    from torchvision.datasets.utils import check_integrity

    return check_integrity(str(path), md5)


def install_cifar10(
    home: Path,
    url: str | None = None,
    md5: str | None = None,
    *,
    progress: Callable[[Progress], None] = lambda _: None,
    cancelled: Callable[[], bool] = lambda: False,
    timeout: float = DOWNLOAD_DEFAULTS.timeout_s,
) -> Path:
    """Download (unless a verified archive is already there) and extract CIFAR-10 into `home/cifar-10-batches-py`.

    `url` None: $CNN_TUI_CIFAR10_URL or torchvision's; `md5` None: torchvision's checksum (always checked)."""
    md5 = md5 or DOWNLOAD_DEFAULTS.md5
    folder = home / CIFAR10_FOLDER
    archive = home / ARCHIVE_NAME
    if not (archive.is_file() and _verified(archive, md5)):
        fetch(url or cifar10_url(), archive, md5, progress=progress, cancelled=cancelled, timeout=timeout)
    from torchvision.datasets.utils import extract_archive

    progress(Progress(archive.stat().st_size, archive.stat().st_size, phase="extract"))
    scratch = home / f"{EXTRACT_PREFIX}{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        extract_archive(str(archive), str(scratch))
        extracted = scratch / CIFAR10_FOLDER
        if not extracted.is_dir():
            raise DownloadError("error.download.no_folder", archive=archive, folder=CIFAR10_FOLDER)
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(extracted, folder)
    except (OSError, EOFError, tarfile.TarError) as error:
        raise DownloadError("error.download.extract", archive=archive, reason=_reason(error)) from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    archive.unlink(missing_ok=True)  # the batches are what is read; keeping both would double the disk use
    return folder
