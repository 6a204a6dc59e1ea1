"""The Convolution tab (卷积层): step through conv2d cell by cell — the window on each padded input
channel, the kernel's slices, every product and sum, the output filling in, the size formula and
the equivalent `nn.Conv2d(...)`; change any setting by key or in a small form.
"""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual.binding import Binding

from cnn_tui.core.conv_geometry import SettingsError
from cnn_tui.core.lecture_examples import CONV_EXAMPLES, example
from cnn_tui.core.step_lab import KERNEL_NAMES, ConvLab, Source, within_limits
from cnn_tui.i18n import tr
from cnn_tui.render.numbers import format_number
from cnn_tui.ui.tabs.stepper.stepper import StepperTab
from cnn_tui.ui.tabs.stepper.forms import FormValues, pair_text, parse_int, parse_pair, source_text
from cnn_tui.ui.screens.settings_form import FormField, SettingsForm

DEFAULT_EXAMPLE = "conv-padding"


class ConvolutionTab(StepperTab):
    """conv2d, step by step."""

    PREFIX = "conv"
    EXAMPLES = CONV_EXAMPLES
    CURSOR_TARGETS = ("input", "kernel", "output")
    BINDINGS = [
        Binding("d", "adjust('dilation', 1)", "conv.bind.dilation", key_display="d/D"),
        Binding("D", "adjust('dilation', -1)", "conv.bind.dilation", show=False),
        Binding("o", "adjust('kernels', 1)", "conv.bind.kernels", key_display="o/O"),
        Binding("O", "adjust('kernels', -1)", "conv.bind.kernels", show=False),
        Binding("b", "adjust('bias', 1)", "conv.bind.bias", key_display="b/B"),
        Binding("B", "adjust('bias', -1)", "conv.bind.bias", show=False),
        Binding("w", "next_kernel", "conv.bind.next_kernel"),
    ]

    lab: ConvLab

    def initial_lab(self) -> ConvLab:
        return ConvLab.from_example(example(DEFAULT_EXAMPLE))  # type: ignore[arg-type]

    def adjusted(self, name: str, delta: int) -> ConvLab | None:
        lab = self.lab
        c, h, w = lab.input.shape
        o, _, kh, kw = lab.weights.shape
        if name in ("stride", "padding", "dilation"):
            a, b = getattr(lab, name)
            if not (within_limits(name, a + delta) and within_limits(name, b + delta)):
                return None
            return lab.with_settings(**{name: (a + delta, b + delta)})
        if name == "bias":
            bias = lab.bias.copy()
            bias[self.trace.position(self.step_index)[0]] += delta
            return lab.with_settings(bias=bias)
        current = {"size": h, "channels": c, "kernels": o, "kernel_size": kh}[name]
        if not within_limits(name, current + delta):
            return None
        if name == "size":
            return lab.resized(size=(h + delta, w + delta), image=self.image_pixels)
        if name == "channels":
            return lab.resized(channels=c + delta, image=self.image_pixels)
        if name == "kernels":
            return lab.resized(kernels=o + delta)
        return lab.resized(kernel_size=(kh + delta, kw + delta))

    def action_next_kernel(self) -> None:
        current = self.lab.kernel_source
        names = KERNEL_NAMES
        index = names.index(current.name) + 1 if current.kind == "kernel" and current.name in names else 0
        name = names[index % len(names)]
        self.apply_preset(f"kernel:{name}")

    # -- text -------------------------------------------------------------------------

    def settings_line(self) -> Text:
        lab, trace = self.lab, self.trace
        c, h, w = lab.input.shape
        o, _, kh, kw = lab.weights.shape
        text = Text(
            tr(
                "conv.settings", channels=c, height=h, width=w, kernels=o, kh=kh, kw=kw,
                stride=pair_text(trace.stride), padding=pair_text(trace.padding), dilation=pair_text(trace.dilation),
                bias=", ".join(format_number(b) for b in trace.bias.tolist()),
            ),
            "bold",
        )
        text.append("\n")
        if lab.example:
            text.append(tr("convpool.source.example", name=lab.example, description=tr(f"convpool.example.{lab.example}")), "grey70")
        else:
            text.append(
                tr("conv.sources", input=source_text(lab.input_source), kernel=source_text(lab.kernel_source)), "grey70"
            )
        return text

    # -- presets and the form -------------------------------------------------------------

    def own_preset_items(self) -> list[tuple[str, str]]:
        return [(f"kernel:{name}", tr("conv.preset.kernel", name=tr(f"convpool.kernel.{name}"))) for name in KERNEL_NAMES]

    def apply_own_preset(self, kind: str, name: str) -> None:
        if kind != "kernel":
            return
        if name == "random":
            self.seed += 1
            source = Source("random", seed=self.seed)
        else:
            source = Source("kernel", name=name)
        self.set_lab(self.lab.with_kernel_source(source))

    def form(self) -> None:
        lab, trace = self.lab, self.trace
        c, h, w = lab.input.shape
        o, _, kh, kw = lab.weights.shape
        fields = [
            FormField("size", "convpool.form.size", f"{h}x{w}"),
            FormField("channels", "convpool.form.channels", str(c)),
            FormField("kernels", "conv.form.kernels", str(o)),
            FormField("kernel_size", "convpool.form.kernel_size", str(kh)),
            FormField("stride", "convpool.form.stride", pair_text(trace.stride)),
            FormField("padding", "convpool.form.padding", pair_text(trace.padding)),
            FormField("dilation", "conv.form.dilation", pair_text(trace.dilation)),
            FormField("bias", "conv.form.bias", ", ".join(format_number(b, 6) for b in trace.bias.tolist())),
        ]
        self.app.push_screen(SettingsForm("conv.form.title", fields, self.apply_form))

    def apply_form(self, raw: dict[str, str]) -> str | None:
        """Take the form's values if they are valid; otherwise the message to show in the form."""
        values = FormValues(raw)
        size = values.get("size", parse_pair, limit="size")
        channels = values.get("channels", parse_int, limit="channels")
        kernels = values.get("kernels", parse_int, limit="kernels")
        kernel_size = values.get("kernel_size", parse_int, limit="kernel_size")
        stride = values.get("stride", parse_pair, limit="stride")
        padding = values.get("padding", parse_pair, limit="padding")
        dilation = values.get("dilation", parse_pair, limit="dilation")
        bias = values.get("bias", _parse_bias)
        if values.problem:
            return values.problem
        if len(bias) not in (1, kernels):
            return tr("engine.rule.bias_count", parameter="bias", value=len(bias), kernels=kernels)
        lab = self.lab.resized(size=size, channels=channels, kernels=kernels, kernel_size=(kernel_size, kernel_size), image=self.image_pixels)
        lab = lab.with_settings(
            stride=stride, padding=padding, dilation=dilation, bias=np.resize(np.asarray(bias, dtype=float), kernels)
        )
        try:
            lab.trace()
        except SettingsError as error:
            return tr(f"engine.rule.{error.rule}", **error.fields)
        self.set_lab(lab)
        return None


def _parse_bias(text: str) -> list[float]:
    from cnn_tui.core.matrix_parse import MatrixParseError, parse_numbers

    try:
        return parse_numbers(text).tolist()
    except MatrixParseError:
        raise ValueError(text) from None
