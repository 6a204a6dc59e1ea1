"""`cnn-tui explain conv|pool|presets`: a convolution or pooling written out step by step, or as JSON (help in locales/cli_serve_explain.toml)."""

from __future__ import annotations

import argparse
import sys
import time
from typing import NoReturn

from cnn_tui.commands.argparse_words import HelpFormatter
from cnn_tui.commands.core_words import in_language
from cnn_tui.config import EXPLAIN_DEFAULTS, LIMITS
from cnn_tui.core.conv_geometry import Pair, SettingsError
from cnn_tui.core.conv_trace import ConvTrace
from cnn_tui.core.lecture_examples import CONV_EXAMPLES, EXAMPLES, POOL_EXAMPLES, ConvExample, PoolExample
from cnn_tui.core.matrix_parse import MatrixParseError, as_input, as_weights, parse_matrix, parse_numbers
from cnn_tui.core.pool_trace import PoolTrace
from cnn_tui.i18n import Phrase, catalogue, tr

PROG = "cnn-tui explain"


class ExplainError(Exception):
    """A user mistake; the message is printed as one line. `said` is a catalogue Phrase (or another error)."""

    def __init__(self, said: object) -> None:
        super().__init__(str(said))
        self.said = said


def _said(error: Exception) -> str:
    """The error in the command line's language (a SettingsError in the app's `engine.rule.*` words)."""
    return in_language(error.said if isinstance(error, ExplainError) else error)


class OneLineParser(argparse.ArgumentParser):
    """Argument errors as one line on stderr, status 2 (no usage dump)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, tr("cli.explain.one_line_error", prog=self.prog, message=message) + "\n")


def pair_arg(text: str) -> Pair:
    """`2` -> (2, 2); `2,1` -> (2, 1)."""
    parts = [p.strip() for p in text.replace("x", ",").split(",")]
    try:
        values = [int(p) for p in parts]
    except ValueError:
        raise argparse.ArgumentTypeError(tr("cli.explain.not_pair", text=text)) from None
    if len(values) == 1:
        return (values[0], values[0])
    if len(values) == 2:
        return (values[0], values[1])
    raise argparse.ArgumentTypeError(tr("cli.explain.one_or_two", text=text))


def steps_arg(text: str) -> int | None:
    """A step count, or `all`."""
    if text.strip().lower() == "all":
        return None
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(tr("cli.explain.not_steps", text=text)) from None
    if value < 0:
        raise argparse.ArgumentTypeError(tr("cli.explain.negative_steps"))
    return value


def seed_arg(text: str) -> int:
    """A seed for random: sources, 0 … 2**32 − 1 (what NumPy's generator takes)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(tr("cli.option.not_whole", text=text)) from None
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(tr("cli.explain.seed_range", value=value, most=2**32 - 1))
    return value


def _common(parser: argparse.ArgumentParser, kind: str, names: list[str]) -> None:
    parser.add_argument("--preset", metavar="NAME", help=tr("cli.explain.preset", names=", ".join(names)))
    parser.add_argument("--input", metavar="MATRIX", help=tr("cli.explain.input"))
    parser.add_argument("--seed", type=seed_arg, default=EXPLAIN_DEFAULTS.seed, help=tr("cli.explain.seed"))
    stride_default = "1" if kind == "conv" else tr("cli.explain.stride_pool")
    parser.add_argument("--stride", type=pair_arg, metavar="S", help=tr("cli.explain.stride", default=stride_default))
    parser.add_argument("--padding", type=pair_arg, metavar="P", help=tr("cli.explain.padding"))
    parser.add_argument(
        "--steps", type=steps_arg, default=EXPLAIN_DEFAULTS.steps, metavar="N", help=tr("cli.explain.steps")
    )
    parser.add_argument("--json", action="store_true", help=tr("cli.explain.json"))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (parser.description or "") + "\n\n" + tr("cli.explain.about")
    sub = parser.add_subparsers(dest="operation", metavar="conv|pool|presets", parser_class=OneLineParser, required=True)
    conv = sub.add_parser(
        "conv", help=tr("cli.explain.conv"), description=tr("cli.explain.conv_about"), formatter_class=HelpFormatter
    )
    _common(conv, "conv", [e.name for e in CONV_EXAMPLES])
    conv.add_argument("--kernel", metavar="MATRIX", help=tr("cli.explain.kernel"))
    conv.add_argument("--bias", metavar="B", help=tr("cli.explain.bias"))
    conv.add_argument("--dilation", type=pair_arg, metavar="D", help=tr("cli.explain.dilation"))
    pool = sub.add_parser(
        "pool", help=tr("cli.explain.pool"), description=tr("cli.explain.pool_about"), formatter_class=HelpFormatter
    )
    _common(pool, "pool", [e.name for e in POOL_EXAMPLES])
    pool.add_argument("--mode", choices=("max", "avg"), help=tr("cli.explain.mode"))
    pool.add_argument("--kernel-size", type=pair_arg, metavar="K", help=tr("cli.explain.kernel_size"))
    pool.add_argument("--ceil-mode", action="store_true", default=None, help=tr("cli.explain.ceil_mode"))
    pool.add_argument(
        "--no-count-include-pad", dest="count_include_pad", action="store_false", default=None,
        help=tr("cli.explain.count_include_pad"),
    )
    sub.add_parser(
        "presets", help=tr("cli.explain.presets"), description=tr("cli.explain.presets_about"), formatter_class=HelpFormatter
    )


def _matrix(text: str, name: str, seed: int, random_range: tuple[int, int] = (0, 9)):
    try:
        return parse_matrix(text, name=name, seed=seed, random_range=random_range)
    except MatrixParseError as error:
        raise ExplainError(error) from None


def _preset(args: argparse.Namespace, kind: str) -> ConvExample | PoolExample | None:
    if args.preset is None:
        return None
    preset = EXAMPLES.get(args.preset)
    if preset is None:
        raise ExplainError(Phrase("cli.explain.no_preset", name=args.preset, names=", ".join(EXAMPLES)))
    if preset.kind != kind:
        raise ExplainError(Phrase("cli.explain.other_kind", name=args.preset, kind=preset.kind, prog=PROG))
    return preset


def build_conv(args: argparse.Namespace) -> ConvTrace:
    """The conv trace the arguments describe (a preset, overridden by any option given)."""
    preset = _preset(args, "conv")
    if preset is None and (args.input is None or args.kernel is None):
        raise ExplainError(Phrase("cli.explain.conv_needs"))
    base = preset.trace() if isinstance(preset, ConvExample) else None
    try:
        inputs = as_input(_matrix(args.input, "input", args.seed), "input") if args.input else base.input
        weights = (
            as_weights(_matrix(args.kernel, "kernel", args.seed + 1, (-1, 1)), "kernel") if args.kernel else base.weights
        )
        bias = parse_numbers(args.bias, "bias") if args.bias is not None else (base.bias if base is not None and args.kernel is None else None)
    except MatrixParseError as error:
        raise ExplainError(error) from None
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
        raise ExplainError(Phrase("cli.explain.pool_needs"))
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
        key = f"convpool.example.{name}"  # the Convolution and Pooling tabs' words for it
        description = tr(key) if key in catalogue() else preset.description
        print(f"{name:<{width}}  {preset.kind:<4}  {preset.section}: {description}")


def check_written_size(trace: ConvTrace | PoolTrace, as_json: bool) -> None:
    """Refuse a trace whose matrices would print more numbers than LIMITS.report_cells."""
    kernels = trace.weights.size if isinstance(trace, ConvTrace) else 0
    shown = trace.input if as_json else trace.padded
    cells = shown.size + kernels + trace.output.size
    if cells > LIMITS.report_cells:
        which = tr("cli.explain.which_input" if as_json else "cli.explain.which_padded")
        raise ExplainError(
            Phrase("cli.explain.too_many", which=which, shape=_shape(shown.shape), output=_shape(trace.output.shape),
                   cells=cells, limit=LIMITS.report_cells)
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
        line = tr("cli.explain.progress", prog=PROG, step=index + 1, total=self.total)
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
        print(f"{PROG}: {_said(error)}", file=sys.stderr)
        return 2
    steps = len(trace) if args.steps is None else min(args.steps, len(trace))
    progress = Progress(steps)
    try:
        (_write_json if args.json else _print_report)(trace, steps, progress)
    finally:
        progress.done()
    return 0
