"""The torchsummary table of a model: as the lecture prints it (plain text) and as a Rich table.

Both take a `cnn_tui.ml.summary.ModelSummary` (duck-typed here, so this module never imports torch).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from cnn_tui.ml.summary import ModelSummary

RULE = "-" * 80
DOUBLE_RULE = "=" * 80


def _shape(shape: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(v) for v in shape) + "]"


def totals_lines(summary: ModelSummary) -> list[str]:
    """The totals under the table, in torchsummary's words and rounding, plus multiply-adds."""
    return [
        f"Total params: {summary.total_params:,}",
        f"Trainable params: {summary.trainable_params:,}",
        f"Non-trainable params: {summary.non_trainable_params:,}",
        RULE,
        f"Input size (MB): {summary.input_mb:.2f}",
        f"Forward/backward pass size (MB): {summary.forward_backward_mb:.2f}",
        f"Params size (MB): {summary.params_mb:.2f}",
        f"Estimated Total Size (MB): {summary.total_mb:.2f}",
        RULE,
        f"Mult-Adds per image: {summary.mult_adds:,}",
    ]


def format_summary(summary: ModelSummary) -> str:
    """torchsummary's printout (`summary(model, input_size=(3, 32, 32), batch_size=1)`) with a Mult-Adds column."""
    lines = [RULE, f"{'Layer (type)':>20}  {'Output Shape':>20} {'Param #':>15} {'Mult-Adds':>15}", DOUBLE_RULE]
    for row in summary.rows:
        lines.append(f"{row.name:>20}  {_shape(row.output_shape):>20} {row.params:>15,} {row.mult_adds:>15,}")
    lines.append(DOUBLE_RULE)
    lines += totals_lines(summary)
    return "\n".join(lines)


def summary_table(summary: ModelSummary) -> Table:
    """The same numbers as a Rich table, with the totals as its caption."""
    title = f"{summary.model_name}: input {_shape((summary.batch_size, *summary.input_size))}"
    table = Table(title=title, caption="\n".join(line for line in totals_lines(summary) if line != RULE))
    table.add_column("Layer (type)", style="bold")
    table.add_column("Output Shape", justify="right")
    table.add_column("Param #", justify="right")
    table.add_column("Mult-Adds", justify="right")
    for row in summary.rows:
        table.add_row(row.name, _shape(row.output_shape), f"{row.params:,}", Text(f"{row.mult_adds:,}", style="dim"))
    return table
