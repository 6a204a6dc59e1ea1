"""Issue 28: homework titles, run labels and run statuses in the learner's language (runs list, comparison, homework)."""

from __future__ import annotations

import pytest
from rich.console import Console

from cnn_tui import i18n
from cnn_tui.config import RECIPES
from cnn_tui.ml.events import EpochResult
from cnn_tui.ml.homework import homework_experiments
from cnn_tui.ml.models import LECTURE
from cnn_tui.ml.runs import RunRecord
from cnn_tui.render.runs_table import compare_table, label_text, runs_list_table, status_text


def _record(run_id: str, label: str, status: str) -> RunRecord:
    epoch = EpochResult(1, 1, 1.0, 0.4, 1.1, 0.5, 2.0, 0.1, 100.0, 0.1)
    return RunRecord(run_id, {"name": "lecture"}, {"name": "fast", "epochs": 1}, {"name": "synthetic"},
                     label=label, status=status, epochs=(epoch,))


def _text(renderable) -> str:
    console = Console(record=True, width=250, color_system=None)
    console.print(renderable)
    return console.export_text()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_homework_title_reads_in_the_language_and_its_recorded_label_too(lang):
    i18n.set_language(lang)
    for experiment in homework_experiments(LECTURE, RECIPES["fast"]) + homework_experiments(LECTURE, RECIPES["lecture"]):
        shown = i18n.describe(experiment.title)
        assert shown == experiment.title.in_language(lang)
        assert label_text(f"homework: {experiment.title}") == i18n.tr("run_label.homework", title=shown)
        if lang == "zh":
            assert str(experiment.title) != shown  # the record keeps English; the learner reads Chinese
    assert label_text("my own run") == "my own run"


def test_runs_list_and_comparison_say_status_and_homework_in_chinese():
    i18n.set_language("zh")
    records = [_record("r1", "homework: more conv output channels", "finished"), _record("r2", "", "diverged"),
               _record("r3", "homework: learning rate ÷ 3", "stopped"), _record("r4", "mine", "running")]
    listed, compared = _text(runs_list_table(records)), _text(compare_table(records))
    for text in (listed, compared):
        assert "作业：更多的卷积输出通道" in text and "作业：学习率 ÷ 3" in text
        assert all(word in text for word in ("已完成", "发散", "已停止", "运行中"))
        assert "finished" not in text and "diverged" not in text and "more conv" not in text
    assert status_text("half-written") == "half-written"  # a damaged record's own word, as it is
