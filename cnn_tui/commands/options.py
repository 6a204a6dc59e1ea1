"""What `train`, `eval`, `predict` and `summary` share: data/device/thread options and one-line user errors."""

from __future__ import annotations

import argparse
import functools
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cnn_tui.config import LIMITS, TRAIN_DEFAULTS, Paths
from cnn_tui.core.photo_resize import DEFAULT_POLICY, POLICIES
from cnn_tui.i18n import tr
from cnn_tui.ml.gc_freeze import freeze_loaded_libraries
from cnn_tui.ml.memory_reuse import reuse_freed_memory
from cnn_tui.ml.photo_folder import DEFAULT_TEST_SHARE
from cnn_tui.ml.threads import SMALL_BATCH, apply_wait_policy, cpu_count, plan_for_run

class UserError(Exception):
    """A mistake the user can fix; printed as one line, exit status 2. `said` is a catalogue Phrase (or a
    LocalizedError), shown in the command line's language; `str()` is its English."""

    def __init__(self, said: object) -> None:
        super().__init__(str(said))
        self.said = said


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(tr("cli.option.not_whole", text=text)) from None
    if value < 1:
        raise argparse.ArgumentTypeError(tr("cli.option.at_least_1", text=text))
    return value


def number_in(
    low: float, high: float | None = None, *, whole: bool = False, above: bool = False, below: bool = False
) -> Callable[[str], Any]:
    """An argparse type for a finite number in [low, high] (`above`: low itself excluded, `below`: high
    excluded); the error says the range, so argparse prints usage and that sentence (exit 2)."""

    def wanted() -> str:  # in the language of the moment the error is made
        if high is None:
            return tr("cli.option.more_than" if above else "cli.option.at_least", low=_number(low))
        if above and below:
            return tr("cli.option.more_than_below", low=_number(low), high=_number(high))
        if above:
            return tr("cli.option.more_than_at_most", low=_number(low), high=_number(high))
        if below:
            return tr("cli.option.at_least_below", low=_number(low), high=_number(high))
        return tr("cli.option.from_to", low=_number(low), high=_number(high))

    def parse(text: str) -> Any:
        try:
            value: Any = int(text) if whole else float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(tr("cli.option.not_whole" if whole else "cli.option.not_number", text=text)) from None
        ok = math.isfinite(value) and (value > low if above else value >= low)
        if ok and high is not None:
            ok = value < high if below else value <= high
        if not ok:
            raise argparse.ArgumentTypeError(tr("cli.option.out_of_range", text=text, wanted=wanted()))
        return value

    parse.__name__ = "whole number" if whole else "number"  # argparse names the type in its messages
    return parse


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def epoch_count(text: str) -> int:
    """--epochs N: 1 … LIMITS.epochs."""
    return _bounded_int(text, LIMITS.epochs, tr("cli.option.limit_epochs"))


def batch_size(text: str) -> int:
    """--batch-size N: 1 … LIMITS.batch_size images."""
    return _bounded_int(text, LIMITS.batch_size, tr("cli.option.limit_images"))


def _bounded_int(text: str, high: int, what: str) -> int:
    value = positive_int(text)
    if value > high:
        raise argparse.ArgumentTypeError(tr("cli.option.over_limit", value=value, high=high, what=what))
    return value


def max_threads() -> int:
    """The most torch threads the commands accept: LIMITS.threads_per_core per core."""
    return LIMITS.threads_per_core * cpu_count()


def thread_count(text: str) -> int:
    """--threads N: 1 … max_threads(); more only makes every thread wait."""
    value = positive_int(text)
    if value > max_threads():
        raise argparse.ArgumentTypeError(
            tr("cli.option.too_many_threads", value=value, most=max_threads(), per_core=LIMITS.threads_per_core, cores=cpu_count())
        )
    return value


def add_data_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(tr("cli.option.data_group"))
    group.add_argument("--data", metavar="PATH|synthetic", help=tr("cli.option.data_help"))
    group.add_argument("--data-dir", type=Path, default=Paths().data_dir, metavar="DIR", help=tr("cli.option.data_dir_help"))
    group.add_argument("--train-limit", type=positive_int, metavar="N", help=tr("cli.option.train_limit"))
    group.add_argument("--test-limit", type=positive_int, metavar="N", help=tr("cli.option.test_limit"))
    group.add_argument("--no-cache", action="store_true", help=tr("cli.option.no_cache"))
    group.add_argument("--resize", choices=POLICIES, default=DEFAULT_POLICY, help=tr("cli.option.resize"))
    group.add_argument(
        "--test-share", type=number_in(0, 1, above=True, below=True), default=DEFAULT_TEST_SHARE, metavar="F",
        help=tr("cli.option.test_share"),
    )


def add_runtime_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(tr("cli.option.runtime_group"))
    group.add_argument(
        "--threads", type=thread_count, metavar="N",
        help=tr("cli.option.threads", most=max_threads(), small=SMALL_BATCH, cores=cpu_count()),
    )
    group.add_argument(
        "--device", choices=("auto", "cpu", "cuda"), default=TRAIN_DEFAULTS.device,
        help=tr("cli.option.device"),
    )


def add_checkpoint_argument(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument(
        "--checkpoint", type=Path, default=TRAIN_DEFAULTS.checkpoint, metavar="PATH",
        help=tr("cli.option.checkpoint", what=help_text),
    )


def setup_torch(args: argparse.Namespace, batch_size: int = 1000) -> Any:
    """Choose threads and OpenMP waiting for `batch_size` (cnn_tui.ml.threads), keep freed memory for reuse
    (cnn_tui.ml.memory_reuse), then import torch (and freeze its objects for the garbage collector,
    cnn_tui.ml.gc_freeze), set the thread count and pick the device; returns the torch.device. Call it before anything imports torch:
    OpenMP reads its waiting policy once, when torch loads. The plan is kept as `args.thread_plan`."""
    device_name = args.device
    if device_name == "auto":
        device_name = "cuda" if _cuda_likely() else "cpu"
    plan = plan_for_run(batch_size, requested=args.threads, device=device_name)
    apply_wait_policy(plan)
    args.thread_plan = plan
    reuse_freed_memory()  # batches reuse freed memory instead of faulting in new pages (cnn_tui.ml.memory_reuse)
    import torch

    from cnn_tui.ml.train import pick_device

    freeze_loaded_libraries()  # full garbage collections no longer walk torch's objects (cnn_tui.ml.gc_freeze)

    torch.set_num_threads(plan.threads)
    return pick_device(args.device)


def _cuda_likely() -> bool:
    """Whether an NVIDIA GPU is visible, without importing torch (which would fix the OpenMP settings)."""
    return os.path.exists("/proc/driver/nvidia/gpus") and any(os.scandir("/proc/driver/nvidia/gpus"))


def status_line(message: str) -> None:
    """Progress notes (decoding, caching) go to stderr, so piped stdout holds only results; they quote file names, so
    control characters are shown escaped."""
    from cnn_tui.render.safe_text import safe_text

    print(safe_text(message), file=sys.stderr, flush=True)


def load_data(args: argparse.Namespace, source: str | None = None, side: int = 32, meta: Any = None) -> Any:
    """The data set the options name (a cnn_tui.ml.data.Dataset); photos are prepared for a network taking
    `side`×`side` images, by --resize and --test-share, or as checkpoint metadata `meta` records."""
    from cnn_tui.ml.data import load_dataset, resolve_source
    from cnn_tui.ml.photo_reader import PhotoOptions

    photos = PhotoOptions(side, getattr(args, "resize", DEFAULT_POLICY), getattr(args, "test_share", DEFAULT_TEST_SHARE))
    if meta is not None:
        photos = PhotoOptions.recorded(meta, photos)

    chosen = source if source is not None else args.data
    if resolve_source(chosen, args.data_dir).kind == "download":
        from cnn_tui.commands.download_bar import download_with_bar
        from cnn_tui.ml.data_home import find_data_home

        download_with_bar(find_data_home(args.data_dir).root)
    data = load_dataset(
        source if source is not None else args.data,
        args.data_dir,
        cache=not args.no_cache,
        status=status_line,
        photos=photos,
    )
    return data.subset(args.train_limit, args.test_limit)


def _user_error_types() -> tuple[type[Exception], ...]:
    """The errors a user can cause; imported only once something failed (they import torch, which
    must load after `setup_torch` has chosen the OpenMP settings)."""
    from cnn_tui.ml.checkpoints import CheckpointError
    from cnn_tui.ml.data import DataSourceError
    from cnn_tui.ml.models import ModelConfigError
    from cnn_tui.ml.train import RecipeError

    return (UserError, DataSourceError, CheckpointError, ModelConfigError, RecipeError)


def user_errors(prog: str) -> Callable[[Callable[[argparse.Namespace], int]], Callable[[argparse.Namespace], int]]:
    """Turn the errors a user can cause into one line on stderr and exit status 2."""

    def wrap(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        @functools.wraps(run)
        def guarded(args: argparse.Namespace) -> int:
            try:
                return run(args)
            except Exception as error:
                from cnn_tui.ml.torch_errors import explain_torch_error

                if isinstance(error, UserError):
                    said = error.said
                else:
                    said = error if isinstance(error, _user_error_types()) else explain_torch_error(error)
                if said is None:
                    raise
                from cnn_tui.render.safe_said import safe_said

                print(f"{prog}: {safe_said(said)}", file=sys.stderr)  # it may quote file names and class names
                return 2

        return guarded

    return wrap
