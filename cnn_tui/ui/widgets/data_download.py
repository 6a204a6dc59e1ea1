"""The Training tab's download panel: CIFAR-10 into the data home with a progress bar (bytes, speed, time left)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import ProgressBar, Static

from cnn_tui.i18n import describe, tr
from cnn_tui.ui.localized import Localized


@dataclass
class DownloadProgress(Message):
    """Bytes so far of `total` (None: unknown); `phase` is download, verify or extract."""

    done: int
    total: int | None
    phase: str

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, DownloadProgress) and message.phase == self.phase


@dataclass
class DownloadEnded(Message):
    """The download finished (`folder` set), failed (`error`) or was cancelled."""

    folder: str = ""
    error: Exception | str = ""  # a DownloadError is shown with describe, in the language of the moment
    cancelled: bool = False


def _megabytes(count: float) -> str:
    return f"{count / 1e6:,.1f}"


class DataDownload(Localized, Vertical):
    """A title, a line of bytes and speed, and a ProgressBar with its ETA; hidden while idle."""

    DEFAULT_CSS = """
    DataDownload { height: auto; display: none; }
    DataDownload.-active { display: block; }
    DataDownload ProgressBar { height: 1; }
    """

    def __init__(self, data_dir: Path | None = None, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.data_dir = data_dir
        self._cancel = threading.Event()
        self._downloading = False
        self._where = ""
        self._phase = "download"
        self._done = 0
        self._total: int | None = None
        self._started = 0.0
        self._first = 0

    def compose(self) -> ComposeResult:
        yield Static(id="download-title")
        yield Static(id="download-bytes")

    @property
    def running(self) -> bool:
        return self._downloading

    def start(self, url: str | None = None) -> None:
        """Start downloading (nothing happens while one runs)."""
        if self._downloading:
            return
        self._downloading = True
        self._cancel.clear()
        self._phase, self._done, self._total, self._first = "download", 0, None, -1
        self._started = time.monotonic()
        self.add_class("-active")
        # The bar exists only while downloading: an idle one (indeterminate) would redraw 15 times a second.
        self.mount(ProgressBar(total=None, show_eta=True, id="download-bar"))
        self._fetch(url)
        self.localize()

    def offer(self, present: bool) -> bool:
        """What `D` asks for: CIFAR-10 in the data home. When it is there already (`present`) say so and return
        True (use it now); else start a download, or say one is running. `DownloadEnded` tells how it ended."""
        if self._downloading:
            self.notify(tr("data.download.busy"), severity="warning")
            return False
        if present:
            self.notify(tr("data.download.present"))
            return True
        self.start()
        return False

    def cancel(self) -> bool:
        """Stop a running download after its chunk (the partial file stays); whether one was running."""
        self._cancel.set()
        return self._downloading

    def on_unmount(self) -> None:
        self._cancel.set()

    @work(thread=True, exclusive=True, exit_on_error=False, group="data-download")
    def _fetch(self, url: str | None) -> None:
        from cnn_tui.ml.data_home import find_data_home
        from cnn_tui.ml.download import DownloadCancelled, DownloadError, install_cifar10

        root = find_data_home(self.data_dir).root
        self._where = str(root)

        def progress(p: object) -> None:
            self.post_message(DownloadProgress(getattr(p, "done", 0), getattr(p, "total", None), getattr(p, "phase", "download")))

        try:
            folder = install_cifar10(root, url, progress=progress, cancelled=self._cancel.is_set)
        except DownloadCancelled as error:
            self.post_message(DownloadEnded(error=error, cancelled=True))
        except DownloadError as error:
            self.post_message(DownloadEnded(error=error))
        except Exception as error:  # noqa: BLE001 - anything else (a full disk) is reported, never a crash
            self.post_message(DownloadEnded(error=f"{type(error).__name__}: {error}"))
        else:
            self.post_message(DownloadEnded(folder=str(folder)))

    def on_download_progress(self, message: DownloadProgress) -> None:
        if self._first < 0:
            self._first = message.done  # a resumed download's bytes do not count towards the speed
            self._started = time.monotonic()
        self._phase, self._done, self._total = message.phase, message.done, message.total
        for bar in self.query(ProgressBar):
            bar.update(total=message.total, progress=message.done)
        self.localize()

    def on_download_ended(self, message: DownloadEnded) -> None:
        """Say how it ended; the message bubbles on to the tab, which uses the data."""
        self._downloading = False
        self.remove_class("-active")
        self.query(ProgressBar).remove()
        if message.folder:
            self.notify(tr("data.download.done", path=message.folder), timeout=8, markup=False)
        elif message.cancelled:
            self.notify(tr("data.download.cancelled"), markup=False)
        else:
            self.notify(describe(message.error), title=tr("data.download.failed"), severity="error", timeout=10, markup=False)

    def localize(self) -> None:
        if not self.is_mounted:
            return
        self.query_one("#download-title", Static).update(
            Text(tr("data.download.title", path=self._where or "…"), "bold")
        )
        if self._phase != "download":
            line = Text(tr(f"data.download.{self._phase}"), "dim")
        else:
            seconds = max(1e-3, time.monotonic() - self._started)
            speed = (self._done - max(0, self._first)) / seconds
            total = _megabytes(self._total) if self._total else "?"
            line = Text(tr("data.download.bytes", done=_megabytes(self._done), total=total, speed=_megabytes(speed)))
        line.append("\n" + tr("data.download.hint"), "dim")
        self.query_one("#download-bytes", Static).update(line)
