"""The Pooling tab (池化层): step through max or average pooling window by window — the winner of
each max, the sum and divisor of each average (and whether padding counts), each channel on its
own, the size formula and the equivalent `nn.MaxPool2d(...)` / `nn.AvgPool2d(...)`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from rich.text import Text
from textual.binding import Binding

from cnn_tui.core.conv_geometry import SettingsError
from cnn_tui.core.lecture_examples import POOL_EXAMPLES, example
from cnn_tui.core.step_lab import PoolLab, within_limits
from cnn_tui.core.tensor_print import torch_print
from cnn_tui.i18n import tr
from cnn_tui.ui.screens.settings_form import FormField, SettingsForm
from cnn_tui.ui.tabs.stepper.forms import FormValues, pair_text, parse_int, parse_pair, parse_yes_no, source_text
from cnn_tui.ui.tabs.stepper.stepper import StepperTab

if TYPE_CHECKING:
    from cnn_tui.core.pool_trace import PoolStep

DEFAULT_EXAMPLE = "max-pool-padding"


class PoolingTab(StepperTab):
    """max_pool2d / avg_pool2d, step by step."""

    PREFIX = "pool"
    EXAMPLES = POOL_EXAMPLES
    CURSOR_TARGETS = ("input", "output")
    BINDINGS = [
        Binding("m", "toggle('mode')", "pool.bind.mode"),
        Binding("u", "toggle('ceil_mode')", "pool.bind.ceil_mode"),
        Binding("z", "toggle('count_include_pad')", "pool.bind.count_include_pad"),
        Binding("e", "cursor", "pool.bind.cursor"),  # pooling has no kernel to put the cursor on
    ]

    lab: PoolLab

    def initial_lab(self) -> PoolLab:
        return PoolLab.from_example(example(DEFAULT_EXAMPLE))  # type: ignore[arg-type]

    def adjusted(self, name: str, delta: int) -> PoolLab | None:
        lab = self.lab
        c, h, w = lab.input.shape
        if name in ("stride", "padding"):
            a, b = lab.effective_stride if name == "stride" else lab.padding
            if not (within_limits(name, a + delta) and within_limits(name, b + delta)):
                return None
            return lab.with_settings(**{name: (a + delta, b + delta)})
        if name == "kernel_size":
            kh, kw = lab.kernel_size
            if not within_limits(name, kh + delta):
                return None
            return lab.with_settings(kernel_size=(kh + delta, kw + delta))
        current = {"size": h, "channels": c}[name]
        if not within_limits(name, current + delta):
            return None
        if name == "size":
            return lab.resized(size=(h + delta, w + delta), image=self.image_pixels)
        return lab.resized(channels=c + delta, image=self.image_pixels)

    def action_toggle(self, name: str) -> None:
        lab = self.lab
        if name == "mode":
            self.set_lab(lab.with_settings(mode="avg" if lab.mode == "max" else "max"))
        else:
            self.set_lab(lab.with_settings(**{name: not getattr(lab, name)}))

    # -- text -------------------------------------------------------------------------

    def settings_line(self) -> Text:
        lab, trace = self.lab, self.trace
        c, h, w = lab.input.shape
        text = Text(
            tr(
                "pool.settings", mode=tr(f"pool.mode.{lab.mode}"), channels=c, height=h, width=w,
                kernel=pair_text(trace.kernel_size), stride=pair_text(trace.stride), padding=pair_text(trace.padding),
                ceil_mode=_yes_no(lab.ceil_mode),
            ),
            "bold",
        )
        if lab.mode == "avg":
            text.append(tr("pool.settings_avg", count_include_pad=_yes_no(lab.count_include_pad)), "bold")
        text.append("\n")
        if lab.example:
            text.append(tr("convpool.source.example", name=lab.example, description=tr(f"convpool.example.{lab.example}")), "grey70")
        else:
            text.append(tr("pool.source", input=source_text(lab.input_source)), "grey70")
        return text

    def printout(self) -> Text:
        """For the lecture's PyTorch examples, `print(output)` as the lecture shows it: tensor([[[[4., 5.], …]]]])."""
        if self.lab.example not in PRINTED_EXAMPLES:
            return Text()
        printed = torch_print(self.trace.output[np.newaxis])
        return Text.assemble("\n", (tr("gloss.pool.printout") + "\n", "grey70"), (printed, "bold"))

    def computation_lines(self, step: PoolStep) -> list[Text]:
        lines = super().computation_lines(step)
        if self.lab.mode == "max":
            lines.append(Text(tr("pool.max_note"), "grey70"))
        else:
            key = "trace.count_include_pad" if self.lab.count_include_pad else "trace.count_exclude_pad"
            lines.append(Text(tr(key), "grey70"))
        return lines

    # -- presets and the form -------------------------------------------------------------

    def form(self) -> None:
        lab, trace = self.lab, self.trace
        c, h, w = lab.input.shape
        fields = [
            FormField("size", "convpool.form.size", f"{h}x{w}"),
            FormField("channels", "convpool.form.channels", str(c)),
            FormField("mode", "pool.form.mode", lab.mode),
            FormField("kernel_size", "convpool.form.kernel_size", pair_text(trace.kernel_size)),
            FormField("stride", "convpool.form.stride", pair_text(trace.stride)),
            FormField("padding", "convpool.form.padding", pair_text(trace.padding)),
            FormField("ceil_mode", "pool.form.ceil_mode", _yes_no(lab.ceil_mode)),
            FormField("count_include_pad", "pool.form.count_include_pad", _yes_no(lab.count_include_pad)),
        ]
        self.app.push_screen(SettingsForm("pool.form.title", fields, self.apply_form))

    def apply_form(self, raw: dict[str, str]) -> str | None:
        values = FormValues(raw)
        size = values.get("size", parse_pair, limit="size")
        channels = values.get("channels", parse_int, limit="channels")
        mode = values.get("mode", _parse_mode)
        kernel = values.get("kernel_size", parse_pair, limit="kernel_size")
        stride = values.get("stride", parse_pair, limit="stride")
        padding = values.get("padding", parse_pair, limit="padding")
        ceil_mode = values.get("ceil_mode", parse_yes_no)
        include_pad = values.get("count_include_pad", parse_yes_no)
        if values.problem:
            return values.problem
        lab = self.lab.resized(size=size, channels=channels, image=self.image_pixels).with_settings(
            mode=mode, kernel_size=kernel, stride=stride, padding=padding, ceil_mode=ceil_mode,
            count_include_pad=include_pad,
        )
        try:
            lab.trace()
        except SettingsError as error:
            return tr(f"engine.rule.{error.rule}", **error.fields)
        self.set_lab(lab)
        return None


# The lecture's examples it runs as PyTorch code and prints (its 池化 API section and the multi-channel pooling).
PRINTED_EXAMPLES = frozenset({"max-pool-api", "avg-pool-api", "max-pool-channels"})


def _yes_no(value: bool) -> str:
    return tr("pool.yes" if value else "pool.no")


# What the form's mode field takes: the API's names, the words, and the lecture's Chinese (最大池化, 平均池化).
MODE_WORDS = {
    "max": "max", "maximum": "max", "最大": "max", "最大池化": "max",
    "avg": "avg", "average": "avg", "mean": "avg", "平均": "avg", "平均池化": "avg",
}


def _parse_mode(text: str) -> str:
    value = MODE_WORDS.get(text.strip().lower())
    if value is None:
        raise ValueError(text)
    return value
