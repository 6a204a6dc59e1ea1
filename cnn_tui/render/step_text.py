"""A step written out as arithmetic, and the output-size formula with its numbers filled in.

`0×1 + 1×0 + 2×1 + … + 1 = 7` for a convolution (one line per input channel, then their total),
`max(0, 1, 3, 4) = 4` or `(0 + 1 + 3 + 4) / 4 = 2` for pooling. Words come from the catalogue,
so the same text serves `cnn-tui explain` (English) and the tabs (either language).
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from cnn_tui.core.conv_geometry import AxisGeometry
from cnn_tui.core.conv_trace import ConvStep, ConvTrace
from cnn_tui.core.pool_trace import INPUT, OUTSIDE, PADDING, PoolStep, PoolTrace
from cnn_tui.i18n import tr
from cnn_tui.render.numbers import format_number, format_term

INPUT_STYLE = Style(color="yellow")
KERNEL_STYLE = Style(color="cyan")
PAD_STYLE = Style(color="grey50", italic=True)
RESULT_STYLE = Style(color="bright_cyan", bold=True)
WINNER_STYLE = Style(color="bright_white", bgcolor="red", bold=True)
LABEL_STYLE = Style(color="grey70")
FORMULA_STYLE = Style(color="bright_white", bold=True)


def _products(step: ConvStep, channel: int, pad_mask: list[list[bool]] | None) -> Text:
    text = Text()
    inputs = step.inputs[channel].ravel().tolist()
    kernel = step.kernel[channel].ravel().tolist()
    for i, (x, k) in enumerate(zip(inputs, kernel)):
        if i:
            text.append(" + ")
        padded = pad_mask is not None and pad_mask[i // step.kernel.shape[2]][i % step.kernel.shape[2]]
        text.append(format_term(x), PAD_STYLE if padded else INPUT_STYLE)
        text.append("×")
        text.append(format_term(k), KERNEL_STYLE)
    return text


def conv_step_lines(trace: ConvTrace, step: ConvStep) -> list[Text]:
    """The step as arithmetic: one line per input channel, then the total with the bias."""
    mask = trace.padding_mask()[step.rows.start : step.rows.stop : step.rows.step, step.cols.start : step.cols.stop : step.cols.step]
    pad_mask = mask.tolist() if mask.any() else None
    bias = Text.assemble(" + ", (format_term(step.bias), KERNEL_STYLE), (f" ({tr('trace.bias')})", LABEL_STYLE))
    result = Text(format_number(step.result), RESULT_STYLE)
    if trace.in_channels == 1:
        line = _products(step, 0, pad_mask)
        if trace.has_bias:
            line.append_text(bias)
        return [Text.assemble(line, " = ", result)]
    lines = []
    for channel in range(trace.in_channels):
        label = Text(tr("trace.channel", number=channel + 1) + ": ", LABEL_STYLE)
        lines.append(
            Text.assemble(label, _products(step, channel, pad_mask), " = ", format_number(step.partial_sums[channel]))
        )
    total = Text(tr("trace.total") + ": ", LABEL_STYLE)
    total.append(" + ".join(format_term(p) for p in step.partial_sums.tolist()))
    if trace.has_bias:
        total.append_text(bias)
    total.append(" = ")
    total.append_text(result)
    return [*lines, total]


def pool_step_line(trace: PoolTrace, step: PoolStep) -> Text:
    """`max(…) = r` with the winner marked, or `(… ) / d = r` over the cells that count."""
    values = step.values.ravel().tolist()
    kinds = step.kinds.ravel().tolist()
    kw = step.values.shape[1]
    text = Text()
    if trace.mode == "max":
        text.append("max(")
        winner = step.winner[0] * kw + step.winner[1] if step.winner is not None else -1
        shown = [i for i, kind in enumerate(kinds) if kind != OUTSIDE]
        for n, i in enumerate(shown):
            if n:
                text.append(", ")
            style = WINNER_STYLE if i == winner else PAD_STYLE if kinds[i] == PADDING else INPUT_STYLE
            text.append(format_number(values[i]), style)
        text.append(") = ")
    else:
        counted = {INPUT, PADDING} if trace.count_include_pad else {INPUT}
        shown = [i for i, kind in enumerate(kinds) if kind in counted]
        text.append("(")
        for n, i in enumerate(shown):
            if n:
                text.append(" + ")
            text.append(format_term(values[i]), PAD_STYLE if kinds[i] == PADDING else INPUT_STYLE)
        text.append(f") / {step.divisor} = ")
    text.append(format_number(step.result), RESULT_STYLE)
    return text


def step_lines(trace: ConvTrace | PoolTrace, step: ConvStep | PoolStep) -> list[Text]:
    """The arithmetic of any step."""
    if isinstance(trace, ConvTrace):
        return conv_step_lines(trace, step)  # type: ignore[arg-type]
    return [pool_step_line(trace, step)]  # type: ignore[arg-type]


def _covered_note(axis: AxisGeometry) -> str | None:
    if not axis.uncovered:
        return None
    numbers = ", ".join(str(i + 1) for i in axis.uncovered)
    key = "trace.uncovered_rows" if axis.axis == "H" else "trace.uncovered_cols"
    return tr(key, numbers=numbers)


def size_formula_lines(rows: AxisGeometry, cols: AxisGeometry) -> list[Text]:
    """`N = (W − F + 2P) / S + 1`, then each axis with its numbers (one line when both agree)."""
    lines = [Text(rows.symbolic() if not rows.exact else cols.symbolic(), FORMULA_STYLE)]
    same = rows.numeric() == cols.numeric()
    for label, axis in ((tr("trace.rows_cols") if same else tr("trace.rows"), rows), (tr("trace.cols"), cols)):
        lines.append(Text.assemble((f"{label}: ", LABEL_STYLE), axis.numeric()))
        if same:
            break
    if not (rows.exact and cols.exact):
        lines.append(Text(tr("trace.floored" if not rows.ceil_mode else "trace.ceiled"), LABEL_STYLE))
    for axis in (rows, cols):
        note = _covered_note(axis)
        if note:
            lines.append(Text(note, Style(color="grey62", strike=False, italic=True)))
    return lines


def output_shape_line(trace: ConvTrace | PoolTrace) -> Text:
    """`(1, 5, 5) → (1, 5, 5)`: the input and output shapes, [C][H][W]."""
    return Text.assemble(
        (f"{tr('trace.shape')}: ", LABEL_STYLE),
        f"{tuple(trace.input.shape)} → {tuple(trace.output.shape)}",
    )
