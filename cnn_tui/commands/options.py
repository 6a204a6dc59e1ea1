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
from cnn_tui.ml.gc_freeze import freeze_loaded_libraries
from cnn_tui.ml.memory_reuse import reuse_freed_memory
from cnn_tui.ml.threads import SMALL_BATCH, apply_wait_policy, cpu_count, plan_for_run

DATA_HELP = (
    "where the images come from: 'synthetic' (built in, offline), a cifar-10-batches-py folder, "
    "an image-folder tree with train/<class>/* and test/<class>/*, or a folder holding train.tar.gz and "
    "test.tar.gz (default: the data set in the data home, see --data-dir; CIFAR-10 is downloaded there when missing)"
)
DATA_DIR_HELP = (
    "the data home: downloaded and imported data sets and their decoded cache (default: $CNN_TUI_DATA, else ./data "
    "when it holds a data set, else $XDG_DATA_HOME/cnn-tui or ~/.local/share/cnn-tui with the cache in "
    "~/.cache/cnn-tui; `cnn-tui data status` shows which)"
)


class UserError(Exception):
    """A mistake the user can fix; printed as one line, exit status 2."""


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def number_in(
    low: float, high: float | None = None, *, whole: bool = False, above: bool = False, below: bool = False
) -> Callable[[str], Any]:
    """An argparse type for a finite number in [low, high] (`above`: low itself excluded, `below`: high
    excluded); the error says the range, so argparse prints usage and that sentence (exit 2)."""
    lower = f"more than {_number(low)}" if above else f"at least {_number(low)}"
    if high is None:
        wanted = lower
    elif above or below:
        wanted = f"{lower} and {'less than' if below else 'at most'} {_number(high)}"
    else:
        wanted = f"from {_number(low)} to {_number(high)}"

    def parse(text: str) -> Any:
        try:
            value: Any = int(text) if whole else float(text)
        except ValueError:
            kind = "a whole number" if whole else "a number"
            raise argparse.ArgumentTypeError(f"{text!r} is not {kind}") from None
        ok = math.isfinite(value) and (value > low if above else value >= low)
        if ok and high is not None:
            ok = value < high if below else value <= high
        if not ok:
            raise argparse.ArgumentTypeError(f"{text} is out of range: it must be {wanted}")
        return value

    parse.__name__ = "whole number" if whole else "number"  # argparse names the type in its messages
    return parse


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def epoch_count(text: str) -> int:
    """--epochs N: 1 … LIMITS.epochs."""
    return _bounded_int(text, LIMITS.epochs, "epochs")


def batch_size(text: str) -> int:
    """--batch-size N: 1 … LIMITS.batch_size images."""
    return _bounded_int(text, LIMITS.batch_size, "images per batch")


def _bounded_int(text: str, high: int, what: str) -> int:
    value = positive_int(text)
    if value > high:
        raise argparse.ArgumentTypeError(f"{value:,} is more than the limit of {high:,} {what}")
    return value


def max_threads() -> int:
    """The most torch threads the commands accept: LIMITS.threads_per_core per core."""
    return LIMITS.threads_per_core * cpu_count()


def thread_count(text: str) -> int:
    """--threads N: 1 … max_threads(); more only makes every thread wait."""
    value = positive_int(text)
    if value > max_threads():
        raise argparse.ArgumentTypeError(
            f"{value} threads is more than {max_threads()} ({LIMITS.threads_per_core} per core on these "
            f"{cpu_count()} cores): more threads than that only wait for each other"
        )
    return value


def add_data_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("data")
    group.add_argument("--data", metavar="PATH|synthetic", help=DATA_HELP)
    group.add_argument("--data-dir", type=Path, default=Paths().data_dir, metavar="DIR", help=DATA_DIR_HELP)
    group.add_argument("--train-limit", type=positive_int, metavar="N", help="use N random training images (default: all)")
    group.add_argument("--test-limit", type=positive_int, metavar="N", help="use N random test images (default: all)")
    group.add_argument("--no-cache", action="store_true", help="decode the images again instead of using the cache")


def add_runtime_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("runtime")
    group.add_argument(
        "--threads", type=thread_count, metavar="N",
        help=f"CPU threads for torch, 1 to {max_threads()} (default: chosen for the batch size and the machine's load: "
        f"one thread for batches under {SMALL_BATCH} or on busy cores, else every core, here {cpu_count()}; the header line says why)",
    )
    group.add_argument(
        "--device", choices=("auto", "cpu", "cuda"), default=TRAIN_DEFAULTS.device,
        help="auto uses CUDA when present (default: %(default)s)",
    )


def add_checkpoint_argument(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument(
        "--checkpoint", type=Path, default=TRAIN_DEFAULTS.checkpoint, metavar="PATH",
        help=f"{help_text} (default: %(default)s, relative to the working folder; recorded runs go in runs/ beside it)",
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
    """Progress notes (decoding, caching) go to stderr, so piped stdout holds only results."""
    print(message, file=sys.stderr, flush=True)


def load_data(args: argparse.Namespace, source: str | None = None) -> Any:
    """The data set the options name (a cnn_tui.ml.data.Dataset)."""
    from cnn_tui.ml.data import load_dataset, resolve_source

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

                said = error if isinstance(error, _user_error_types()) else explain_torch_error(error)
                if said is None:
                    raise
                from cnn_tui.render.safe_said import safe_said

                print(f"{prog}: {safe_said(said)}", file=sys.stderr)  # it may quote file names and class names
                return 2

        return guarded

    return wrap
