"""`cnn-tui top-patches` on the 10,000 CIFAR-10 test images: the pass, its cache, and the whole network as a baseline.

The lecture's network (fresh weights, seed 0: the time does not depend on what it learned) and
the real test JPEGs, decoded once from `test.tar.gz` (only the test split: the command itself reads
them from cnn-tui's decode cache). Timed, median of --runs after one warm-up, with --threads torch
threads:
  pass       `layer_maxima`: one batched inference pass that stops at the layer (batch 1000)
  full net   the same batches through the whole network with a hook on the layer (the plain way)
  cache key  SHA-256 of the checkpoint and of the 30 MB of test images
  cached     reading the kept maxima and picking channel 0's top 9 with their boxes
Target (issue 25): ≤ 5 s for the lecture's network on 2 cores.

    python benchmarks/top_patches.py [--data ../shared/datasets/cifar10-jpeg] [--runs 3] [--threads 2] [--layers conv1 conv2 pool2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def test_images(data: Path):  # noqa: ANN201
    """The test split's uint8 images (N, 3, 32, 32), decoded from test.tar.gz (sources' own reader and decoder)."""
    from cnn_tui.ml.sources import _read_tar, decode_all

    items, class_names = _read_tar(data / "test.tar.gz")
    names = sorted(set(class_names))
    return decode_all(items, [names.index(n) for n in class_names], str(data)).images


def timed(function, runs: int) -> float:  # noqa: ANN001
    function()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    shared = [base / "shared" / "datasets" / "cifar10-jpeg" for base in (ROOT.parent, ROOT.parent.parent)]
    parser.add_argument("--data", type=Path, default=next((p for p in shared if p.exists()), shared[0]))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--layers", nargs="+", default=["conv1", "conv2", "pool2"])
    args = parser.parse_args()

    import torch

    from cnn_tui.ml.checkpoints import CheckpointMeta, save_checkpoint
    from cnn_tui.ml.data import CIFAR10_CLASSES, Normalization
    from cnn_tui.ml.dataset import to_float
    from cnn_tui.ml.models import LECTURE, build_model
    from cnn_tui.ml.receptive_field import geometry_chain
    from cnn_tui.ml.top_patches import cache_path, layer_maxima, read_cached, top_patches, write_cached

    torch.set_num_threads(args.threads)
    started = time.perf_counter()
    images = test_images(args.data)
    decode = time.perf_counter() - started
    torch.manual_seed(0)
    model = build_model(LECTURE).eval()
    norm = Normalization((0.49, 0.48, 0.45), (0.25, 0.24, 0.26))
    folder = Path(tempfile.mkdtemp(prefix="top-patches-bench-"))
    checkpoint = folder / "lecture.pth"
    save_checkpoint(checkpoint, model, CheckpointMeta(LECTURE, CIFAR10_CLASSES, norm, None, epoch=1))
    chain = geometry_chain(model)

    def full_net(layer: str) -> None:
        module = dict(model.named_modules())[layer]
        kept = []
        handle = module.register_forward_hook(lambda _m, _i, out: kept.append(out.flatten(2).max(dim=2)))
        try:
            with torch.inference_mode():
                for start in range(0, len(images), 1000):
                    model(to_float(images[start : start + 1000], norm))
        finally:
            handle.remove()

    load = os.getloadavg()[0]
    print(f"{len(images):,} test images from {args.data} (decoded once in {decode:.1f} s); lecture network; "
          f"{args.threads} torch threads; median of {args.runs}; load average {load:.1f} on {os.cpu_count()} cores")
    print("| layer | pass (s) | full net (s) | cache key (s) | cached: top 9 (ms) |")
    print("| --- | --- | --- | --- | --- |")
    for layer in args.layers:
        passing = timed(lambda layer=layer: layer_maxima(model, images, layer, normalization=norm), args.runs)
        whole = timed(lambda layer=layer: full_net(layer), args.runs)
        key = timed(lambda layer=layer: cache_path(folder, checkpoint, images, layer), args.runs)
        path = cache_path(folder, checkpoint, images, layer)
        write_cached(path, layer_maxima(model, images, layer, normalization=norm))
        cached = timed(lambda path=path, layer=layer: top_patches(read_cached(path), chain, layer, 0, 9), args.runs)
        print(f"| {layer} | {passing:.2f} | {whole:.2f} | {key:.2f} | {cached * 1000:.1f} |")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
