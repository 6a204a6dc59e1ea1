"""Ten minutes of training on real CIFAR-10: the `resnet` preset with its recipe, and the lecture's network with `fast`.

Each run is `cnn-tui train` as a user runs it (a subprocess, --plain). First a short calibration
run (one epoch on a subset) measures seconds per training and per test image under the machine's
current load; the number of epochs is then the most that fits `--budget` seconds of training
and testing (times `--safety`), since the one-cycle schedule needs its length up front. The
table gives the test accuracy per epoch, the training seconds (the lecture's `time:`), training
plus testing, the whole wall time of the process (start-up and loading included), its CPU
seconds and peak memory, and the load average while it ran (the cores are shared).

    python benchmarks/best_model.py [--data ../shared/datasets/cifar10-jpeg] [--budget 600] [--threads 2]
    python benchmarks/best_model.py --skip-resnet --lecture-epochs 12
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

LINE = re.compile(r"^epoch:\s*(\d+) loss:([\d.]+) acc:([\d.]+) time:([\d.]+)s\s+test_loss:([\d.]+) test_acc:([\d.]+)")
SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "cifar10-jpeg"
TRAIN_IMAGES, TEST_IMAGES = 50_000, 10_000


@dataclass
class Run:
    epochs: list[tuple[int, float, float]] = field(default_factory=list)  # epoch, training s, test accuracy
    wall: float = 0.0
    cpu: float = 0.0
    peak_mb: float = 0.0
    load: float = 0.0
    output: str = ""


def run(command: list[str]) -> Run:
    """Run `command`, echo its lines, and measure wall time, CPU time, peak RSS and the load average meanwhile."""
    result, loads, done = Run(), [], threading.Event()

    def sample() -> None:
        while not done.wait(5.0):
            loads.append(os.getloadavg()[0])

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        result.output += line
        match = LINE.match(line)
        if match:
            result.epochs.append((int(match[1]), float(match[4]), float(match[6])))
        print("   ", line.rstrip(), file=sys.stderr, flush=True)
    _, status, usage = os.wait4(process.pid, 0)
    done.set()
    result.wall = time.perf_counter() - start
    result.cpu = usage.ru_utime + usage.ru_stime
    result.peak_mb = usage.ru_maxrss / 1024
    result.load = sum(loads) / len(loads) if loads else os.getloadavg()[0]
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.output}")
    return result


def train_command(args: argparse.Namespace, tmp: Path, *extra: str) -> list[str]:
    command = [sys.executable, "-m", "cnn_tui", "train", "--plain", "--data", str(args.data),
               "--checkpoint", str(tmp / "m.pth"), "--runs-dir", str(tmp / "runs"), *extra]
    return command + (["--threads", str(args.threads)] if args.threads else [])


def epochs_that_fit(args: argparse.Namespace, tmp: Path, model: list[str], images: int = 5000) -> tuple[int, float]:
    """Calibrate on `images` training and 1,000 test images; returns (epochs, estimated seconds per epoch)."""
    calibration = run(train_command(args, tmp, *model, "--epochs", "1", "--train-limit", str(images), "--test-limit", "1000"))
    per_train = calibration.epochs[0][1] / images
    # testing is a forward pass only: about a third of a training step per image
    epoch_s = per_train * TRAIN_IMAGES + per_train / 3 * TEST_IMAGES
    return max(1, int(args.budget * args.safety // epoch_s)), epoch_s


def row(name: str, command: str, result: Run, estimate: float) -> str:
    train_s = sum(e[1] for e in result.epochs)
    estimate_text = f" (est. {estimate:.0f} s each)" if estimate == estimate else ""
    accs = " ".join(f"{e[2]:.3f}" for e in result.epochs)
    best = max(e[2] for e in result.epochs)
    return (
        f"| {name} | `{command}` | {len(result.epochs)}{estimate_text} | {accs} | **{result.epochs[-1][2]:.4f}** "
        f"(best {best:.4f}) | {train_s:.0f} | {result.wall:.0f} | {result.cpu:.0f} | {result.peak_mb:,.0f} | {result.load:.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=SHARED if SHARED.exists() else Path("data/cifar10-jpeg"))
    parser.add_argument("--budget", type=float, default=600.0, help="seconds of training and testing per run")
    parser.add_argument("--safety", type=float, default=0.9, help="plan this share of the budget (the load changes)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--resnet-epochs", type=int, help="skip the calibration and train this many epochs")
    parser.add_argument("--lecture-epochs", type=int, help="skip the calibration and train this many epochs")
    parser.add_argument("--skip-resnet", action="store_true")
    parser.add_argument("--skip-lecture", action="store_true")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        plans = []
        if not args.skip_resnet:
            plans.append(("resnet", ["--model", "resnet", "--recipe", "resnet"], args.resnet_epochs))
        if not args.skip_lecture:
            plans.append(("lecture", ["--model", "lecture", "--recipe", "fast"], args.lecture_epochs))
        for name, model, fixed in plans:
            epochs, estimate = (fixed, float("nan")) if fixed else epochs_that_fit(args, tmp, model)
            result = run(train_command(args, tmp, *model, "--epochs", str(epochs)))
            shown = f"cnn-tui train {' '.join(model)} --epochs {epochs} --threads {args.threads}"
            rows.append(row(name, shown, result, estimate))
    print(f"\n{os.cpu_count()} CPU cores, budget {args.budget:.0f} s of training and testing per run\n")
    print("| model | command | epochs | test accuracy per epoch | final test accuracy | training s | wall s | CPU s | peak RSS (MB) | load average |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
