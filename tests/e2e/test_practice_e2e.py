"""`cnn-tui practice` in a real terminal: a right answer, a wrong one, Ctrl+D ends with the score and the record."""

from __future__ import annotations

from pathlib import Path

import pytest

from cnn_tui.commands.practice import Session
from cnn_tui.core.answers import answer_text
from cnn_tui.core.practice_progress import Progress, load

pytestmark = pytest.mark.e2e


def test_practice_walk(tmux_app, tmp_path):
    record = tmp_path / "me.json"
    session = Session(Path("unused"), Progress(), "en", "conv_params", 21)  # what the command will ask, in order
    first, second = session.next_exercise(), session.next_exercise()
    term = tmux_app(f"practice --lang en --seed 21 --topic conv_params --progress {record}")
    term.wait_for(first.question("en"))
    term.send(str(first.answer), "Enter")
    term.wait_for("Right! Streak: 1.")
    term.wait_for(second.question("en"))
    term.send(str(second.answer + 1), "Enter")
    term.wait_for(f"Not quite: the answer is {answer_text(second)}.")
    term.send("C-d")
    term.wait_for("Score: 1 of 2 right; best streak 1.")
    assert term.pane_dead()
    assert load(record).topics["conv_params"].right == 1 and load(record).topics["conv_params"].wrong == 1
