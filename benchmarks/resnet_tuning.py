"""The search behind the `resnet` preset and recipe: accuracy after a few epochs against CPU time, on real CIFAR-10.

Each grid entry trains from scratch through `prepare_run` / `run_training` (what `cnn-tui train`
calls) with the same seed, in its own process on one torch thread, and reports the final test
accuracy with the CPU seconds it cost. CPU seconds of a one-thread process hardly depend on
what else runs on the machine, unlike wall time on shared cores, so variants can be compared
while other work is running; `--jobs N` runs N entries at once. Variants of the stem are
defined here (the preset keeps only the winner):

- `pooled3`: a 3×3 stem at full resolution, max-pooled, residual blocks in every stage;
- `patch2`: a 2×2 stride-2 stem, no residual blocks in the last stage;
- `resnet`: the preset, a 4×4 stride-2 stem (overlapping patches), no residual blocks in the last stage.

`--rates` prints the CPU milliseconds per training image of each variant (batch 256, fp32 and bf16).

    python benchmarks/resnet_tuning.py --data ../shared/datasets/cifar10-jpeg --grid stems --jobs 2
    python benchmarks/resnet_tuning.py --grid recipe --jobs 2
    python benchmarks/resnet_tuning.py --rates
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import torch
from torch import nn

from cnn_tui.config import RECIPES
from cnn_tui.ml.models import LECTURE, RESNET, build_model
from cnn_tui.ml.resnet import ConvUnit, ResidualBlock, ResidualNet
from cnn_tui.ml.summary import summarize

SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "cifar10-jpeg"


class Pooled3(ResidualNet):
    """A 3×3 stem at 32×32 followed by max pooling; residual blocks in every stage (the first design)."""

    def __init__(self) -> None:
        super().__init__(RESNET)
        self.stem = ConvUnit(RESNET, 3, RESNET.conv_channels[0], pool=True)
        width = RESNET.conv_channels[-1]
        self.stages[-1] = nn.Sequential(*self.stages[-1], *[ResidualBlock(RESNET, width) for _ in range(RESNET.depth)])


class Patch2(ResidualNet):
    """A 2×2 stride-2 stem (non-overlapping patches)."""

    def __init__(self) -> None:
        super().__init__(RESNET)
        self.stem.conv = nn.Conv2d(3, RESNET.conv_channels[0], kernel_size=2, stride=2, bias=False)


VARIANTS: dict[str, Callable[[], nn.Module]] = {
    "pooled3": Pooled3,
    "patch2": Patch2,
    "resnet": lambda: build_model(RESNET),
    "lecture": lambda: build_model(LECTURE),
}
# label -> (variant, epochs, recipe changes on top of the resnet recipe)
GRIDS: dict[str, dict[str, tuple[str, int, dict]]] = {
    "stems": {
        "pooled3, 4 epochs": ("pooled3", 4, {}),
        "patch2, 4 epochs": ("patch2", 4, {}),
        "patch2, 6 epochs": ("patch2", 6, {}),
        "resnet, 6 epochs": ("resnet", 6, {}),
    },
    "recipe": {
        "resnet, 6 epochs, lr 0.8": ("resnet", 6, {"lr": 0.8}),
        "resnet, 6 epochs, batch 256": ("resnet", 6, {"batch_size": 256}),
    },
    "recipe2": {
        "resnet, 6 epochs, lr 1.2": ("resnet", 6, {"lr": 1.2}),
        "resnet, 6 epochs, batch 256, lr 0.8": ("resnet", 6, {"batch_size": 256, "lr": 0.8}),
    },
}

_DATA = None


def _load(source: str) -> None:
    """Pool initializer: one torch thread, the data set from the decode cache."""
    global _DATA
    from cnn_tui.ml.data import load_dataset

    torch.set_num_threads(1)
    _DATA = load_dataset(source)


def _run(entry: tuple[str, str, int, dict]) -> str:
    from cnn_tui.ml.session import prepare_run, run_training
    from cnn_tui.ml.train import pick_device

    label, variant, epochs, changes = entry
    recipe = replace(RECIPES["resnet"], epochs=epochs, **changes)
    run = prepare_run(_DATA, RESNET, recipe, checkpoint=None, record=False)
    torch.manual_seed(recipe.seed)
    run.model = VARIANTS[variant]()
    macs = summarize(run.model).mult_adds
    cpu, wall = time.process_time(), time.perf_counter()
    result = run_training(_DATA, run, device=pick_device("auto"))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    accs = " ".join(f"{e.test_accuracy:.3f}" for e in result.epochs)
    line = f"| {label} | {macs / 1e6:.1f}M | {accs} | **{result.last.test_accuracy:.4f}** | {cpu:.0f} | {wall:.0f} |"
    print(line, file=sys.stderr, flush=True)
    return line


def rates(batch: int = 256, steps: int = 3) -> None:
    """CPU milliseconds per training image (one thread, so the number holds on a shared machine)."""
    torch.set_num_threads(1)
    print(f"\nCPU time per training image, batch {batch}, 1 torch thread, median of {steps} steps\n")
    print("| variant | mult-adds | fp32 ms/image | bf16 ms/image |")
    print("| --- | --- | --- | --- |")
    for name, factory in VARIANTS.items():
        cells = []
        for precision in ("fp32", "bf16"):
            torch.manual_seed(0)
            model = factory().to(memory_format=torch.channels_last)
            macs = summarize(model).mult_adds
            opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
            x = torch.randn(batch, 3, 32, 32).contiguous(memory_format=torch.channels_last)
            y = torch.randint(0, 10, (batch,))
            times = []
            for i in range(steps + 1):
                start = time.process_time()
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == "bf16"):
                    loss = nn.functional.cross_entropy(model(x), y)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if i:
                    times.append(time.process_time() - start)
            cells.append(f"{sorted(times)[len(times) // 2] / batch * 1000:.2f}")
        print(f"| {name} | {macs / 1e6:.1f}M | {cells[0]} | {cells[1]} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(SHARED if SHARED.exists() else Path("data/cifar10-jpeg")))
    parser.add_argument("--grid", choices=tuple(GRIDS), default="stems")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--rates", action="store_true", help="only the CPU time per training image of each variant")
    args = parser.parse_args()
    if args.rates:
        rates()
        return
    _load(args.data)  # decodes once and fills the cache that the workers read
    entries = [(label, *spec) for label, spec in GRIDS[args.grid].items()]
    with multiprocessing.get_context("spawn").Pool(max(1, args.jobs), initializer=_load, initargs=(args.data,)) as pool:
        rows = pool.map(_run, entries, chunksize=1)
    print(f"\n{len(_DATA.train):,} training images, recipe resnet (seed 0), 1 torch thread per run\n")
    print("| run | mult-adds | test accuracy per epoch | final | CPU s | wall s |")
    print("| --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
