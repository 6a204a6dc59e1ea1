"""CIFAR-10's download on a terminal: a Rich progress bar (bytes, speed, time left), for `cnn-tui data download` and
the commands that find no data set."""

from __future__ import annotations

import time
from pathlib import Path


def download_with_bar(root: Path, url: str | None = None) -> Path:
    """Download CIFAR-10 into `root` with a Rich progress bar (bytes, speed, time left); returns the batches folder."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

    from cnn_tui.ml.download import cifar10_url, install_cifar10
    from cnn_tui.render.safe_text import safe_markup

    console = Console(stderr=True)
    source = url or cifar10_url()
    console.print(f"downloading CIFAR-10 from {safe_markup(source)} into {safe_markup(root)}")
    started = time.perf_counter()
    timings: dict[str, float] = {}
    with Progress(
        TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn(),
        console=console, transient=True,
    ) as bar:
        task = bar.add_task("download", total=None)

        def progress(p: object) -> None:
            phase = getattr(p, "phase", "download")
            if phase != "download" and phase not in timings:
                timings[phase] = time.perf_counter()
            bar.update(task, completed=getattr(p, "done", 0), total=getattr(p, "total", None), description=phase)

        folder = install_cifar10(root, source, progress=progress)
    ended = time.perf_counter()
    verify = timings.get("verify", ended)
    console.print(
        f"CIFAR-10 is in {safe_markup(folder)}: downloaded in {verify - started:.1f} s, "
        f"checked and extracted in {ended - verify:.1f} s"
    )
    return folder
