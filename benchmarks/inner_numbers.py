"""What recording training's inner numbers costs: one `InnerNumbers.read` per epoch, for each preset.

A read takes every weight layer's norms and change and sends a probe batch of 256 images through
the network once (dead ReLUs); it happens once per epoch, after the epoch's last batch. Compared
here with one training step of a 256-image batch (forward, backward, optimiser), so the share of
an epoch is read time / (steps per epoch × step time): CIFAR-10 has 196 steps of 256 per epoch.

    python benchmarks/inner_numbers.py [--runs 5] [--threads 2]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
STEPS_PER_EPOCH = 196  # CIFAR-10: 50,000 images in batches of 256


def training_step(name: str) -> tuple:
    """The preset `name` (seed 0), a random batch of 256 and one SGD training step on it, as a callable."""
    import torch
    from torch import nn

    from cnn_tui.ml.models import build_model

    torch.manual_seed(0)
    model = build_model(name)
    batch = torch.rand(256, 3, 32, 32)
    labels = torch.randint(0, 10, (256,))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

    def step() -> None:
        model.train()
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(batch), labels).backward()
        optimizer.step()

    return model, batch, step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--models", nargs="+", default=["lecture", "wide_bn", "resnet"])
    args = parser.parse_args()

    import torch

    from benchmarks.top_patches import timed  # median of runs after one warm-up
    from cnn_tui.ml.inner_numbers import InnerNumbers

    torch.set_num_threads(args.threads)
    print(f"{args.threads} torch threads; median of {args.runs}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("| model | read (ms) | training step of 256 (ms) | share of a CIFAR-10 epoch |")
    print("| --- | --- | --- | --- |")
    for name in args.models:
        model, batch, step = training_step(name)
        numbers = InnerNumbers(model, batch)
        step_time = timed(step, args.runs)
        read_time = timed(lambda: numbers.read(model), args.runs)
        share = read_time / (STEPS_PER_EPOCH * step_time)
        print(f"| {name} | {read_time * 1000:.1f} | {step_time * 1000:.1f} | {share:.2%} |")


if __name__ == "__main__":
    main()
