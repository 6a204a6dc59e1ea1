"""`cnn-tui explain conv|pool|presets`: a convolution or pooling written out step by step, or as JSON.

Examples:
  cnn-tui explain conv --preset conv-padding
  cnn-tui explain conv --input range:5x5 --kernel '[[1, 0], [0, 1]]' --stride 2
  cnn-tui explain conv --input random:3x5x5 --seed 0 --kernel random:2x3x3x3 --bias 1,0 --json
  cnn-tui explain pool --mode max --input '[[0, 1, 2], [3, 4, 5], [6, 7, 8]]' --kernel-size 2 --stride 1 --padding 1
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import NoReturn

from cnn_tui.config import EXPLAIN_DEFAULTS, LIMITS
from cnn_tui.core.conv_geometry import Pair, SettingsError
from cnn_tui.core.conv_trace import ConvTrace
from cnn_tui.core.lecture_examples import CONV_EXAMPLES, EXAMPLES, POOL_EXAMPLES, ConvExample, PoolExample
from cnn_tui.core.matrix_parse import MatrixParseError, as_input, as_weights, parse_matrix, parse_numbers
from cnn_tui.core.pool_trace import PoolTrace

PROG = "cnn-tui explain"


class ExplainError(Exception):
    """A user mistake; the message is printed as one line."""


class OneLineParser(argparse.ArgumentParser):
    """Argument errors as one line on stderr, status 2 (no usage dump)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def pair_arg(text: str) -> Pair:
    """`2` -> (2, 2); `2,1` -> (2, 1)."""
    parts = [p.strip() for p in text.replace("x", ",").split(",")]
    try:
        values = [int(p) for p in parts]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number or a pair like 2,1") from None
    if len(values) == 1:
        return (values[0], values[0])
    if len(values) == 2:
        return (values[0], values[1])
    raise argparse.ArgumentTypeError(f"{text!r}: give one number or two (rows,columns)")


def steps_arg(text: str) -> int | None:
    """A step count, or `all`."""
    if text.strip().lower() == "all":
        return None
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of steps (or 'all')") from None
    if value < 0:
        raise argparse.ArgumentTypeError("the number of steps must be 0 or more")
    return value


def seed_arg(text: str) -> int:
    """A seed for random: sources, 0 … 2**32 − 1 (what NumPy's generator takes)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(f"{value} is out of range: a seed is a whole number from 0 to {2**32 - 1:,}")
    return value


def _common(parser: argparse.ArgumentParser, kind: str, names: list[str]) -> None:
    parser.add_argument("--preset", metavar="NAME", help=f"a lecture example: {', '.join(names)}")
    parser.add_argument(
        "--input", metavar="MATRIX",
        help="[[..]] as [H][W] or [C][H][W], or range:4x4, random:3x5x5, zeros:HxW, ones:HxW",
    )
    parser.add_argument("--seed", type=seed_arg, default=EXPLAIN_DEFAULTS.seed, help="seed for random: sources (default: %(default)s)")
    parser.add_argument("--stride", type=pair_arg, metavar="S", help=f"S or SH,SW (default: {'1' if kind == 'conv' else 'the kernel size'})")
    parser.add_argument("--padding", type=pair_arg, metavar="P", help="P or PH,PW (default: 0)")
    parser.add_argument(
        "--steps", type=steps_arg, default=EXPLAIN_DEFAULTS.steps, metavar="N",
        help="how many steps to write out, or 'all' (default: %(default)s)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object (output, shape arithmetic, steps)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="operation", metavar="conv|pool|presets", parser_class=OneLineParser, required=True)
    conv = sub.add_parser("conv", help="conv2d, as nn.Conv2d / F.conv2d", description="Explain a convolution step by step.")
    _common(conv, "conv", [e.name for e in CONV_EXAMPLES])
    conv.add_argument(
        "--kernel", metavar="MATRIX",
        help="[kH][kW], [C_in][kH][kW] or [C_out][C_in][kH][kW]; random:… draws integers −1…1",
    )
    conv.add_argument("--bias", metavar="B", help="one number, or one per kernel like 1,0 (default: 0)")
    conv.add_argument("--dilation", type=pair_arg, metavar="D", help="D or DH,DW (default: 1)")
    pool = sub.add_parser("pool", help="max or average pooling, as nn.MaxPool2d / nn.AvgPool2d", description="Explain a pooling step by step.")
    _common(pool, "pool", [e.name for e in POOL_EXAMPLES])
    pool.add_argument("--mode", choices=("max", "avg"), help="max or avg (default: max)")
    pool.add_argument("--kernel-size", type=pair_arg, metavar="K", help="K or KH,KW (default: 2)")
    pool.add_argument("--ceil-mode", action="store_true", default=None, help="round the output size up, as ceil_mode=True")
    pool.add_argument(
        "--no-count-include-pad", dest="count_include_pad", action="store_false", default=None,
        help="average over input cells only (count_include_pad=False)",
    )
    sub.add_parser("presets", help="list the lecture examples", description="List the lecture examples.")


def _matrix(text: str, name: str, seed: int, random_range: tuple[int, int] = (0, 9)):
    try:
        return parse_matrix(text, name=name, seed=seed, random_range=random_range)
    except MatrixParseError as error:
        raise ExplainError(str(error)) from None


def _preset(args: argparse.Namespace, kind: str) -> ConvExample | PoolExample | None:
    if args.preset is None:
        return None
    preset = EXAMPLES.get(args.preset)
    if preset is None:
        raise ExplainError(f"no preset {args.preset!r}; choose one of: {', '.join(EXAMPLES)}")
    if preset.kind != kind:
        raise ExplainError(f"preset {args.preset!r} is a {preset.kind} example: use `{PROG} {preset.kind} --preset {args.preset}`")
    return preset


def build_conv(args: argparse.Namespace) -> ConvTrace:
    """The conv trace the arguments describe (a preset, overridden by any option given)."""
    preset = _preset(args, "conv")
    if preset is None and (args.input is None or args.kernel is None):
        raise ExplainError("give --input and --kernel, or --preset NAME (see `cnn-tui explain presets`)")
    base = preset.trace() if isinstance(preset, ConvExample) else None
    try:
        inputs = as_input(_matrix(args.input, "input", args.seed), "input") if args.input else base.input
        weights = (
            as_weights(_matrix(args.kernel, "kernel", args.seed + 1, (-1, 1)), "kernel") if args.kernel else base.weights
        )
        bias = parse_numbers(args.bias, "bias") if args.bias is not None else (base.bias if base is not None and args.kernel is None else None)
    except MatrixParseError as error:
        raise ExplainError(str(error)) from None
    return ConvTrace(
        inputs, weights, bias,
        stride=args.stride or (base.stride if base else 1),
        padding=args.padding or (base.padding if base else 0),
        dilation=args.dilation or (base.dilation if base else 1),
    )


def build_pool(args: argparse.Namespace) -> PoolTrace:
    """The pool trace the arguments describe (a preset, overridden by any option given)."""
    preset = _preset(args, "pool")
    if preset is None and args.input is None:
        raise ExplainError("give --input (and --kernel-size), or --preset NAME (see `cnn-tui explain presets`)")
    base = preset.trace() if isinstance(preset, PoolExample) else None
    inputs = as_input(_matrix(args.input, "input", args.seed), "input") if args.input else base.input
    kernel = args.kernel_size or (base.kernel_size if base else (2, 2))
    stride = args.stride or (base.stride if base and not args.kernel_size else None)
    return PoolTrace(
        inputs,
        args.mode or (base.mode if base else "max"),
        kernel,
        stride,
        args.padding or (base.padding if base else 0),
        ceil_mode=bool(args.ceil_mode),
        count_include_pad=True if args.count_include_pad is None else args.count_include_pad,
    )


def _print_presets() -> None:
    width = max(len(name) for name in EXAMPLES)
    for name, preset in EXAMPLES.items():
        print(f"{name:<{width}}  {preset.kind:<4}  {preset.section}: {preset.description}")


def check_written_size(trace: ConvTrace | PoolTrace, as_json: bool) -> None:
    """Refuse a trace whose matrices would print more numbers than LIMITS.report_cells."""
    kernels = trace.weights.size if isinstance(trace, ConvTrace) else 0
    shown = trace.input if as_json else trace.padded
    cells = shown.size + kernels + trace.output.size
    if cells > LIMITS.report_cells:
        raise ExplainError(
            f"the matrices ({'input' if as_json else 'padded input'} {_shape(shown.shape)}, output "
            f"{_shape(trace.output.shape)}) hold {cells:,} numbers, more than the {LIMITS.report_cells:,} that explain "
            "writes out, so the explanation stays readable and fits in memory; use less padding or a smaller input"
        )


def _shape(shape: tuple[int, ...]) -> str:
    return "×".join(str(side) for side in shape)


class Progress:
    """`step N of M` on stderr while a long explanation is written (every half second), so it is clear
    that it is working and that Ctrl+C stops it."""

    FROM_STEPS = 2_000  # shorter explanations are written without it
    INTERVAL_S = 0.5

    def __init__(self, total: int) -> None:
        self.total = total
        self.active = total >= self.FROM_STEPS
        self.terminal = sys.stderr.isatty()
        self.last = time.monotonic()
        self.shown = False

    def __call__(self, index: int) -> None:
        if not self.active or index % 64:
            return
        now = time.monotonic()
        if now - self.last < self.INTERVAL_S:
            return
        self.last = now
        line = f"{PROG}: step {index + 1:,} of {self.total:,} (Ctrl+C stops)"
        print(f"\r{line}" if self.terminal else line, end="" if self.terminal else "\n", file=sys.stderr, flush=True)
        self.shown = True

    def done(self) -> None:
        if self.shown and self.terminal:
            print(file=sys.stderr, flush=True)


def _print_report(trace: ConvTrace | PoolTrace, steps: int, progress: Progress) -> None:
    from rich.console import Console
    from rich.measure import Measurement
    from rich.text import Text

    from cnn_tui.render.trace_report import explain_parts

    console = Console(highlight=False)
    fixed_width = console.is_terminal
    for part in explain_parts(trace, steps, progress):
        if fixed_width:
            console.print(part)
        elif isinstance(part, Text):
            console.print(part, soft_wrap=True)  # piped: never wrap a line
        else:
            needed = Measurement.get(console, console.options.update_width(1_000_000), part).maximum
            console.width = max(console.width, needed)
            console.print(part)


def _write_json(trace: ConvTrace | PoolTrace, steps: int, progress: Progress) -> None:
    from cnn_tui.core.trace_export import trace_json

    for piece in trace_json(trace, steps, progress):
        sys.stdout.write(piece)
    sys.stdout.write("\n")
    sys.stdout.flush()


def run(args: argparse.Namespace) -> int:
    try:
        if args.operation == "presets":
            _print_presets()
            return 0
        trace = build_conv(args) if args.operation == "conv" else build_pool(args)
        check_written_size(trace, args.json)
    except (ExplainError, SettingsError, MatrixParseError) as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 2
    steps = len(trace) if args.steps is None else min(args.steps, len(trace))
    progress = Progress(steps)
    try:
        (_write_json if args.json else _print_report)(trace, steps, progress)
    finally:
        progress.done()
    return 0
