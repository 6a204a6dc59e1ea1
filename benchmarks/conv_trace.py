"""Speed of the step engine: full output and step objects, beside torch on the same data.

A 3×64×64 input with 8 kernels of 3×3 (padding 1), and 2×2 max/avg pooling of the same input:
the vectorised output, and the first 1,000 step objects, each the median of N runs, next to
`torch.nn.functional.conv2d` / `max_pool2d` / `avg_pool2d` (float64 and float32, one thread)
run in the same process. Targets (issue 4): output ≤ 5 ms, each step object ≤ 20 µs.

    python benchmarks/conv_trace.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np

from cnn_tui.core.conv_trace import ConvTrace
from cnn_tui.core.pool_trace import PoolTrace

STEPS = 1000


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 64, 64))
    w = rng.normal(size=(8, 3, 3, 3))
    b = rng.normal(size=8)
    x64, w64, b64 = torch.tensor(x)[None], torch.tensor(w), torch.tensor(b)
    x32, w32, b32 = x64.float(), w64.float(), b64.float()
    runs = args.runs

    rows: list[tuple[str, float, str]] = []
    conv = ConvTrace(x, w, b, padding=1)
    torch64 = median_seconds(lambda: F.conv2d(x64, w64, b64, padding=1), runs)
    torch32 = median_seconds(lambda: F.conv2d(x32, w32, b32, padding=1), runs)
    engine = median_seconds(lambda: ConvTrace(x, w, b, padding=1), runs)
    steps = median_seconds(lambda: [conv.step(i) for i in range(STEPS)], runs)
    rows += [
        ("torch F.conv2d float64 (baseline)", torch64 * 1e3, "1.00×"),
        ("torch F.conv2d float32", torch32 * 1e3, f"{torch32 / torch64:.2f}×"),
        ("ConvTrace: check + pad + full output", engine * 1e3, f"{engine / torch64:.2f}×"),
        (f"ConvTrace: first {STEPS} steps, per step (µs)", steps / STEPS * 1e6, ""),
    ]
    for mode, fn in (("max", F.max_pool2d), ("avg", F.avg_pool2d)):
        pool = PoolTrace(x, mode, 2)
        base = median_seconds(lambda: fn(x64, 2), runs)
        engine = median_seconds(lambda: PoolTrace(x, mode, 2), runs)
        steps = median_seconds(lambda: [pool.step(i) for i in range(STEPS)], runs)
        rows += [
            (f"torch F.{mode}_pool2d float64 (baseline)", base * 1e3, "1.00×"),
            (f"PoolTrace {mode}: check + pad + full output", engine * 1e3, f"{engine / base:.2f}×"),
            (f"PoolTrace {mode}: first {STEPS} steps, per step (µs)", steps / STEPS * 1e6, ""),
        ]
    assert np.allclose(conv.output, F.conv2d(x64, w64, b64, padding=1)[0].numpy())

    print(f"3×64×64 input, 8 kernels 3×3 padding 1 / 2×2 pooling; median of {runs} runs\n")
    print("| what | ms (or µs per step) | ratio to torch float64 |")
    print("| --- | --- | --- |")
    for name, value, ratio in rows:
        unit = "µs" if "per step" in name else "ms"
        print(f"| {name} | {value:.3f} {unit} | {ratio} |")


if __name__ == "__main__":
    main()
