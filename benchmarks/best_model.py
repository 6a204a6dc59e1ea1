"""Ten minutes on real CIFAR-10: `best`, `resnet` and the lecture's network with `fast`, accuracy against wall time.

`cnn-tui train --model best --recipe best` runs exactly as a user runs it (it fits its own epochs to
9 minutes of training on this machine); `resnet` gets as many epochs as a calibration run says fit
`--budget`; the lecture's network runs `--recipe fast` with its default 4 epochs. The header gives
the CPU's flags (AVX2 / AVX-512 / bf16 / AMX decide fp32 or bf16), each row the wall time from
process start to each epoch's test accuracy. Threads: each command's own choice unless --threads.
Expected duration on 2 quiet cores: ~25 min (best 10, resnet ~12 with calibration, lecture ~2);
`--quick` (best only, 10,000 training images, 60 s budget): ~2 min.

Each run is `cnn-tui train` as a user runs it (a subprocess, --plain). First a short calibration
run (one epoch on a subset) measures seconds per training and per test image under the machine's
current load; the number of epochs is then the most that fits `--budget` seconds of training
and testing (times `--safety`), since the one-cycle schedule needs its length up front. The
table gives the test accuracy per epoch, the training seconds (the lecture's `time:`), training
plus testing, the whole wall time of the process (start-up and loading included), its CPU
seconds and peak memory, and the load average while it ran (the cores are shared).

    python benchmarks/best_model.py [--data ../shared/datasets/cifar10-jpeg] [--budget 600] [--threads N]
    python benchmarks/best_model.py --skip-resnet --lecture-epochs 12
    python benchmarks/best_model.py --quick
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
    walls: list[float] = field(default_factory=list)  # seconds from process start to each epoch's line
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
            result.walls.append(time.perf_counter() - start)
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


def cpu_flags() -> str:
    """The CPU's model and the vector flags that decide fp32/bf16 speed."""
    import torch

    model, flags = "", set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name") and not model:
                model = line.split(":", 1)[1].strip()
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
    except OSError:
        pass
    wanted = sorted(f for f in flags if f in ("avx2", "fma") or f.startswith(("avx512", "amx")))
    return f"{model or 'CPU'}; torch sees {torch.backends.cpu.get_cpu_capability()}; flags: {' '.join(wanted) or 'unknown'}"


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
    accs = " ".join(f"{e[2]:.3f}@{w:.0f}s" for e, w in zip(result.epochs, result.walls))
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
    parser.add_argument("--threads", type=int, default=None, help="default: each command's own choice")
    parser.add_argument("--quick", action="store_true", help="best only, 10,000 training images, 60 s budget")
    parser.add_argument("--skip-best", action="store_true")
    parser.add_argument("--resnet-epochs", type=int, help="skip the calibration and train this many epochs")
    parser.add_argument("--lecture-epochs", type=int, help="skip the calibration and train this many epochs")
    parser.add_argument("--skip-resnet", action="store_true")
    parser.add_argument("--skip-lecture", action="store_true")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        plans = []
        if args.quick:
            args.skip_resnet = args.skip_lecture = True
            quick = ["--train-limit", "10000", "--test-limit", "2000", "--time-budget-s", "60"]
            result = run(train_command(args, tmp, "--model", "best", "--recipe", "best", *quick))
            rows.append(row("best (quick)", "cnn-tui train --model best --recipe best " + " ".join(quick), result, float("nan")))
        elif not args.skip_best:
            result = run(train_command(args, tmp, "--model", "best", "--recipe", "best"))
            rows.append(row("best", "cnn-tui train --model best --recipe best", result, float("nan")))
        if not args.skip_resnet:
            plans.append(("resnet", ["--model", "resnet", "--recipe", "resnet"], args.resnet_epochs))
        if not args.skip_lecture:
            plans.append(("lecture", ["--model", "lecture", "--recipe", "fast"], args.lecture_epochs))
        for name, model, fixed in plans:
            if name == "lecture" and not fixed:
                fixed = 4  # the fast recipe's default
            epochs, estimate = (fixed, float("nan")) if fixed else epochs_that_fit(args, tmp, model)
            result = run(train_command(args, tmp, *model, "--epochs", str(epochs)))
            shown = f"cnn-tui train {' '.join(model)} --epochs {epochs}" + (f" --threads {args.threads}" if args.threads else "")
            rows.append(row(name, shown, result, estimate))
    load = os.getloadavg()[0]
    print(f"\n{os.cpu_count()} CPU cores ({cpu_flags()}); budget {args.budget:.0f} s of training and testing per run; "
          f"load average at the end {load:.1f} ({'LOADED' if load >= 1 else 'quiet'} cores)\n")
    print("| model | command | epochs | test accuracy per epoch @ wall s from start | final test accuracy | training s | wall s | CPU s | peak RSS (MB) | load average |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
