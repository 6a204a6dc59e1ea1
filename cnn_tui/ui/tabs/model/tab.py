"""The Model tab (搭建图像分类网络): the network as a chain of layers with shapes, its torchsummary table
and its Python code, for any model the ml layer offers.

The table is the one `cnn-tui summary` prints (the same `summarize` and the same numbers). The model
is built in a thread worker, which also imports torch the first time, so showing the tab never
blocks; `m` or the selector switch models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group
from rich.syntax import Syntax
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Select, Static

from cnn_tui.config import TRAIN_DEFAULTS
from cnn_tui.core.confinement import ConfinementError
from cnn_tui.core.model_file import MY_NETWORK, error_line, is_model_file, network_class
from cnn_tui.i18n import LocalizedError, catalogue, describe, language, tr
from cnn_tui.render.cjk_text import CjkText
from cnn_tui.render.layer_chain import chain_text, roles_text
from cnn_tui.render.receptive_field import fields_line
from cnn_tui.render.glosses import choice_options
from cnn_tui.render.model_summary import summary_table
from cnn_tui.ui.localized import Localized
from cnn_tui.ui.textual_texts import LabSelect
from cnn_tui.ui.state import LabState
from cnn_tui.ui.messages import CheckpointChanged, ImageChanged, UseNetwork

if TYPE_CHECKING:
    from cnn_tui.ml.layer_chain import ChainStep
    from cnn_tui.ml.summary import ModelSummary

SIDE_BY_SIDE_WIDTH = 110  # the summary's 64 columns and about 45 for the code beside it


@dataclass
class ModelDescribed(Message):
    """Everything the tab shows about one model, built in a worker (torch)."""

    name: str
    models: dict[str, str]  # every model the ml layer offers, with its one-line description
    summary: ModelSummary
    chain: list[ChainStep]
    code: str
    fields: list[tuple[str, tuple[int, int], tuple[int, int]]] = field(default_factory=list)  # layer, receptive field, jump


@dataclass
class ModelFailed(Message):
    """The model could not be built; `error` says why (shown with `describe`, in the language of the moment)."""

    name: str
    error: Exception


@dataclass
class ActiveNetworkRead(Message):
    """What the active checkpoint holds (its model, epoch and last test accuracy), or why it holds nothing."""

    path: str
    model: str = ""  # empty: no usable checkpoint there (see `problem`)
    epoch: int = 0
    accuracy: float | None = None
    problem: Exception | None = None  # why the file there holds no usable network


class ModelTab(Localized, Vertical, can_focus=True):
    """Model selector and description, the layer chain, then the summary table beside the code."""

    BINDINGS = [
        Binding("m", "next_model", "model.bind.next"),
        Binding("f", "own_model", "model.own.bind"),
        Binding("e", "edit_network", "editor.bind.edit"),
    ]

    def __init__(self, shared: LabState | None = None, model: str = TRAIN_DEFAULTS.model) -> None:
        super().__init__(id="model-tab")
        self.shared = shared or LabState()
        self.model = model
        self.models: dict[str, str] = {model: ""}
        self.described: ModelDescribed | None = None
        self.active: ActiveNetworkRead | None = None
        self.error: Exception | None = None  # why the chosen model cannot be built
        self._choices_lang = language()  # the language the selector's glosses are in

    def compose(self) -> ComposeResult:
        with Horizontal(id="model-top"):
            yield LabSelect(choice_options("model", [self.model]), value=self.model, allow_blank=False, compact=True, id="model-select")
            yield Static(id="model-help")
        yield Static(id="model-active")
        yield Static(id="model-chain")
        with Horizontal(id="model-body"):
            with VerticalScroll(id="model-summary", can_focus=False):
                yield Static(id="model-table")
            with ScrollableContainer(id="model-code"):
                yield Static(id="model-source")

    def on_mount(self) -> None:
        self._describe(self.model)
        self._read_active(self.shared.checkpoint)

    def on_resize(self, event: events.Resize) -> None:
        """Too narrow for the summary and the code side by side (the lecture open at 120 columns): one under
        the other (app.tcss, ModelTab.-narrow)."""
        self.set_class(event.size.width < SIDE_BY_SIDE_WIDTH, "-narrow")

    @work(thread=True, exclusive=True, exit_on_error=False, group="model")
    def _describe(self, name: str) -> None:
        """Build the model (importing torch the first time) and describe it as `cnn-tui summary` does."""
        from cnn_tui.ml.layer_chain import layer_chain
        from cnn_tui.ml.model_code import model_code
        from cnn_tui.ml.models import MODEL_HELP, ModelConfigError, build_model, model_config
        from cnn_tui.ml.receptive_field import layer_fields
        from cnn_tui.ml.summary import summarize

        try:
            config = model_config(name)
            model = build_model(config)
        except ModelConfigError as error:
            self.post_message(ModelFailed(name, error))
            return
        size = (config.in_channels, config.image_size, config.image_size)
        summary = summarize(model, size, 1, config.name)
        models = dict(MODEL_HELP)
        if config.arch == "file":  # the learner's own network (`f`): its file is its description
            models[name] = config.file
        try:
            fields = layer_fields(model, size)
        except Exception:  # noqa: BLE001  (an own network's code may not survive tracing; the line is then left out)
            fields = []
        self.post_message(ModelDescribed(name, models, summary, layer_chain(model, size), model_code(model), fields))

    @work(thread=True, exclusive=True, exit_on_error=False, group="model-active")
    def _read_active(self, path: Path) -> None:
        """Read the active checkpoint's metadata (no weights) for the line above the chain."""
        from cnn_tui.ml.checkpoints import CheckpointError, read_meta

        if not path.is_file():
            self.post_message(ActiveNetworkRead(str(path)))
            return
        try:
            meta = read_meta(path)
        except CheckpointError as error:
            self.post_message(ActiveNetworkRead(str(path), problem=error))
            return
        accuracy = meta.metrics[-1].test_accuracy if meta.metrics else None
        self.post_message(ActiveNetworkRead(str(path), meta.model.name, meta.epoch, accuracy))

    def on_active_network_read(self, message: ActiveNetworkRead) -> None:
        self.active = message
        self.localize()

    def on_checkpoint_changed(self, message: CheckpointChanged) -> None:
        self._read_active(message.path)

    def on_image_changed(self, message: ImageChanged) -> None:
        self.localize()

    def active_text(self) -> Text:
        """The active network and what the current image becomes as its input."""
        active = self.active
        text = Text()
        if active is None:
            pass
        elif active.model:
            accuracy = "" if active.accuracy is None else tr("model.active_accuracy", accuracy=f"{active.accuracy:.3f}")
            name = Path(active.path).name
            text.append(tr("model.active", name=name, model=active.model, epoch=active.epoch, accuracy=accuracy), "bold")
        elif active.problem is None:
            text.append(tr("model.active_none", path=active.path), "yellow")
        else:
            text.append(tr("model.active_broken", path=active.path, problem=describe(active.problem)), "yellow")
        image = self.shared.image
        if image is not None and self.described is not None:
            height, width, channels = image.image.shape
            size = self.described.summary.input_size
            text.append("\n" + tr(
                "model.input", name=image.name, shape=f"{height}×{width}×{channels}", input="×".join(str(n) for n in size)
            ), "dim")
        return text

    def on_model_described(self, message: ModelDescribed) -> None:
        if message.name != self.model:
            return
        self.described = message
        self.error = None
        own = {name: text for name, text in self.models.items() if is_model_file(name)}
        message.models = {**message.models, **own}
        if list(message.models) != list(self.models):
            self.models = message.models
            self._set_choices()
        self.models = message.models
        self.localize()

    def _set_choices(self) -> None:
        """The selector's networks, each with what it is in the app's language."""
        with self.prevent(Select.Changed):
            self.query_one(Select).set_options(choice_options("model", self.models))
            if self.model in self.models:  # a name that could not be built (resnet9000) is not among them
                self.query_one(Select).value = self.model
        self._choices_lang = language()

    def action_own_model(self) -> None:
        """Ask for `path/to/file.py:ClassName` and describe that network (errors show where the chain goes)."""
        from cnn_tui.ui.screens.settings_form import FormField, SettingsForm

        def apply(values: dict[str, str]) -> str | None:
            name = values["model"].strip()
            if not is_model_file(name):
                return tr("model.own.form")
            try:  # in a served session: only a file in its own folder (importing it runs its code)
                name = self.shared.confinement.own_model(name)
            except ConfinementError as error:
                return error.in_language()
            if not Path(name.rpartition(":")[0]).expanduser().is_file():
                return tr("training.problem.model_file", path=name.rpartition(":")[0])
            self.call_later(self.show_model, name)
            return None

        current = self.model if is_model_file(self.model) else "examples/my_network.py:MyNetwork"
        self.app.push_screen(SettingsForm("model.own.title", [FormField("model", "model.own.label", current)], apply))

    def action_edit_network(self) -> None:
        """Edit my_network.py in the working folder (a served session's own folder; the current network's code to
        start) in the editor screen."""
        from cnn_tui.ui.tabs.model.network_editor import NetworkEditor

        path = self._network_file()
        try:
            source = path.read_text(encoding="utf-8") if path.is_file() else None
        except (OSError, UnicodeDecodeError):
            source = None
        if source is None:
            if self.described is None:  # still building: its code is not there yet
                return
            source = self.described.code
        self.app.push_screen(NetworkEditor(source, MY_NETWORK, self._failed_check()), self._network_saved)

    def _failed_check(self) -> tuple[int, str] | None:
        """(line, sentence) when the network shown is the saved file and its check failed on a line of it."""
        error = self.error
        if not isinstance(error, LocalizedError) or Path(self.model.rpartition(":")[0]).name != MY_NETWORK:
            return None
        line = error_line(error.fields.get("where"))
        return None if line is None else (line, describe(error))

    def _network_saved(self, text: str | None) -> None:
        """Write the editor's text to my_network.py and describe it: the own-model checks say what is wrong."""
        if text is None:
            return
        path = self._network_file()
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as error:
            self.app.notify(tr("editor.not_saved", path=str(path.resolve()), reason=str(error)), severity="error", markup=False)
            return
        name = f"{MY_NETWORK if not self.shared.confinement.active else path}:{network_class(text)}"
        self.app.notify(tr("editor.saved_trains", path=str(path.resolve()), model=name), markup=False)
        self.show_model(name)
        self.post_message(UseNetwork(name))  # the app's from now on: the Training tab trains it

    def _network_file(self) -> Path:
        """my_network.py in the working folder, or in a served session's own folder (never where others write)."""
        return self.shared.confinement.resolve(MY_NETWORK, write=True)

    def on_model_failed(self, message: ModelFailed) -> None:
        if message.name == self.model:
            self.error = message.error
            self.localize()

    @on(Select.Changed, "#model-select")
    def _chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.model:
            self.show_model(event.value)

    def show_model(self, name: str) -> None:
        self.model = name
        self.described = None
        self.localize()
        self._describe(name)

    def action_next_model(self) -> None:
        names = list(self.models)
        following = names[(names.index(self.model) + 1) % len(names)] if self.model in names else names[0]
        with self.prevent(Select.Changed):
            self.query_one(Select).value = following
        if following != self.model:
            self.show_model(following)

    def localize(self) -> None:
        if self._choices_lang != language():
            self._set_choices()
        described = self.described
        key = f"model_help.{self.model}"  # a preset's description in the app's language; others as given
        help_text = Text(tr(key) if key in catalogue() else self.models.get(self.model, ""), "dim")
        if described is not None:
            help_text = Text.assemble(
                (tr("model.params", params=f"{described.summary.total_params:,}"), "bold"), "  ", help_text
            )
        self.query_one("#model-help", Static).update(CjkText(help_text))
        self.query_one("#model-active", Static).update(CjkText(self.active_text()))
        if self.error is not None:
            self.query_one("#model-chain", Static).update(Text(describe(self.error), "bold red"))
            return
        if described is None:
            self.query_one("#model-chain", Static).update(Text(tr("model.building"), "dim italic"))
            self.query_one("#model-table", Static).update("")
            self.query_one("#model-source", Static).update("")
            return
        self.query_one("#model-chain", Static).update(
            Group(
                Text(tr("model.chain_title"), "bold"), chain_text(described.chain), CjkText(fields_line(described.fields)),
                CjkText(roles_text(described.chain)),
            )
        )
        self.query_one("#model-table", Static).update(summary_table(described.summary))
        self.query_one("#model-source", Static).update(
            Group(
                Text(tr("model.code_title"), "bold"),
                Syntax(described.code, "python", theme="ansi_dark", line_numbers=True, word_wrap=True),
            )
        )
