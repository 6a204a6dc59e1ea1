"""The Training tab's settings form: a modal with one compact field per setting, checked on apply.

Enter in any text field (or the Apply button) checks every field; problems are listed under
the form by field and the form stays open. Choosing a recipe fills in its epochs, batch size,
learning rate, optimiser and seed. Escape closes without a change.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from cnn_tui.config import RECIPES
from cnn_tui.core.confinement import Confinement
from cnn_tui.core.training_settings import FORM_FIELDS, FieldProblem, TrainingSettings, parse_settings
from cnn_tui.i18n import LocalizedError, tr
from cnn_tui.render.safe_text import described, elided
from cnn_tui.render.glosses import choice_options
from cnn_tui.ui.localized import Localized
from cnn_tui.ui.textual_texts import KeysModalScreen, LabSelect

CHOICE_FIELDS = ("model", "recipe", "optimizer")


def problem_text(problems: Sequence[FieldProblem]) -> Text:
    text = Text()
    for problem in problems:
        if text:
            text.append("\n")
        text.append(f"{tr(f'training.field.{problem.field}')}: ", "bold red")
        values = {  # a pasted path is shortened; a sentence keeps its words, only the paths it quotes shortened
            key: described(value, 60) if isinstance(value, LocalizedError) else elided(value, 60) if isinstance(value, str) else value
            for key, value in problem.values.items()
        }
        text.append(tr(f"training.problem.{problem.code}", **values), "red")
    return text


class TrainingForm(Localized, KeysModalScreen[TrainingSettings | None]):
    """Edit `settings`; dismisses with the new settings, or None on escape."""

    BINDINGS = [Binding("escape", "cancel", "training.bind.cancel")]

    def __init__(
        self, settings: TrainingSettings, models: Sequence[str], optimizers: Sequence[str],
        confinement: Confinement = Confinement(),
    ) -> None:
        super().__init__(classes="training-form-screen")
        self.settings = settings
        self.confinement = confinement  # the app's: in a served session, paths stay in its folder
        self.models = tuple(models) if settings.model in models else (settings.model, *models)
        self.optimizers = tuple(optimizers)
        self._recipe = settings.recipe
        self.choices = {"model": self.models, "recipe": tuple(RECIPES), "optimizer": self.optimizers}

    def compose(self) -> ComposeResult:
        values = self.settings.as_text()
        with Vertical(id="training-form"):
            yield Static(id="training-form-title")
            with VerticalScroll(id="training-form-fields"):
                for name in FORM_FIELDS:
                    with Horizontal(classes="training-form-row"):
                        yield Label(id=f"training-label-{name}", classes="training-form-label")
                        if name in CHOICE_FIELDS:
                            options = choice_options(name, self.choices[name])
                            yield LabSelect(options, value=values[name], allow_blank=False, compact=True, id=f"training-field-{name}")
                        else:
                            yield Input(values[name], compact=True, id=f"training-field-{name}", classes="training-form-input")
            yield Static(id="training-form-problems")
            with Horizontal(id="training-form-buttons"):
                yield Button(id="training-form-apply", variant="primary", compact=True)
                yield Static(id="training-form-hint")

    def on_mount(self) -> None:
        self.query_one("#training-field-data", Input).focus()

    def localize(self) -> None:
        self.query_one("#training-form-title", Static).update(Text(tr("training.form.title"), "bold"))
        for name in FORM_FIELDS:
            self.query_one(f"#training-label-{name}", Label).update(tr(f"training.field.{name}"))
        self.query_one("#training-field-data", Input).placeholder = tr("training.form.data_placeholder")
        self.query_one("#training-field-model_file", Input).placeholder = tr("gloss.form.model_file")
        self.query_one("#training-field-train_limit", Input).placeholder = tr("training.value.all")
        self.query_one("#training-field-test_limit", Input).placeholder = tr("training.value.all")
        self.query_one("#training-form-apply", Button).label = tr("training.form.apply")
        self.query_one("#training-form-hint", Static).update(Text(tr("training.form.hint"), "dim"))

    def values(self) -> dict[str, str]:
        values = {}
        for name in FORM_FIELDS:
            widget = self.query_one(f"#training-field-{name}")
            values[name] = str(widget.value) if isinstance(widget, Select) else widget.value
        return values

    @on(Select.Changed, "#training-field-recipe")
    def _recipe_chosen(self, event: Select.Changed) -> None:
        """A recipe brings its own epochs, batch size, learning rate, optimiser and seed."""
        if event.value not in RECIPES or event.value == self._recipe:
            return  # also the Changed a Select posts for its first value
        self._recipe = str(event.value)
        filled = self.settings.with_recipe(str(event.value)).as_text()
        for name in ("epochs", "batch_size", "lr", "seed"):
            self.query_one(f"#training-field-{name}", Input).value = filled[name]
        optimizer = self.query_one("#training-field-optimizer", Select)
        if filled["optimizer"] in self.optimizers:
            optimizer.value = filled["optimizer"]

    def apply(self) -> None:
        result = parse_settings(
            self.values(), models=self.models, optimizers=self.optimizers, confinement=self.confinement
        )
        if isinstance(result, TrainingSettings):
            self.dismiss(result)
        else:
            self.query_one("#training-form-problems", Static).update(problem_text(result))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.apply()

    @on(Button.Pressed, "#training-form-apply")
    def _apply_pressed(self) -> None:
        self.apply()

    def action_cancel(self) -> None:
        self.dismiss(None)
