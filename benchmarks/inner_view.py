"""What the Training tab's inner-numbers view (`v`) costs a run: its histogram snapshots, and its read at each epoch's end.

Between batches the view takes at most one snapshot every 2 s of training (`InnerWatch.batch`: each weight
layer's norms and 32-bin histograms of weights and gradients); at an epoch's end one more, with
`InnerNumbers.read` on a 64-image probe (`InnerWatch.epoch`). Compared with a training step of 256 images
(CIFAR-10: 196 per epoch): the snapshots' share is snapshot time / 2 s, the epoch read's is read time /
(196 × step time).

    python benchmarks/inner_view.py [--runs 5] [--threads 2]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
STEPS_PER_EPOCH = 196  # CIFAR-10: 50,000 images in batches of 256


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--models", nargs="+", default=["lecture", "wide_bn", "resnet"])
    args = parser.parse_args()

    import torch

    from benchmarks.inner_numbers import training_step
    from benchmarks.top_patches import timed  # median of runs after one warm-up
    from cnn_tui.ml.inner_histograms import PROBE_IMAGES, InnerWatch, snapshot

    torch.set_num_threads(args.threads)
    print(f"{args.threads} torch threads; median of {args.runs}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("| model | snapshot (ms) | share at one per 2 s | epoch-end read (ms) | training step of 256 (ms) | share of a CIFAR-10 epoch |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name in args.models:
        model, batch, step = training_step(name)  # the same step as benchmarks/inner_numbers.py
        watch = InnerWatch(model, batch[:PROBE_IMAGES])
        step_time = timed(step, args.runs)
        snap_time = timed(lambda: snapshot(model, 1, 1), args.runs)
        read_time = timed(lambda: watch.epoch(1), args.runs)
        print(
            f"| {name} | {snap_time * 1000:.1f} | {snap_time / 2:.2%} | {read_time * 1000:.1f} | {step_time * 1000:.1f} "
            f"| {read_time / (STEPS_PER_EPOCH * step_time):.2%} |"
        )


if __name__ == "__main__":
    main()
