"""Accuracy against time on real CIFAR-10, running `cnn-tui train` the way a user does (a subprocess, --plain).

1. `cnn-tui train --recipe fast`: training seconds (and wall seconds from process start) until the
   test accuracy first reaches 0.57, and the peak memory (max RSS) of the process.
2. `cnn-tui train --recipe fast --epochs E`, E chosen from step 1's epoch time to fit `--budget`
   seconds of training: the best test accuracy it reaches.
3. With `--long`: `cnn-tui train --recipe lecture --epochs 5` next to the lecture's own loop
   (benchmarks/lecture_loop.py, ImageFolder + DataLoader) for 5 epochs: accuracy and time (~3 min each
   on 2 free cores).

    python benchmarks/train_accuracy.py [--data data/cifar10-jpeg] [--budget 60] [--long] [--threads N]

Every child runs in a learner's environment (no OMP_WAIT_POLICY, no OMP_NUM_THREADS): the lecture's loop
with torch's default threads, `cnn-tui train` with the threads and waiting it chooses (its header line,
quoted under the table). Expected duration on 2 quiet cores: ~1.5 min; with --long ~12 min more.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

LINE = re.compile(r"^epoch:\s*(\d+) loss:([\d.]+) acc:([\d.]+) time:([\d.]+)s\s+test_loss:([\d.]+) test_acc:([\d.]+)")
HERE = Path(__file__).resolve().parent


@dataclass
class Run:
    epochs: list[tuple[int, float, float, float]] = field(default_factory=list)  # epoch, train s, test acc, wall s
    peak_mb: float = 0.0
    wall: float = 0.0
    output: str = ""
    plan: str = ""


def run(command: list[str]) -> Run:
    """Run `command`, timestamp each epoch line, and read the child's peak RSS from wait4."""
    result = Run()
    start = time.perf_counter()
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_WAIT_POLICY", "OMP_NUM_THREADS", "GOMP_SPINCOUNT")}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    assert process.stdout is not None
    for line in process.stdout:
        result.output += line
        match = LINE.match(line)
        if "parameters" in line and "device" in line:
            result.plan = line.split("device", 1)[1].strip()
        if match:
            result.epochs.append((int(match[1]), float(match[4]), float(match[6]), time.perf_counter() - start))
        print("   ", line.rstrip(), file=sys.stderr, flush=True)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    result.wall = time.perf_counter() - start
    result.peak_mb = usage.ru_maxrss / 1024
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed with status {process.returncode}:\n{result.output}")
    return result


def cnn_tui(*args: str, data: Path, threads: int | None, checkpoint: Path) -> list[str]:
    command = [sys.executable, "-m", "cnn_tui", "train", "--plain", "--data", str(data), "--checkpoint", str(checkpoint), *args]
    return command + (["--threads", str(threads)] if threads else [])


def main() -> None:
    load_before = os.getloadavg()[0]
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("data/cifar10-jpeg"))
    parser.add_argument("--budget", type=float, default=60.0, help="seconds of training for the best-accuracy run")
    parser.add_argument("--target", type=float, default=0.57)
    parser.add_argument("--long", action="store_true", help="also compare the lecture recipe with the lecture's loop (5 epochs)")
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    rows: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        ckpt = Path(tmp) / "m.pth"
        # warm the decode cache so no run pays for decoding
        run(cnn_tui("--epochs", "1", "--train-limit", "64", "--test-limit", "64", data=args.data, threads=args.threads, checkpoint=ckpt))
        fast = run(cnn_tui("--recipe", "fast", data=args.data, threads=args.threads, checkpoint=ckpt))
        reached = next((e for e in fast.epochs if e[2] >= args.target), None)
        train_s = sum(e[1] for e in fast.epochs[: reached[0]]) if reached else float("nan")
        epoch_s = sum(e[1] for e in fast.epochs) / len(fast.epochs)
        rows.append(
            f"| `cnn-tui train --recipe fast` | {len(fast.epochs)} | "
            + (f"epoch {reached[0]}: {train_s:.1f} s training, {reached[3]:.1f} s wall" if reached else "not reached")
            + f" | {max(e[2] for e in fast.epochs):.4f} | {sum(e[1] for e in fast.epochs):.1f} | {fast.peak_mb:,.0f} |"
        )
        epochs = max(1, int(args.budget // epoch_s))
        best = run(cnn_tui("--recipe", "fast", "--epochs", str(epochs), data=args.data, threads=args.threads, checkpoint=ckpt))
        best_reached = next((e for e in best.epochs if e[2] >= args.target), None)
        rows.append(
            f"| `cnn-tui train --recipe fast --epochs {epochs}` (≈{args.budget:.0f} s budget) | {epochs} | "
            + (f"epoch {best_reached[0]}" if best_reached else "not reached")
            + f" | {max(e[2] for e in best.epochs):.4f} | {sum(e[1] for e in best.epochs):.1f} | {best.peak_mb:,.0f} |"
        )
        if args.long:
            lecture = run(cnn_tui("--recipe", "lecture", "--epochs", "5", data=args.data, threads=args.threads, checkpoint=ckpt))
            rows.append(
                f"| `cnn-tui train --recipe lecture --epochs 5` | 5 | – | {lecture.epochs[-1][2]:.4f} (final) | "
                f"{sum(e[1] for e in lecture.epochs):.1f} | {lecture.peak_mb:,.0f} |"
            )
            env_threads = ["env", f"OMP_NUM_THREADS={args.threads}"] if args.threads else []
            loop = run([*env_threads, sys.executable, str(HERE / "lecture_loop.py"), "--data", str(args.data), "--epochs", "5"])
            match = re.search(r"RESULT accuracy=([\d.]+) seconds=([\d.]+)", loop.output)
            times = [float(t) for t in re.findall(r"time:([\d.]+)s", loop.output)]
            assert match is not None
            rows.append(
                f"| lecture's loop (benchmarks/lecture_loop.py), 5 epochs | 5 | – | {float(match[1]):.4f} (final) | "
                f"{sum(times):.1f} | {loop.peak_mb:,.0f} |"
            )
    print(
        f"\ntarget {args.target}; training seconds exclude start-up, loading and testing; wall includes them; "
        f"{'LOADED' if max(load_before, os.getloadavg()[0]) >= 1 else 'quiet'} cores: load average before {load_before:.1f}, after {os.getloadavg()[0]:.1f}\n"
    )
    print("| run | epochs | reaches the target at | best test accuracy | training s | peak RSS (MB) |")
    print("| --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))
    print(f"\n`cnn-tui train` chose: {fast.plan}")


if __name__ == "__main__":
    main()
