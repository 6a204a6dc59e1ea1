"""The Training tab's text: progress lines, the lecture's epoch log, the settings summary, data states, the
status after a run and the names of the views.

Everything that shows a time or a speed goes through `seconds_text` and `speed_text`, so snapshot
tests can fix them (they vary from run to run); nothing else here depends on the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.console import Group
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from cnn_tui.core.training_settings import FIELDS, TrainingSettings, format_value
from cnn_tui.i18n import catalogue, describe, tr
from cnn_tui.ml.events import BatchProgress, EpochResult
from cnn_tui.render.cjk_text import CjkText
from cnn_tui.render.path_text import PathText
from cnn_tui.render.safe_text import described, elided, safe_text
from cnn_tui.render.glosses import recipe_extras

if TYPE_CHECKING:
    from cnn_tui.ml.source_state import SourceState


def seconds_text(seconds: float) -> str:
    """A duration as the lecture prints it: 28.97s."""
    return f"{seconds:.2f}s"


def speed_text(images_per_s: float) -> str:
    return tr("training.live.speed", speed=f"{images_per_s:,.0f}")


def eta_text(seconds: float) -> str:
    minutes, secs = divmod(max(0, round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return tr("training.live.eta", eta=f"{hours}:{minutes:02d}:{secs:02d}")


def epoch_line(result: EpochResult) -> str:
    """The lecture's line `epoch: 1 loss:1.59926 acc:0.41 time:28.97s`, then the test set's numbers."""
    return (
        f"epoch:{result.epoch:2d} loss:{result.train_loss:.5f} acc:{result.train_accuracy:.2f} "
        f"time:{seconds_text(result.seconds)}  test_loss:{result.test_loss:.5f} test_acc:{result.test_accuracy:.4f}"
    )


def progress_view(progress: BatchProgress | None, width: int, state: str = "idle") -> Group:
    """The running epoch: a bar with batches done, then loss, accuracy, ETA, images/s and the learning rate.

    `state` is idle (no run yet), running, or ended (the last batch's numbers stay, without an ETA)."""
    if progress is None:
        return Group(Text(tr("training.live.first_batch" if state == "running" else "training.live.waiting"), "dim italic"))
    done = progress.fraction
    remaining = progress.seconds / done * (1 - done) if done > 0 else 0.0
    head = Text.assemble(
        (tr("training.live.epoch", epoch=progress.epoch, epochs=progress.epochs), "bold"),
        f" · {progress.batch}/{progress.batches} · {done:.0%}",
    )
    bar = ProgressBar(total=progress.batches, completed=progress.batch, width=max(10, width - len(head.plain) - 4))
    line = Table.grid(padding=(0, 1))
    line.add_column(no_wrap=True)
    line.add_column(no_wrap=True)
    line.add_row(head, bar)
    detail = Text.assemble(
        tr("training.live.numbers", loss=f"{progress.loss:.4f}", acc=f"{progress.accuracy:.3f}", lr=f"{progress.lr:.2g}"),
        "  ",
        (_when(progress, remaining, state), "cyan"),
        "  ",
        (speed_text(progress.images_per_s), "dim"),
    )
    return Group(line, detail)


def _when(progress: BatchProgress, remaining: float, state: str) -> str:
    if state == "ended":
        return tr("training.live.ended")
    if progress.batch < progress.batches:
        return eta_text(remaining)
    return tr("training.live.testing")


def settings_table(settings: TrainingSettings) -> Table:
    """The settings as label/value rows (the form edits them)."""
    table = Table.grid(padding=(0, 1))
    table.add_column(style="dim", no_wrap=True)
    table.add_column(overflow="fold")
    values = settings.as_text()
    for name in FIELDS:
        value = values[name] or tr("training.value.all")
        if name == "data" and settings.data == "cifar10":
            value = tr("training.value.cifar10")
        value = elided(value, SETTING_CHARS)
        shown = PathText(value) if name in ("data", "checkpoint") and "/" in value else value
        table.add_row(tr(f"training.field.{name}"), shown)
    return table


def source_text(data: str, state: SourceState | None) -> Text:
    """The data source's state and, when it is missing, what to do."""
    if state is None:
        return Text(tr("training.data.checking"), "dim italic")
    if state.state == "missing":
        text = Text(tr("training.data.missing", path=elided(state.path, SETTING_CHARS)), "bold red")
        text.append("\n" + tr(f"training.data.reason.{state.reason}"), "red")
        text.append("\n" + tr("training.data.offer"), "yellow")
        return text
    key = {"found": "training.data.found", "cached": "training.data.cached", "built_in": "training.data.built_in"}[state.state]
    kind = tr(f"training.data.kind.{state.kind}") if state.kind and state.kind != "synthetic" else ""
    return Text(tr(key, path=elided(state.path, SETTING_CHARS), kind=kind), "green")


def recipe_note(settings: TrainingSettings) -> str:
    """What the recipe adds beyond the form's fields (schedule, augmentation, normalisation), in the learner's words."""
    from cnn_tui.config import RECIPES

    recipe = RECIPES[settings.recipe]
    details = recipe_extras(recipe)
    if recipe.time_budget_s > 0:
        details += tr("gloss.extra.separator") + tr("speed.time_budget", minutes=format_value(recipe.time_budget_s / 60))
    return tr("training.recipe_note", name=settings.recipe, details=details)


def lecture_note(settings: TrainingSettings) -> str:
    """Whether these settings train as the lecture's code does, and if not, how they differ and the key to it."""
    if settings.recipe == "lecture" and settings.batch_size == 8 and settings.optimizer == "adam":
        return tr("gloss.training.is_lecture")
    from cnn_tui.config import RECIPES

    schedule = RECIPES[settings.recipe].schedule
    return tr(
        "gloss.training.not_lecture",
        batch=settings.batch_size,
        optimizer=settings.optimizer.upper() if settings.optimizer == "sgd" else settings.optimizer.capitalize(),
        lr=format_value(settings.lr),
        schedule=tr(f"gloss.training.schedule_{schedule}") if f"gloss.training.schedule_{schedule}" in catalogue() else schedule,
    )


def settings_panel(settings: TrainingSettings) -> Group:
    """The settings side panel: a title, the settings, what the recipe adds."""
    return Group(
        Text(tr("training.settings_title"), "bold"),
        settings_table(settings),
        CjkText(recipe_note(settings), "dim"),  # Chinese set as Chinese: "标签平滑 0.1" stays together
        CjkText(lecture_note(settings), "yellow"),
    )


MESSAGE_LINE_CHARS = 600  # a message line longer than this keeps its start and end (a backstop: paths are elided)
SETTING_CHARS = 60  # a setting's value or a path in the side panel: a few lines of its column at most


def bounded(message: Text, limit: int = MESSAGE_LINE_CHARS) -> Text:
    """`message` with every line longer than `limit` characters cut in the middle (styles kept), so what follows
    a long line stays on the screen."""
    out = Text()
    for number, line in enumerate(message.split("\n", allow_blank=True)):
        if number:
            out.append("\n")
        if len(line) > limit:
            head = (limit - 1) // 2
            line = Text.assemble(line[:head], "…", line[len(line) - (limit - 1 - head) :])
        out.append_text(line)
    return out


def status_text(phase: str, active: bool, message: Text) -> Text:
    """The phase (highlighted while a run or a test is `active`) and the latest message under it, bounded."""
    status = Text(tr(f"training.phase.{phase}"), "bold cyan" if active else "bold")
    if message:
        status.append("\n")
        status.append_text(bounded(message))
    return status


@dataclass(frozen=True)
class Said:
    """A note under the phase: a Phrase (or a text) put into words when drawn, in `style`."""

    said: object = ""
    style: str = ""

    def text(self) -> Text:
        return Text(safe_text(describe(self.said)), self.style) if self.said else Text()


@dataclass(frozen=True)
class Failed:
    """A run or a test could not be done, and why (an error said in the language of the moment)."""

    reason: object

    def text(self) -> Text:
        return Text(tr("training.failed", reason=described(self.reason, SETTING_CHARS)), "bold red")


@dataclass(frozen=True)
class Ended:
    """How a run ended (see `ended_text`)."""

    status: str
    epochs: int
    reason: object
    checkpoint: str

    def text(self) -> Text:
        return ended_text(self.status, self.epochs, self.reason, self.checkpoint)


@dataclass(frozen=True)
class DownloadFailed:
    """The CIFAR-10 download failed, and why."""

    error: object

    def text(self) -> Text:
        return Text.assemble((tr("data.download.failed"), "bold red"), ("\n" + describe(self.error), "dim"))


StatusNote = Said | Failed | Ended | DownloadFailed
"""The line under the Training tab's phase, kept as what was said and put into words when drawn."""


def ended_text(status: str, epochs: int, reason: object, checkpoint: str) -> Text:
    """How a run ended, why (when the trainer said), and where it saved the network."""
    text = Text(tr(f"training.ended.{status}", epochs=epochs), "bold red" if status == "diverged" else "bold")
    if reason:
        text.append("\n" + described(reason, SETTING_CHARS), "dim")
    if status == "diverged":
        text.append("\n" + tr("training.ended.diverged_advice"))
    if checkpoint:
        text.append("\n" + tr("training.ended.saved", path=safe_text(checkpoint)), "green")
    return text


def results_source(model: str, epochs: int, unsaved: tuple[int, int] | None) -> str:
    """Whose results the tab shows after a run: the saved checkpoint's weights (a stop mid-epoch went back to
    them), or, stopped in the first epoch with nothing saved, the weights as they were at (epoch, batch)."""
    if unsaved is not None:
        epoch, batch = unsaved
        return tr("training.results.unsaved", model=model, epoch=epoch, batch=batch)
    return tr("training.results.run", model=model, epochs=epochs)


def views_text(views: tuple[str, ...], current: str) -> Text:
    """The right side's views, the current one highlighted, and the key that switches them."""
    text = Text()
    for view in views:
        if text:
            text.append(" │ ", "dim")
        text.append(f" {tr(f'training.view.{view}')} ", "bold reverse" if view == current else "")
    text.append("   " + tr("training.view.hint"), "dim")
    return text
