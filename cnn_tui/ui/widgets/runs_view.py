"""The runs view: pick recorded runs, see their accuracy and loss curves overlaid, and how their settings differ.

Usage (a container that wants it, e.g. the Training tab):

    yield RunsView(Path("models/runs"))              # reads the folder in a thread worker on mount
    view.reload()                                    # read it again (after a run has finished, say)
    view.select(["20261128-0431…", …])              # pick runs by id (the best two are picked at first)
    view.focus()                                     # focuses the pick list, so space, t, c, b and r work
    def on_runs_view_changed(self, message: RunsView.Changed) -> None: message.run_ids

Runs are listed best test accuracy first, each with its colour in the charts. The charts show
test (or, after `t`, train) accuracy and loss per epoch, one line per picked run with a legend;
the table below lists every setting in which a picked run differs from the best picked run.
Labels, settings and paths come from files: they reach the screen as plain Text (`safe_text`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import var
from textual.widgets import DataTable, SelectionList, Static

from cnn_tui.i18n import describe, language, tr
from cnn_tui.render.runs_table import label_text
from cnn_tui.render.safe_text import plain, safe_text
from cnn_tui.ui.localized import Localized
from cnn_tui.ui.reactives import set_together
from cnn_tui.ui.widgets.metric_chart import Line, MetricChart, line_colour, rich_colour, textual_colour

if TYPE_CHECKING:
    from cnn_tui.ml.runs import RunRecord

TITLE_WIDTH = 24


def short_title(record: RunRecord, rank: int, width: int = TITLE_WIDTH) -> str:
    """`1. homework: more conv…`: the rank and the label (or model and id end), cut to `width`."""
    name = safe_text(label_text(record.label) or f"{record.model_name} {record.run_id[-4:]}")
    text = f"{rank + 1}. {name}"
    return text if cell_len(text) <= width else set_cell_size(text, width - 1) + "…"


def _accuracy(value: float | None) -> str:
    return "  -   " if value is None else f"{value:.4f}"


class RunsView(Localized, Vertical):
    """Recorded runs: a pick list, overlaid accuracy and loss charts, and a table of setting differences."""

    DEFAULT_CSS = """
    RunsView { height: 1fr; }
    RunsView #runs-hint { height: auto; padding: 0 1; color: $text-muted; }
    RunsView #runs-body { height: 1fr; }
    RunsView #runs-list { width: 36; height: 1fr; }
    RunsView #runs-right { width: 1fr; height: 1fr; }
    RunsView #runs-charts { height: 1fr; min-height: 10; }
    RunsView #runs-diff-title { height: auto; padding: 0 1; text-style: bold; }
    RunsView #runs-diff { height: auto; max-height: 12; }
    """

    BINDINGS = [
        Binding("r", "reload", "runs.bind.reload"),
        Binding("t", "toggle_metric", "runs.bind.metric"),
        Binding("c", "clear", "runs.bind.clear"),
        Binding("b", "pick_best", "runs.bind.best"),
    ]

    @dataclass
    class Loaded(Message):
        """Posted by the reading worker: every readable run (best first) and the unreadable folders."""

        records: list[RunRecord]
        problems: list[Exception]  # one per unreadable folder, shown with describe()
        error: str = ""

    @dataclass
    class Changed(Message):
        """The picked runs changed; `run_ids` best first."""

        run_ids: tuple[str, ...]

    records: var[list[RunRecord]] = var(list, init=False, always_update=True)
    """Every readable run, best first (a new list on every read)."""
    loaded: var[bool] = var(False, init=False)
    metric: var[str] = var("test", init=False)
    """Which split the charts show: test or train."""
    picked: var[tuple[str, ...]] = var((), init=False)
    """The ids picked in the list, best first."""
    lang: var[str] = var("", init=False)

    # Each part is drawn by the watcher of a computed reactive: the state it shows, drawn again when that changes.
    hint_part: var[tuple[object, ...]] = var((), init=False)
    body_part: var[tuple[object, ...]] = var((), init=False)

    def __init__(self, runs_dir: Path, *, select: Sequence[str] | int = 2, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.runs_dir = Path(runs_dir)
        self.initial = select
        self.problems: list[Exception] = []
        self.error = ""

    def compose(self) -> ComposeResult:
        yield Static(id="runs-hint")
        with Horizontal(id="runs-body"):
            yield SelectionList[str](id="runs-list")
            with Vertical(id="runs-right"):
                with Horizontal(id="runs-charts"):
                    yield MetricChart("runs.chart.accuracy", unit_range=True, first_epoch=1, id="runs-accuracy")
                    yield MetricChart("runs.chart.loss", first_epoch=1, id="runs-loss")
                yield Static(id="runs-diff-title")
                yield DataTable(id="runs-diff", cursor_type="none", zebra_stripes=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.reload()

    # --- public API ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the runs folder again in a thread worker (the picked runs stay picked when they still exist)."""
        self.loaded = False
        self._read(self.runs_dir)

    def select(self, run_ids: Sequence[str]) -> None:
        """Pick exactly these runs (ids not recorded are ignored)."""
        chooser = self.query_one(SelectionList)
        wanted = set(run_ids)
        with self.app.batch_update():
            chooser.deselect_all()
            for record in self.records:
                if record.run_id in wanted:
                    chooser.select(record.run_id)

    def focus(self, scroll_visible: bool = True) -> RunsView:
        """Focus the pick list (the view itself takes no focus; its keys work while the list has it)."""
        self.query_one(SelectionList).focus(scroll_visible)
        return self

    @property
    def selected_runs(self) -> list[RunRecord]:
        """The picked runs, best first."""
        chosen = set(self.query_one(SelectionList).selected)
        return [r for r in self.records if r.run_id in chosen]

    # --- reading -----------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="runs-view")
    def _read(self, runs_dir: Path) -> None:
        from cnn_tui.ml.runs import list_runs

        try:
            records, problems = list_runs(runs_dir)
        except Exception as error:  # noqa: BLE001 - the view says what went wrong; it never waits forever
            self.post_message(self.Loaded([], [], describe(error) or type(error).__name__))
            return
        self.post_message(self.Loaded(records, problems))

    def on_runs_view_loaded(self, message: Loaded) -> None:
        message.stop()
        previous = [r.run_id for r in self.selected_runs] if self.loaded or self.records else []
        self.problems, self.error, records = message.problems, message.error, message.records
        chooser = self.query_one(SelectionList)
        if previous:
            wanted = set(previous)
        elif isinstance(self.initial, int):
            wanted = {r.run_id for r in records[: self.initial]}
        else:
            wanted = set(self.initial)
        with self.app.batch_update():
            chooser.clear_options()
            chooser.add_options(
                [(self._prompt(record, rank), record.run_id, record.run_id in wanted) for rank, record in enumerate(records)]
            )
            if records and chooser.highlighted is None:
                chooser.highlighted = 0
            chosen = set(chooser.selected)
            set_together(self, records=records, picked=tuple(r.run_id for r in records if r.run_id in chosen), loaded=True)

    def _prompt(self, record: RunRecord, rank: int) -> Content:
        return Content.assemble(
            ("■ ", textual_colour(line_colour(rank))), (_accuracy(record.best_accuracy), "bold"), (" · ", "dim"), short_title(record, rank, 28)
        )

    # --- redrawing ----------------------------------------------------------------------------------

    def on_selection_list_selected_changed(self, message: SelectionList.SelectedChanged) -> None:
        message.stop()
        self.picked = tuple(r.run_id for r in self.selected_runs)
        self.post_message(self.Changed(self.picked))

    def localize(self) -> None:
        self.lang = language()

    def watch_lang(self) -> None:
        """The pick list's rows in the new language (a homework run's label is recorded in English)."""
        chooser = self.query_one(SelectionList)
        if chooser.option_count == len(self.records):
            for rank, record in enumerate(self.records):
                chooser.replace_option_prompt_at_index(rank, self._prompt(record, rank))

    def compute_hint_part(self) -> tuple[object, ...]:
        return (self.lang, self.loaded, id(self.records), len(self.picked), self.metric)

    def compute_body_part(self) -> tuple[object, ...]:
        return (self.lang, id(self.records), self.picked, self.metric)

    def watch_body_part(self) -> None:
        """The charts and the differences; while the runs are read again, the last ones stay."""
        if self.loaded:
            with self.app.batch_update():
                self._show_charts()
                self._show_differences()

    def watch_hint_part(self) -> None:
        if not self.lang:  # not mounted yet: Localized.on_mount sets it
            return
        hint = self.query_one("#runs-hint", Static)
        folder = safe_text(self.runs_dir)
        if not self.loaded:
            hint.update(Text(tr("runs.loading", folder=folder)))
            return
        if self.error:
            hint.update(plain(tr("runs.failed", reason=self.error)))
            return
        if not self.records:
            hint.update(Text(tr("runs.empty", folder=folder)))
            return
        text = tr(
            "runs.hint", count=len(self.records), folder=folder, selected=len(self.selected_runs),
            metric=tr(f"runs.metric.{self.metric}"),
        )
        if self.problems:
            text += "; " + tr("runs.problems", count=len(self.problems), first=safe_text(describe(self.problems[0])))
        hint.update(Text(text))

    def _show_charts(self) -> None:
        ranks = {r.run_id: i for i, r in enumerate(self.records)}
        metric_key = f"runs.metric.{self.metric}"
        for chart_id, field in (("#runs-accuracy", "accuracy"), ("#runs-loss", "loss")):
            lines = [
                Line(
                    short_title(record, ranks[record.run_id]),
                    tuple(float(e.epoch) for e in record.epochs),
                    tuple(float(getattr(e, f"{self.metric}_{field}")) for e in record.epochs),
                    line_colour(ranks[record.run_id]),
                    translate=False,
                )
                for record in self.selected_runs
            ]
            self.query_one(chart_id, MetricChart).show(lines, metric=metric_key)

    def _show_differences(self) -> None:
        from cnn_tui.ml.runs import setting_differences

        title = self.query_one("#runs-diff-title", Static)
        table = self.query_one("#runs-diff", DataTable)
        table.clear(columns=True)
        chosen = self.selected_runs
        table.display = len(chosen) >= 2
        if len(chosen) < 2:
            title.update(tr("runs.diff.pick_two") if self.records else "")
            return
        ranks = {r.run_id: i for i, r in enumerate(self.records)}
        best = max(chosen, key=lambda r: r.best_accuracy if r.best_accuracy is not None else -1.0)
        others = [r for r in chosen if r is not best]
        keys: list[str] = []
        values: dict[tuple[str, str], str] = {}
        for other in others:
            for key, ours, theirs in setting_differences(best, other):
                if key not in keys:
                    keys.append(key)
                values[(key, best.run_id)] = ours
                values[(key, other.run_id)] = theirs
        title.update(
            Text(tr("runs.diff.title", best=short_title(best, ranks[best.run_id], 40), accuracy=_accuracy(best.best_accuracy)))
            if keys else tr("runs.diff.same")
        )
        table.display = bool(keys)
        if not keys:
            return
        # Its height is set, not auto: a DataTable measures new rows only when idle, and its
        # auto height was then sometimes left at 0 (the table did not show).
        table.styles.height = len(keys) + 1  # the header and one line per setting (max-height caps it)
        settings = {r.run_id: r.settings() for r in chosen}
        rows = [
            [plain(key), *(plain(values.get((key, r.run_id), settings[r.run_id].get(key, "-"))) for r in (best, *others))]
            for key in keys
        ]
        labels = [
            Text(tr("runs.diff.setting")),
            Text(tr("runs.diff.best", name=short_title(best, ranks[best.run_id])), style="bold"),
            *(Text(short_title(o, ranks[o.run_id]), style=rich_colour(line_colour(ranks[o.run_id]))) for o in others),
        ]
        # Widths given, not measured: a DataTable widens its columns to new rows only when idle, so a screen
        # drawn before that showed the settings cut ("model.n").
        for i, (label, key) in enumerate(zip(labels, ["setting", best.run_id, *(o.run_id for o in others)])):
            width = max([label.cell_len, *(row[i].cell_len for row in rows)])
            table.add_column(label, key=key, width=width)
        for row in rows:
            table.add_row(*row)

    # --- actions ------------------------------------------------------------------------------------

    def action_reload(self) -> None:
        self.reload()

    def action_toggle_metric(self) -> None:
        self.metric = "train" if self.metric == "test" else "test"

    def action_clear(self) -> None:
        self.query_one(SelectionList).deselect_all()

    def action_pick_best(self) -> None:
        self.select([r.run_id for r in self.records[:3]])
