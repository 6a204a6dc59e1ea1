"""The Training tab's results in Chinese: the per-class accuracy bars name each class as the confusion matrix's
rows do ("圆环 ring"), and switch back to the data's own names in English."""

from __future__ import annotations

import re

from cnn_tui.i18n import class_label
from cnn_tui.ui.tabs.training.results import TrainingResults
from tests.conftest import SNAPSHOT_SIZE
from tests.shown import text_of
from tests.ui.test_training_snapshots import _after_run, _repeatable  # noqa: F401 (an autouse fixture: the recorded run)
from tests.ui.training_helpers import cached_synthetic, make_app  # noqa: F401 (an autouse fixture)
from tests.waiting import until


def _bar_labels(shown: str) -> list[str]:
    """Each bar's label: the text before its bar (a block character, or the empty track's spaces)."""
    lines = [line for line in shown.splitlines()[1:] if line.strip()]
    return [re.split(r" {2,}|[█▏▎▍▌▋▊▉]", line)[0].strip() for line in lines]


async def test_per_class_bars_name_classes_in_the_learners_language():
    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await _after_run()(pilot)
        classes = list(app.query_one(TrainingResults).report.classes)
        assert _bar_labels(text_of(app, "#results-classes")) == classes
        await pilot.press("L")
        await until(pilot, lambda: app.lang == "zh")
        shown = text_of(app, "#results-classes")
        assert _bar_labels(shown) == [class_label(name, "zh") for name in classes], shown
        assert "圆环 ring" in shown and "正方形 square" in shown
        await pilot.press("L")
        assert _bar_labels(text_of(app, "#results-classes")) == classes
