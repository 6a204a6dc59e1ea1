"""Own photos: decode + resize throughput, peak memory and the cached second start (issue 23).

    python benchmarks/own_photos.py --big 24 --small 300 --many 600

Generates JPEGs in a temporary folder: `--big` 12-megapixel (4000×3000) and `--small` 0.3-megapixel
(640×480) photos in two class folders. For each size it times `cnn_tui.ml.photo_reader.read_photos`
(parallel threads, JPEG draft decoding, the default shorter-side-then-centre-crop policy to 32×32)
against the loop a learner would write, `Image.open(p).convert("RGB").resize((32, 32))` over the same
files, run in its own process in its default environment. Peak memory: a fresh process reads `--many`
phone-sized photos (hard links to the 12-megapixel files under other names, so each is decoded again)
and reports its resident size after the imports and its peak while reading (VmHWM, reset after the
imports through /proc/self/clear_refs). Second start: `load_dataset` on
the small folder twice with a cache; the second call reads the cache only.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
LEARNER_LOOP = """
import sys, time
from pathlib import Path
from PIL import Image
paths = sorted(p for p in Path(sys.argv[1]).rglob("*.jpg"))
start = time.perf_counter()
for p in paths:
    Image.open(p).convert("RGB").resize((32, 32))
print(len(paths) / (time.perf_counter() - start))
"""
PEAK = """
import sys
from pathlib import Path
from cnn_tui.ml.photo_reader import read_photos
import torch  # noqa: F401 - loaded before the baseline, as in a run

def status(field):
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith(field)) / 1024

resident = status("VmRSS:")
with open("/proc/self/clear_refs", "w") as handle:
    handle.write("5")  # the peak (VmHWM) starts again from here: the imports' own peak is not counted
if sys.argv[2] == "read":
    raw, report = read_photos(Path(sys.argv[1]))
print(resident, status("VmHWM:"))
"""


def write_photos(folder: Path, count: int, size: tuple[int, int], seed: int) -> None:
    """`count` JPEGs of `size` in folder/a and folder/b: smooth colour fields with noise (photo-like file sizes)."""
    rng = np.random.default_rng(seed)
    width, height = size
    for i in range(count):
        small = rng.integers(0, 256, size=(height // 50 + 1, width // 50 + 1, 3), dtype=np.uint8)
        image = Image.fromarray(small).resize((width, height), Image.Resampling.BILINEAR)
        noise = rng.integers(-12, 13, size=(height, width, 3), dtype=np.int16)
        pixels = np.clip(np.asarray(image, dtype=np.int16) + noise, 0, 255).astype(np.uint8)
        target = folder / ("a" if i % 2 else "b")
        target.mkdir(parents=True, exist_ok=True)
        Image.fromarray(pixels).save(target / f"{i:05d}.jpg", quality=90)


def ours(folder: Path) -> float:
    from cnn_tui.ml.photo_reader import read_photos

    start = time.perf_counter()
    raw, report = read_photos(folder)
    return report.photos / (time.perf_counter() - start)


def learner(folder: Path) -> float:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([sys.executable, "-c", LEARNER_LOOP, str(folder)], capture_output=True, text=True, env=env, check=True)
    return float(out.stdout)


def peak(folder: Path, mode: str) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(PEAK), str(folder), mode], capture_output=True, text=True, env=env, check=True)
    before, after = (float(v) for v in out.stdout.split())
    return before, after


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--big", type=int, default=24, help="12-megapixel photos (default: %(default)s)")
    parser.add_argument("--small", type=int, default=300, help="0.3-megapixel photos (default: %(default)s)")
    parser.add_argument("--many", type=int, default=600, help="phone-sized photos for peak memory (default: %(default)s)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        big, small, many = base / "big", base / "small", base / "many"
        write_photos(big, args.big, (4000, 3000), 1)
        write_photos(small, args.small, (640, 480), 2)
        sources = sorted(big.rglob("*.jpg"))
        for i in range(args.many):
            target = many / ("a" if i % 2 else "b") / f"{i:05d}.jpg"
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(sources[i % len(sources)], target)
        print(f"{os.cpu_count()} cores; load average before: {os.getloadavg()[0]:.2f}\n")
        print("| photos | learner's loop (photos/s) | read_photos (photos/s) | speed-up |")
        print("| --- | --- | --- | --- |")
        for name, folder, count in (("12 MP (4000×3000)", big, args.big), ("0.3 MP (640×480)", small, args.small)):
            baseline, mine = learner(folder), ours(folder)
            print(f"| {count} × {name} | {baseline:.1f} | {mine:.1f} | {mine / baseline:.1f}× |")
        read_before, read_after = peak(many, "read")
        print("\n| resident memory | MB |\n| --- | --- |")
        print(f"| after the imports (torch, Pillow) | {read_before:.0f} |")
        print(f"| peak while reading {args.many} × 12 MP photos | {read_after:.0f} |")
        print(f"| peak − after the imports | {read_after - read_before:.0f} |")
        from cnn_tui.ml.data import load_dataset

        home = base / "home"
        start = time.perf_counter()
        load_dataset(small, home)
        first = time.perf_counter() - start
        start = time.perf_counter()
        load_dataset(small, home)
        second = time.perf_counter() - start
        print(f"\n| {args.small} × 0.3 MP, load_dataset | s |\n| --- | --- |")
        print(f"| first (decode, write the cache) | {first:.2f} |\n| second (from the cache) | {second:.3f} |")
        print(f"\nload average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
