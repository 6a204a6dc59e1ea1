"""The Practice screen (P): an exercise, an answer field checked at once, the streak and progress per topic;
after a wrong answer, h opens the Convolution or Pooling tab at that exercise and P brings the learner back.

The record is a few hundred bytes in the data home (cnn_tui.core.practice_progress), read when the screen
opens and written after each answer. The screen only shows state; exercises, checking and the record are core's.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Input, Static

from cnn_tui.core.answers import AnswerError, answer_text, check
from cnn_tui.core.exercise_lab import playground
from cnn_tui.core.exercises import Exercise
from cnn_tui.core.practice import Turns, topics
from cnn_tui.core.practice_progress import Progress, ProgressError, load, save
from cnn_tui.i18n import tr
from cnn_tui.render.practice_progress import progress_text
from cnn_tui.ui.localized import Localized
from cnn_tui.ui.messages import ShowInLab
from cnn_tui.ui.textual_texts import KeysScreen
from cnn_tui.ui.textual_texts import LabInput


class PracticeScreen(Localized, KeysScreen[None]):
    """Answer, see at once whether it was right; after a wrong answer, n for the next one or h to step through it."""

    BINDINGS = [
        Binding("escape", "close", "practice.app.bind.close"),
        Binding("n", "next", "practice.app.bind.next"),
        Binding("h", "show_in_lab", "practice.app.bind.show"),
        Binding("L", "app.toggle_language", "bind.language"),
    ]

    def __init__(self, path: Path, seed: int | None = None) -> None:
        super().__init__(id="practice-screen")
        self.path = path
        self.keep = True  # False when the record could not be read: it is then not overwritten
        self.progress = Progress()
        self.problem: str | None = None
        try:
            self.progress = load(path)
        except ProgressError as error:
            self.keep, self.problem = False, error.in_language()
        self.turns = Turns(self.progress.first_topic(topics()), seed)
        self.exercise: Exercise = self.turns.next(self.progress.level)
        self.number = 1  # the exercise's number in this sitting
        self.reviewing = False  # a wrong answer is shown; the field waits for n
        self.feedback: tuple[str, dict[str, object], str] | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="practice-body"):
            with Vertical(id="practice-main"):
                yield Static(id="practice-heading")
                yield Static(id="practice-question")
                yield LabInput(id="practice-answer")
                yield Static(id="practice-feedback")
            yield Static(id="practice-progress")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_screen_resume(self) -> None:
        self.apply_language()  # the language may have changed while the screen was away

    # -- drawing -------------------------------------------------------------------

    def localize(self) -> None:
        exercise = self.exercise
        heading = tr("practice.cli.heading", number=self.number, topic=tr(f"practice.topic.{exercise.topic}"),
                     level=exercise.level)
        self.query_one("#practice-heading", Static).update(Text(heading, "bold"))
        self.query_one("#practice-question", Static).update(Text(exercise.question()))
        self.query_one(Input).placeholder = tr(f"practice.app.placeholder.{exercise.ask}")
        self.query_one("#practice-progress", Static).update(progress_text(self.progress))
        feedback = Text()
        if self.problem:
            feedback.append(self.problem + "\n", "red")
        if self.feedback is not None:
            key, fields, style = self.feedback
            feedback.append(tr(key, **fields), style)
        self.query_one("#practice-feedback", Static).update(feedback)

    # -- answering -----------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.reviewing or not event.value.strip():
            return
        try:
            right = check(self.exercise, event.value)
        except AnswerError as error:
            self.feedback = ("practice.app.not_answer", {"problem": error.in_language()}, "yellow")
            self.localize()
            return
        self.progress = self.progress.record(self.exercise.topic, right)
        if self.keep:
            try:
                save(self.path, self.progress)
            except ProgressError as error:
                self.keep, self.problem = False, error.in_language()
        if right:
            self.feedback = ("practice.cli.right", {"streak": self.progress.streak}, "bold green")
            self._ask_next()
        else:
            has_lab = playground(self.exercise) is not None
            key = "practice.app.wrong_lab" if has_lab else "practice.app.wrong"
            self.feedback = (key, {"answer": answer_text(self.exercise)}, "bold red")
            self._review()

    def _review(self) -> None:
        self.reviewing = True
        field = self.query_one(Input)
        field.disabled = True
        self.set_focus(None)
        self.refresh_bindings()
        self.localize()

    def _ask_next(self) -> None:
        self.exercise = self.turns.next(self.progress.level)
        self.number += 1
        self.reviewing = False
        field = self.query_one(Input)
        field.disabled = False
        field.value = ""
        field.focus()
        self.refresh_bindings()
        self.localize()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":
            return self.reviewing
        if action == "show_in_lab":
            return self.reviewing and playground(self.exercise) is not None
        return True

    def action_next(self) -> None:
        self.feedback = None
        self._ask_next()

    def action_show_in_lab(self) -> None:
        """Ask the app to open the tab at this exercise, and step aside (P brings the screen back)."""
        place = playground(self.exercise)
        if place is None:
            return
        self.app.post_message(ShowInLab(place.tab, place.lab, place.cell))
        self.dismiss()

    def action_close(self) -> None:
        self.dismiss()
