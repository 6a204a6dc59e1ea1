"""Training throughput on real CIFAR-10: the lecture's loop against cnn-tui's `lecture` and `fast` recipes.

All three run in this one process, interleaved `--runs` times, each on the first `--images`
training images of an epoch (the lecture's loop is cut short after that many; cnn-tui trains on a
random subset of that size). Prints images/s (median), the implied seconds per 50,000-image epoch,
and the ratio to the lecture's loop. The lecture's loop needs the extracted image folder:

    mkdir -p data/cifar10-jpeg && for s in train test; do tar xzf ../shared/datasets/cifar10-jpeg/$s.tar.gz -C data/cifar10-jpeg; done
    python benchmarks/train_speed.py [--data data/cifar10-jpeg] [--images 12000] [--runs 3] [--threads N]

OpenMP threads wait passively (OMP_WAIT_POLICY=PASSIVE, as `cnn-tui train` sets it) for every loop
alike; run with OMP_WAIT_POLICY=ACTIVE in the environment to compare spinning threads.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before torch loads, as cnn-tui's commands do

import torch  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

import lecture_loop  # noqa: E402

from cnn_tui.config import RECIPES  # noqa: E402
from cnn_tui.ml.data import Normalization, load_dataset  # noqa: E402
from cnn_tui.ml.models import build_model  # noqa: E402
from cnn_tui.ml.train import train  # noqa: E402

EPOCH = 50_000
LOAD_BEFORE = f"{os.getloadavg()[0]:.1f}"


def lecture_loop_rate(dataset, images: int) -> float:
    torch.manual_seed(0)
    model = lecture_loop.ImageClassification()
    start = time.perf_counter()
    lecture_loop.train(model, dataset, epochs=1, max_images=images)
    return images / (time.perf_counter() - start)


def recipe_rate(data, recipe_name: str, batch_size: int | None) -> float:
    recipe = replace(RECIPES[recipe_name], epochs=1)
    if batch_size:
        recipe = replace(recipe, batch_size=batch_size)
    torch.manual_seed(0)
    norm = Normalization.of(data.train) if recipe.normalize else None
    result = train(build_model("lecture"), data, recipe, normalization=norm, device=torch.device("cpu"))
    return result.epochs[0].images_per_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("data/cifar10-jpeg"))
    parser.add_argument("--images", type=int, default=12_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--fast-batches", default="", help="extra batch sizes to try with the fast recipe, e.g. 128,512")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    if not (args.data / "train").is_dir():
        sys.exit(f"{args.data}/train not found: extract the CIFAR-10 tarballs there first (see the docstring)")
    folder, _ = lecture_loop.create_dataset(args.data)
    data = load_dataset(args.data, Path("data")).subset(train=args.images, test=1000)
    cases: list[tuple[str, object]] = [
        ("lecture's loop (ImageFolder + ToTensor + DataLoader, batch 8)", lambda: lecture_loop_rate(folder, args.images)),
        ("cnn-tui `lecture` recipe (in-memory, batch 8)", lambda: recipe_rate(data, "lecture", None)),
        (f"cnn-tui `fast` recipe (batch {RECIPES['fast'].batch_size}, flip+crop)", lambda: recipe_rate(data, "fast", None)),
    ]
    for size in filter(None, args.fast_batches.split(",")):
        cases.append((f"cnn-tui `fast` recipe, batch {size}", lambda s=int(size): recipe_rate(data, "fast", s)))
    rates: dict[str, list[float]] = {name: [] for name, _ in cases}
    for run in range(args.runs):
        for name, measure in cases:
            rates[name].append(measure())  # type: ignore[operator]
            print(f"run {run + 1}: {name}: {rates[name][-1]:,.0f} images/s", file=sys.stderr, flush=True)
    base = statistics.median(rates[cases[0][0]])
    print(
        f"\n{args.images:,} training images per measurement, median of {args.runs}, {torch.get_num_threads()} threads, "
        f"OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']}, load average before: {LOAD_BEFORE}, after: {os.getloadavg()[0]:.1f}\n"
    )
    print("| loop | images/s (median) | min–max | s per 50k-image epoch | × lecture's loop |")
    print("| --- | --- | --- | --- | --- |")
    for name, values in rates.items():
        rate = statistics.median(values)
        print(
            f"| {name} | {rate:,.0f} | {min(values):,.0f}–{max(values):,.0f} | {EPOCH / rate:.1f} | {rate / base:.1f}× |"
        )


if __name__ == "__main__":
    main()
