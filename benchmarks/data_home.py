"""The offline demo and the data home's timings: train --data synthetic, download, extract, decode, load.

    python benchmarks/data_home.py                 # everything (about 2-4 minutes on 2 busy cores)
    python benchmarks/data_home.py --skip-jpeg     # without decoding the 60,000 CIFAR-10 JPEGs

1. `cnn-tui train --data synthetic --epochs 2` run as a learner runs it (its own process): wall time,
   the training time it reports and the test accuracy it reaches.
2. The download path against a local HTTP server (no network here): an archive of CIFAR-10's size
   (50,000 + 10,000 random 32×32 images in torchvision's batch format, gzip), streamed, md5-checked
   and extracted by `install_cifar10`; then the first load (unpickle + cache) and the second (cache).
   A real download adds the network's time: at 10 MB/s, about 17 s for 163 MB.
3. `cnn-tui data import` of the CIFAR-10 JPEG tarballs (/work/shared/datasets/cifar10-jpeg) when present,
   then a load of the imported data set from another folder.
Every step runs in a scratch data home ($XDG_DATA_HOME, $XDG_CACHE_HOME in a temporary folder).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import pickle
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
JPEG_DIR = ROOT.parent / "shared" / "datasets" / "cifar10-jpeg"


def _load() -> str:
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def demo(scratch: Path, env: dict[str, str]) -> list[str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "cnn_tui", "train", "--data", "synthetic", "--epochs", "2", "--plain",
         "--checkpoint", str(scratch / "demo.pth"), "--no-record"],
        cwd=scratch, env=env, capture_output=True, text=True, check=True,
    )
    wall = time.perf_counter() - started
    last = done.stdout.strip().splitlines()[-1]  # done in 12.3s: test accuracy 0.9490; saved …
    seconds = float(last.split("done in ")[1].split("s:")[0])
    accuracy = float(last.split("test accuracy ")[1].split(";")[0])
    return [f"| demo: train --data synthetic --epochs 2 | {wall:.1f} s wall ({seconds:.1f} s training) | test accuracy {accuracy:.3f} |"]


def fake_archive(folder: Path) -> bytes:
    """CIFAR-10's layout and size with random pixels (torchvision's pickled batches in a .tar.gz)."""
    rng = np.random.default_rng(0)
    batches = folder / "cifar-10-batches-py"
    batches.mkdir(parents=True)
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        entry = {"data": rng.integers(0, 256, (10000, 3072), dtype=np.uint8), "labels": rng.integers(0, 10, 10000).tolist()}
        (batches / name).write_bytes(pickle.dumps(entry))
    names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
    (batches / "batches.meta").write_bytes(pickle.dumps({"label_names": names}))
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=1) as archive:
        archive.add(batches, arcname="cifar-10-batches-py")
    return buffer.getvalue()


def download(scratch: Path) -> list[str]:
    from cnn_tui.ml import download as dl
    from cnn_tui.ml.data import load_dataset
    from tests.archive_server import Served, serve

    payload = fake_archive(scratch / "made")
    home = scratch / "home"
    marks: dict[str, float] = {}
    with serve(Served(payload)) as served:
        dl.DOWNLOAD_DEFAULTS = replace(dl.DOWNLOAD_DEFAULTS, md5=hashlib.md5(payload).hexdigest())  # noqa: S324
        started = time.perf_counter()
        dl.install_cifar10(home, served.url, progress=lambda p: marks.setdefault(p.phase, time.perf_counter()))
        ended = time.perf_counter()
    rows = [
        f"| download {len(payload) / 1e6:.0f} MB from 127.0.0.1 | {marks['verify'] - started:.1f} s | "
        f"{len(payload) / 1e6 / (marks['verify'] - started):.0f} MB/s (the code path; a real network is slower) |",
        f"| md5 check | {marks['extract'] - marks['verify']:.1f} s | torchvision's check_integrity |",
        f"| extract to cifar-10-batches-py | {ended - marks['extract']:.1f} s | temporary folder, then a rename |",
    ]
    for what in ("first load (unpickle, write the cache)", "second load (the cache)"):
        started = time.perf_counter()
        load_dataset(None, home)
        rows.append(f"| {what} | {time.perf_counter() - started:.1f} s | 60,000 images |")
    return rows


def jpeg_import(scratch: Path, env: dict[str, str]) -> list[str]:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cnn_tui", "data", "import", str(JPEG_DIR)], cwd=scratch, env=env,
                   check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    probe = "import time; t=time.perf_counter(); from cnn_tui.ml.data import load_dataset; d=load_dataset(); print(time.perf_counter()-t, len(d.train))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=scratch, env=env, check=True, capture_output=True, text=True).stdout.split()
    return [
        f"| data import of the JPEG tarballs (decode 60,000 JPEGs) | {seconds:.1f} s wall | cnn-tui data import, own process |",
        f"| load the imported data set from another folder | {float(out[0]):.1f} s | {int(out[1]):,} train images (torch import included) |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-jpeg", action="store_true", help="do not import the CIFAR-10 JPEG tarballs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        os.environ.update(XDG_DATA_HOME=str(scratch / "xdg-data"), XDG_CACHE_HOME=str(scratch / "xdg-cache"))
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        print(f"# data home and offline demo ({_load()} at the start)")
        print("| step | time | notes |\n| --- | --- | --- |")
        for row in demo(scratch, env):
            print(row, flush=True)
        for row in download(scratch):
            print(row, flush=True)
        if not args.skip_jpeg and (JPEG_DIR / "train.tar.gz").is_file():
            for row in jpeg_import(scratch, env):
                print(row, flush=True)
        print(f"({_load()} at the end)")


if __name__ == "__main__":
    main()
