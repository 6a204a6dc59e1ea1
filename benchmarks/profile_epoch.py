"""Where a training epoch of the lecture's network with `--recipe fast` goes: torch.profiler, grouped by part.

Trains `--images` CIFAR-10 images (from the decode cache; `--data synthetic` works offline) with the
`fast` recipe through `cnn_tui.ml.train.train` on one thread (so the numbers are CPU time of one core
and hardly depend on other work), once untimed to warm up, then under torch.profiler. Prints one
table: the self CPU time of every aten operator, grouped into forward/backward per layer kind,
pooling, the optimiser, augmentation and input conversion, and the rest (Python and autograd
overhead = process CPU time minus the operators). On loaded cores the profiler's per-operator clock
also counts time the thread waited for a core, so the operator times are then scaled down to the
process's CPU time (shares stay right; overhead cannot be separated). `--lecture-order` also profiles the lecture's
order (ReLU before pooling) for comparison.

    python benchmarks/profile_epoch.py                 # 10,240 images: ~1 min
    python benchmarks/profile_epoch.py --quick         # 2,560 images: ~20 s
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import torch  # noqa: E402
from torch.profiler import ProfilerActivity, profile  # noqa: E402

from cnn_tui.config import RECIPES  # noqa: E402
from cnn_tui.ml.data import Normalization, load_dataset  # noqa: E402
from cnn_tui.ml.models import build_model  # noqa: E402
from cnn_tui.ml.train import train  # noqa: E402

GROUPS = (
    ("convolution, backward", ("convolution_backward",)),
    ("convolution, forward", ("mkldnn_convolution", "_convolution", "convolution", "conv2d")),
    ("max pooling, backward", ("max_pool2d_with_indices_backward",)),
    ("max pooling, forward", ("max_pool2d",)),
    ("ReLU, forward and backward", ("relu", "clamp_min", "threshold_backward")),
    ("linear layers (mm, addmm)", ("addmm", "aten::mm", "aten::t", "linear")),
    ("loss", ("cross_entropy", "log_softmax", "nll_loss", "_log_softmax")),
    ("optimiser (fused SGD), zero_grad", ("sgd", "_fused", "zero_", "fill_")),
    ("augmentation (flip + shift: pixel index, index_select)", ("reflection_pad", "gather", "randint", "rand", "index", "where", "arange", "abs")),
    ("input: uint8 → float, normalise, layout", ("addcmul", "_to_copy", "copy_", "contiguous", "div_", "mul_")),
)


OVERHEAD = "Python, autograd engine and the profiler itself (CPU − operators; 0 when rescaled)"


def group_of(name: str) -> str:
    for label, keys in GROUPS:
        if any(key in name for key in keys):
            return label
    return "other operators (sum, argmax, accumulate, views …)"


def profile_once(data, recipe, norm, lecture_order: bool) -> tuple[dict[str, float], float, float]:
    model = build_model("lecture")
    if lecture_order:
        model.pool_first = False
    torch.manual_seed(0)
    cpu = time.process_time()
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        result = train(model, data, recipe, normalization=norm, device=torch.device("cpu"))
    cpu = time.process_time() - cpu
    groups: dict[str, float] = defaultdict(float)
    for event in prof.key_averages():
        if event.key.startswith("aten::") or event.key.startswith("Optimizer"):
            groups[group_of(event.key)] += event.self_cpu_time_total / 1e6
    return groups, cpu, result.epochs[0].seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(REPO / "data" / "cifar10-jpeg"))
    parser.add_argument("--images", type=int, default=None, help="training images (default 10,240; --quick 2,560)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--lecture-order", action="store_true", help="also profile ReLU before pooling (the lecture's order)")
    args = parser.parse_args()
    images = args.images or (2_560 if args.quick else 10_240)
    torch.set_num_threads(1)
    data = load_dataset(args.data, REPO / "data").subset(train=images, test=500)
    recipe = replace(RECIPES["fast"], epochs=1, min_steps=0)
    norm = Normalization.of(data.train)
    train(build_model("lecture"), data, recipe, normalization=norm, device=torch.device("cpu"))  # warm-up
    variants = [("cnn-tui (pool, then ReLU)", False)] + ([("lecture's order (ReLU, then pool)", True)] if args.lecture_order else [])
    columns = []
    for name, order in variants:
        groups, cpu, seconds = profile_once(data, recipe, norm, order)
        operators = sum(groups.values())
        if operators > cpu:  # on loaded cores the profiler's clock counts time the thread was preempted: rescale
            groups = {k: v * cpu / operators for k, v in groups.items()}
        groups[OVERHEAD] = max(0.0, cpu - sum(groups.values()))
        columns.append((name, groups, cpu, seconds))
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = float("nan")
    print(f"\n`fast` recipe, {images:,} images, batch {recipe.batch_size}, 1 thread, profiled; CPU: "
          f"{torch.backends.cpu.get_cpu_capability()}; load average {load:.1f} "
          f"({'LOADED' if load >= 1 else 'quiet'} cores; CPU time hardly depends on it)\n")
    print("| part | " + " | ".join(f"{name}: CPU s per 50k epoch | share" for name, *_ in columns) + " |")
    print("| --- |" + " --- | --- |" * len(columns))
    labels = [label for label, _ in GROUPS] + ["other operators (sum, argmax, accumulate, views …)", OVERHEAD]
    scale = 50_000 / images
    for label in labels:
        cells = []
        for _, groups, cpu, _ in columns:
            cells.append(f"{groups.get(label, 0.0) * scale:.2f} | {groups.get(label, 0.0) / cpu:.0%}")
        print(f"| {label} | " + " | ".join(cells) + " |")
    print("| **total CPU (profiled)** | " + " | ".join(f"**{cpu * scale:.2f}** | 100%" for _, _, cpu, _ in columns) + " |")


if __name__ == "__main__":
    main()
