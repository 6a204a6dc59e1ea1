"""How `cnn-tui train` shows progress: Rich progress bars on a terminal, the lecture's plain lines when piped."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from cnn_tui.ml.events import BatchProgress, EpochResult
from cnn_tui.render.safe_text import safe_text


class PlainDisplay:
    """One line per epoch, in the lecture's format; nothing per batch."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    def __enter__(self) -> PlainDisplay:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def note(self, text: str) -> None:
        """A line of text; what it quotes from files (class names, paths) is shown, never obeyed as control codes."""
        print(safe_text(text), file=self.stream, flush=True)

    def batch(self, progress: BatchProgress) -> None:
        return None

    def epoch(self, result: EpochResult) -> None:
        self.note(result.line())


class RichDisplay:
    """A progress bar for the running epoch (ETA, loss, accuracy, images/s); finished epochs stay as lines."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console()
        self.progress = Progress(
            TextColumn("[bold]epoch {task.fields[epoch]}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("loss {task.fields[loss]:.4f}  acc {task.fields[acc]:.3f}  {task.fields[speed]:,.0f} img/s"),
            TimeRemainingColumn(),
            console=self.console,
            transient=False,
        )
        self.task: TaskID | None = None
        self.task_epoch = 0

    def __enter__(self) -> RichDisplay:
        self.progress.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.progress.stop()

    def note(self, text: str) -> None:
        self.progress.console.print(safe_text(text), markup=False, highlight=False)

    def batch(self, progress: BatchProgress) -> None:
        if self.task is None or self.task_epoch != progress.epoch:
            if self.task is not None:
                self.progress.remove_task(self.task)
            label = f"{progress.epoch}/{progress.epochs}"
            self.task = self.progress.add_task("", total=progress.batches, epoch=label, loss=0.0, acc=0.0, speed=0.0)
            self.task_epoch = progress.epoch
        self.progress.update(
            self.task, completed=progress.batch, loss=progress.loss, acc=progress.accuracy, speed=progress.images_per_s
        )

    def epoch(self, result: EpochResult) -> None:
        if self.task is not None:
            self.progress.remove_task(self.task)
            self.task = None
        self.note(result.line())


def make_display(plain: bool) -> PlainDisplay | RichDisplay:
    """Rich bars when stdout is a terminal (and not --plain), else plain lines."""
    if plain or not sys.stdout.isatty():
        return PlainDisplay()
    return RichDisplay()
