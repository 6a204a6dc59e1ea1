"""What the Convolution and Pooling tabs share: stepping and playing through a trace, the cell
cursor (jump to an output cell, type a number into an input or kernel cell), presets, the
settings form, and an inline message when a setting is rejected (the last valid state stays).

A subclass says how to start (`initial_lab`), how a setting changes (`adjust`), what its form
and presets are, and how its settings line reads.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalScroll, VerticalScroll
from textual.reactive import var
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

from cnn_tui.core.conv_geometry import SettingsError
from cnn_tui.core.conv_trace import ConvTrace
from cnn_tui.core.lecture_examples import ConvExample, PoolExample, example
from cnn_tui.core.pool_trace import PoolTrace
from cnn_tui.core.step_lab import ConvLab, PoolLab, Source, image_crop, make_input
from cnn_tui.i18n import language, tr
from cnn_tui.render.cjk_text import CjkText
from cnn_tui.render.step_panels import Cursor, TraceView
from cnn_tui.render.step_text import output_shape_line, size_formula_lines, step_lines
from cnn_tui.ui.tabs.stepper import cell_cursor
from cnn_tui.ui.tabs.stepper.forms import limit_message
from cnn_tui.ui.tabs.stepper.cursor import CursorMixin
from cnn_tui.ui.widgets.matrix_view import MatrixView
from cnn_tui.ui.localized import Localized
from cnn_tui.ui.reactives import set_together
from cnn_tui.ui.on_screen import on_screen, take_focus
from cnn_tui.ui.messages import ImageChanged
from cnn_tui.ui.state import LabState

Lab = ConvLab | PoolLab
SPEEDS = (1, 2, 4, 8, 20)  # steps per second



def _update_text(static: Static, text: Text) -> None:
    """Show `text`, skipping the layout when it has as many lines as the widget and none wraps."""
    lines = text.plain.split("\n")
    width = static.content_region.width
    same_size = static.size.height == len(lines) and all(cell_len(line) <= width for line in lines)
    static.update(text, layout=not same_size)


class StepperTab(CursorMixin, Localized, VerticalScroll, can_focus=True):
    """The shared tab: a subclass sets PREFIX ("conv"/"pool") and CURSOR_TARGETS."""

    PREFIX = "step"
    EXAMPLES: tuple[ConvExample | PoolExample, ...] = ()  # the lecture's examples this tab offers
    # A lower-case key raises a setting and its upper-case twin lowers it; the help lists the pair once.
    BINDINGS = [
        Binding("right", "step(1)", "convpool.bind.next", key_display="→/n"),
        Binding("n", "step(1)", "convpool.bind.next", show=False),
        Binding("left", "step(-1)", "convpool.bind.prev", key_display="←/p"),
        Binding("p", "step(-1)", "convpool.bind.prev", show=False),
        Binding("home", "first", "convpool.bind.first"),
        Binding("end", "last", "convpool.bind.last"),
        Binding("space", "play", "convpool.bind.play"),
        Binding("greater_than_sign", "speed(1)", "convpool.bind.faster"),
        Binding("less_than_sign", "speed(-1)", "convpool.bind.slower"),
        Binding("e", "cursor", "convpool.bind.cursor"),
        Binding("f", "form", "convpool.bind.form"),
        Binding("x", "presets", "convpool.bind.presets"),
        Binding("s", "adjust('stride', 1)", "convpool.bind.stride", key_display="s/S"),
        Binding("S", "adjust('stride', -1)", "convpool.bind.stride", show=False),
        Binding("a", "adjust('padding', 1)", "convpool.bind.padding", key_display="a/A"),
        Binding("A", "adjust('padding', -1)", "convpool.bind.padding", show=False),
        Binding("k", "adjust('kernel_size', 1)", "convpool.bind.kernel", key_display="k/K"),
        Binding("K", "adjust('kernel_size', -1)", "convpool.bind.kernel", show=False),
        Binding("i", "adjust('size', 1)", "convpool.bind.size", key_display="i/I"),
        Binding("I", "adjust('size', -1)", "convpool.bind.size", show=False),
        Binding("c", "adjust('channels', 1)", "convpool.bind.channels", key_display="c/C"),
        Binding("C", "adjust('channels', -1)", "convpool.bind.channels", show=False),
        Binding("r", "random_input", "convpool.bind.random_input"),
        Binding("g", "image_crop(1)", "convpool.bind.crop", key_display="g/G"),
        Binding("G", "image_crop(3)", "convpool.bind.crop", show=False),
    ]

    trace: var[ConvTrace | PoolTrace] = var(None, init=False, always_update=True)  # type: ignore[arg-type]  # set in __init__
    """The lab's trace (compared by identity); set with `lab` and `view` in set_lab."""
    step_index: var[int] = var(0, init=False)
    playing: var[bool] = var(False, init=False)
    speed_index: var[int] = var(2, init=False)
    cursor: var[Cursor | None] = var(None, init=False)
    buffer: var[str] = var("", init=False)
    """What is being typed into the cursor's cell."""
    problem: var[tuple[str, dict[str, Any]] | None] = var(None, init=False)
    """The inline message (a catalogue key and its fields): why a setting was refused."""
    lang: var[str] = var("", init=False)

    # Each part is drawn by the watcher of a computed reactive: the state it shows, drawn again when that changes.
    lab_part: var[tuple[object, ...]] = var((), init=False)
    problem_part: var[tuple[object, ...]] = var((), init=False)
    step_part: var[tuple[object, ...]] = var((), init=False)

    def __init__(self, shared: LabState | None = None) -> None:
        super().__init__(classes="step-tab", id=f"{self.PREFIX}-tab")
        self.shared = shared or LabState()
        self.lab: Lab = self.initial_lab()
        self.set_reactive(StepperTab.trace, self.lab.trace())
        self.view = TraceView(self.trace)
        self.seed = 0
        self._timer: Timer | None = None
        self._ready = False

    # -- subclass hooks ---------------------------------------------------------------

    def initial_lab(self) -> Lab:
        raise NotImplementedError

    def adjusted(self, name: str, delta: int) -> Lab | None:
        """The lab with setting `name` changed by `delta` (may be invalid: set_lab checks it),
        or None when a shape setting would leave its LIMITS."""
        raise NotImplementedError

    def settings_line(self) -> Text:
        raise NotImplementedError

    def form(self) -> None:
        raise NotImplementedError

    # -- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        p = self.PREFIX
        yield Static(id=f"{p}-settings", classes="step-settings")
        yield Static(id=f"{p}-status", classes="step-status")
        with HorizontalScroll(id=f"{p}-scroll", classes="step-scroll"):
            yield MatrixView(id=f"{p}-matrices", classes="step-matrices")
        yield Static(id=f"{p}-computation", classes="step-computation")
        yield Static(id=f"{p}-formula", classes="step-formula")
        yield Static(id=f"{p}-message", classes="step-message")

    def _static(self, name: str) -> Static:
        return self.query_one(f"#{self.PREFIX}-{name}", Static)

    def on_mount(self) -> None:
        self._ready = True  # Localized.on_mount, called next by Textual, draws everything
        take_focus(self)
        self.watch(self.screen, "focused", self._focus_moved, init=False)

    def on_show(self) -> None:
        take_focus(self)

    def _focus_moved(self, focused: Widget | None) -> None:
        """Take the focus back when it lands on a widget in a hidden tab while this tab is shown."""
        if focused is not None and on_screen(self) and not on_screen(focused):
            take_focus(self)

    def localize(self) -> None:
        self.lang = language()

    # -- drawing ----------------------------------------------------------------------

    def compute_lab_part(self) -> tuple[object, ...]:
        return (self.lang, self.trace)

    def compute_problem_part(self) -> tuple[object, ...]:
        return (self.lang, self.problem)

    def compute_step_part(self) -> tuple[object, ...]:
        return (self.lang, self.trace, self.step_index, self.playing, self.speed_index, self.cursor, self.buffer)

    def watch_lab_part(self) -> None:
        """The settings line and the formula."""
        if not self._ready:
            return
        self._static("settings").update(CjkText(self.settings_line()))  # broken as Chinese is set, by cells
        formula = Text("\n").join([*size_formula_lines(self.trace.rows, self.trace.cols), output_shape_line(self.trace)])
        formula.append_text(Text.assemble("\n", (tr("trace.pytorch") + ": ", "grey70"), (self.trace.torch_call(), "bold green")))
        formula.append_text(self.printout())
        self._static("formula").update(formula)

    def printout(self) -> Text:
        """What the lecture's code prints for this lab, under the PyTorch call (override; none by default)."""
        return Text()

    def watch_step_part(self) -> None:
        """What changes from step to step: status, matrices, the arithmetic."""
        if not self._ready:
            return
        step = self.trace.step(self.step_index)
        _update_text(self._static("status"), self.status_line(step))
        self.query_one(f"#{self.PREFIX}-matrices", MatrixView).show(self.view.matrices(step, self.cursor))
        _update_text(self._static("computation"), Text("\n").join(self.computation_lines(step)))

    def computation_lines(self, step: Any) -> list[Text]:
        return step_lines(self.trace, step)

    def status_line(self, step: Any) -> Text:
        channel = getattr(step, "out_channel", getattr(step, "channel", 0))
        text = Text(tr("convpool.status.step", number=self.step_index + 1, total=len(self.trace)), "bold")
        text.append(f"  output[{channel}][{step.row}][{step.col}]  ", "bright_cyan")
        state = "convpool.status.playing" if self.playing else "convpool.status.paused"
        text.append(tr(state, speed=SPEEDS[self.speed_index]), "green" if self.playing else "grey70")
        if self.cursor is not None:
            where = tr(f"convpool.cursor.{self.cursor.target}")
            hint = "convpool.cursor.hint_output" if self.cursor.target == "output" else "convpool.cursor.hint_edit"
            text.append(f"   {tr('convpool.cursor.on', target=where)} ", "bright_magenta")
            if self.buffer:
                text.append(f"[{self.buffer}▏] ", "bold bright_magenta")
            text.append(tr(hint), "grey70")
        return text

    def watch_problem_part(self) -> None:
        if not self._ready:
            return
        message = self._static("message")
        if self.problem is None:
            message.update("")
            message.display = False
            return
        key, fields = self.problem
        message.update(Text(tr(key, **fields), "bold red"))
        message.display = True

    # -- state changes ----------------------------------------------------------------

    def set_lab(self, lab: Lab) -> bool:
        """Show `lab` if PyTorch would accept it; otherwise keep the current one and say why."""
        try:
            trace = lab.trace()
        except SettingsError as error:
            self.problem = (f"engine.rule.{error.rule}", error.fields)
            return False
        except MemoryError:  # the engine's budget should come first; the app still never exits on a setting
            self.problem = ("convpool.no_memory", {})
            return False
        self.lab, self.view = lab, TraceView(trace)
        self.set_reactive(StepperTab.trace, trace)  # drawn below, with the step and cursor that fit it
        cursor = self.cursor and cell_cursor.clamp(self.cursor, self.cursor_layout(self.cursor.target))
        self.change_step(step_index=min(self.step_index, len(trace) - 1), cursor=cursor)
        self.problem = None
        return True

    def show_lab(self, lab: Lab, cell: tuple[int, int, int]) -> None:
        """Show `lab` (an exercise's, say) at the step of output cell `cell`, playing stopped, no cell cursor."""
        for field, value in ((StepperTab.playing, False), (StepperTab.cursor, None), (StepperTab.step_index, 0)):
            self.set_reactive(field, value)  # drawn with the new lab (or left as they were drawn if it is refused)
        self._restart_timer()
        if self.set_lab(lab):
            self.go_to(self.trace.index_of(*cell))

    def say(self, key: str, **fields: Any) -> None:
        """An inline note that is not an engine rule (a limit, a missing image)."""
        self.problem = (key, fields)

    def go_to(self, index: int) -> None:
        self.step_index = max(0, min(len(self.trace) - 1, index))

    def change_step(self, **fields: object) -> None:
        """Set several of the step's reactives (`cursor=…, buffer=…`) and draw the step once."""
        set_together(self, **fields)

    # -- stepping and playing -----------------------------------------------------------

    def action_step(self, delta: int) -> None:
        self.go_to(self.step_index + delta)

    def action_first(self) -> None:
        self.go_to(0)

    def action_last(self) -> None:
        self.go_to(len(self.trace) - 1)

    def action_play(self) -> None:
        playing = not self.playing
        at_end = self.step_index >= len(self.trace) - 1
        self.change_step(playing=playing, step_index=0 if playing and at_end else self.step_index)
        self._restart_timer()

    def action_speed(self, delta: int) -> None:
        self.speed_index = max(0, min(len(SPEEDS) - 1, self.speed_index + delta))
        self._restart_timer()

    def _restart_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.playing:
            self._timer = self.set_interval(1 / SPEEDS[self.speed_index], self._tick)

    def _tick(self) -> None:
        if self.step_index >= len(self.trace) - 1:
            self.playing = False
            self._restart_timer()
        else:
            self.go_to(self.step_index + 1)

    # -- settings -----------------------------------------------------------------------

    def action_adjust(self, name: str, delta: int) -> None:
        lab = self.adjusted(name, delta)
        if lab is None:
            key, fields = limit_message(name)
            self.say(key, **fields)
        else:
            self.set_lab(lab)

    def action_form(self) -> None:
        self.form()

    def action_presets(self) -> None:
        from cnn_tui.ui.screens.preset_picker import PresetPicker

        self.app.push_screen(PresetPicker(self.preset_items), self.apply_preset)

    def preset_items(self) -> list[tuple[str, str]]:
        """The picker's rows: this tab's lecture examples, its own presets, a random input and image crops."""
        items = [(f"example:{e.name}", f"{e.name} — {tr(f'convpool.example.{e.name}')}") for e in self.EXAMPLES]
        items += self.own_preset_items()
        items += [
            ("random", tr("convpool.preset.random_input", seed=self.seed + 1)),
            ("image:1", tr("convpool.preset.crop_grey")),
            ("image:3", tr("convpool.preset.crop_rgb")),
        ]
        return items

    def own_preset_items(self) -> list[tuple[str, str]]:
        """Presets only this tab has (between the examples and the inputs)."""
        return []

    def apply_preset(self, preset_id: str | None) -> None:
        """Take a row of the picker: an example's whole lab, a random input or a crop, else the tab's own."""
        if preset_id is None:
            return
        kind, _, name = preset_id.partition(":")
        if kind == "example":
            self.set_reactive(StepperTab.step_index, 0)  # drawn with the example's lab
            self.set_lab(type(self.lab).from_example(example(name)))  # type: ignore[arg-type]
        elif kind == "random":
            self.action_random_input()
        elif kind == "image":
            self.action_image_crop(int(name))
        else:
            self.apply_own_preset(kind, name)

    def apply_own_preset(self, kind: str, name: str) -> None:
        """Take one of `own_preset_items()` (override)."""

    def action_random_input(self) -> None:
        self.seed += 1
        source = Source("random", seed=self.seed)
        self.set_lab(self.lab.with_input(make_input(source, self.lab.input.shape, self.lab.input), source))

    # -- a crop of the current image ------------------------------------------------------

    @property
    def image_pixels(self) -> np.ndarray | None:
        """The app's current image (H×W×3 uint8), or None before the first one is decoded."""
        return None if self.shared.image is None else self.shared.image.image.pixels

    def action_image_crop(self, channels: int) -> None:
        if self.image_pixels is None:
            self.say("convpool.no_image")
        else:
            self.apply_crop(channels)

    def on_image_changed(self, message: ImageChanged) -> None:
        """A new current image: an input cropped from the old one is cropped again from the new one."""
        if self.lab.input_source.kind == "image":
            self.apply_crop(int(self.lab.input_source.name))

    def apply_crop(self, channels: int) -> None:
        """Crop the input from the current image around the learner's point (the Pixels cursor)."""
        assert self.image_pixels is not None
        _, height, width = self.lab.input.shape
        at = self.shared.point
        values = image_crop(self.image_pixels, channels, height, width, at)
        self.set_lab(self.lab.with_input(values, Source("image", name=str(channels), at=at)))
