"""CIFAR-10's download on a terminal: a Rich progress bar (bytes, speed, time left), for `cnn-tui data download` and
the commands that find no data set."""

from __future__ import annotations

import time
from pathlib import Path

from cnn_tui.i18n import catalogue, tr


def download_with_bar(root: Path, url: str | None = None) -> Path:
    """Download CIFAR-10 into `root` with a Rich progress bar (bytes, speed, time left); returns the batches folder."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

    from cnn_tui.ml.download import cifar10_url, install_cifar10
    from cnn_tui.render.safe_text import safe_text

    console = Console(stderr=True)
    source = url or cifar10_url()
    console.print(tr("cli.data.downloading", source=safe_text(source), root=safe_text(root)), markup=False)
    started = time.perf_counter()
    timings: dict[str, float] = {}
    with Progress(
        TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn(),
        console=console, transient=True,
    ) as bar:
        task = bar.add_task(tr("cli.data.phase.download"), total=None)

        def progress(p: object) -> None:
            phase = getattr(p, "phase", "download")
            if phase != "download" and phase not in timings:
                timings[phase] = time.perf_counter()
            key = f"cli.data.phase.{phase}"
            shown = tr(key) if key in catalogue() else phase
            bar.update(task, completed=getattr(p, "done", 0), total=getattr(p, "total", None), description=shown)

        folder = install_cifar10(root, source, progress=progress)
    ended = time.perf_counter()
    verify = timings.get("verify", ended)
    console.print(
        tr("cli.data.downloaded", folder=safe_text(folder), download=verify - started, extract=ended - verify), markup=False
    )
    return folder
