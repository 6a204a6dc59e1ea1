"""Training throughput on real CIFAR-10: the lecture's loop as a learner runs it against `cnn-tui train` as a user runs it.

Every loop runs in its own process, interleaved `--runs` times, on `--images` training images:

* baseline: `benchmarks/lecture_loop.py --max-images N` — the lecture's code as written (ImageFolder +
  ToTensor + DataLoader, batch 8, Adam) in a learner's environment: no OMP_WAIT_POLICY, torch's default
  thread count;
* `cnn-tui train --recipe fast|lecture --epochs 1 --train-limit N` — the real command, with the
  threads and OpenMP waiting it chooses itself (its header line, quoted in the table, says what and why);
* extra rows, labelled: the same loops with one thread, all threads, split batches or shared operations
  (`--no-split-batches`), passive or spinning waits.

images/s is training images per second of training (the lecture's `time:`; start-up, loading and testing
excluded); CPU ms/image is the whole process's CPU time (user + system, from wait4) per training image,
start-up included, which hardly depends on other work on the machine. The header line says whether the
cores were loaded by other processes while it ran. The lecture's loop needs the extracted image folder:

    mkdir -p data/cifar10-jpeg && for s in train test; do tar xzf ../shared/datasets/cifar10-jpeg/$s.tar.gz -C data/cifar10-jpeg; done
    python benchmarks/train_speed.py                # 12,000 images, 3 rounds, every row: ~6 min on 2 quiet cores
    python benchmarks/train_speed.py --quick        # 4,000 images, 1 round, main rows: ~1 min
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
EPOCH = 50_000
EPOCH_LINE = re.compile(r"^epoch:\s*\d+ loss:[\d.]+ acc:[\d.]+ time:([\d.]+)s")
PLAN_LINE = re.compile(r"device (\w+), (.*)$")


@dataclass
class Case:
    name: str
    command: list[str]
    env: dict[str, str]
    rates: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    plan: str = ""


def learner_env(**extra: str) -> dict[str, str]:
    """The environment a learner has: nothing of ours about threads or OpenMP."""
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_WAIT_POLICY", "OMP_NUM_THREADS", "GOMP_SPINCOUNT")}
    env["PYTHONPATH"] = str(REPO)
    env.update(extra)
    return env


def others_busy(seconds: float = 0.5) -> float:
    sys.path.insert(0, str(REPO))
    from cnn_tui.ml.threads import others_load

    return others_load(seconds)


def _children_cpu() -> float:
    times = os.times()
    return times.children_user + times.children_system


def measure(case: Case, images: int) -> None:
    start, cpu = time.perf_counter(), _children_cpu()
    result = subprocess.run(case.command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=case.env)
    if result.returncode:
        sys.exit(f"{' '.join(case.command)} failed ({result.returncode}):\n{result.stdout}")
    rate = None
    for line in result.stdout.splitlines():
        if match := EPOCH_LINE.match(line):
            rate = images / float(match[1])
        elif match := re.search(r"RESULT images_per_s=([\d.]+) threads=(\d+)", line):
            rate, case.plan = float(match[1]), f"{match[2]} (torch's default)"
        elif (match := PLAN_LINE.search(line)) and "parameters" in line:
            case.plan = match[2]
    if rate is None:
        sys.exit(f"no throughput in the output of {' '.join(case.command)}:\n{result.stdout}")
    case.rates.append(rate)
    case.cpu_ms.append(1000 * (_children_cpu() - cpu) / images)
    print(f"  {case.name}: {rate:,.0f} images/s ({time.perf_counter() - start:.0f} s)", file=sys.stderr, flush=True)


def cases(args: argparse.Namespace, scratch: Path) -> list[Case]:
    n = str(args.images)
    loop = [sys.executable, str(HERE / "lecture_loop.py"), "--data", str(args.data), "--max-images", n]

    def cnn(recipe: str, *extra: str) -> list[str]:
        return [
            sys.executable, "-m", "cnn_tui", "train", "--plain", "--no-record", "--data", str(args.data),
            "--recipe", recipe, "--epochs", "1", "--train-limit", n, "--test-limit", "500",
            "--min-steps", "0",  # keep the recipe's batch (a subset would otherwise get smaller batches)
            "--checkpoint", str(scratch / f"{recipe}.pth"), *extra,
        ]

    cores = str(os.cpu_count() or 1)
    main = [
        Case("lecture's loop as a learner runs it (baseline: default threads, no OMP_WAIT_POLICY)", loop, learner_env()),
        Case("`cnn-tui train --recipe fast` (its own choice of threads)", cnn("fast"), learner_env()),
        Case("`cnn-tui train --recipe lecture` (batch 8, its own choice)", cnn("lecture"), learner_env()),
    ]
    if args.quick:
        return main
    return main + [
        Case("extra: lecture's loop, 1 thread (OMP_NUM_THREADS=1)", loop, learner_env(OMP_NUM_THREADS="1")),
        Case("extra: lecture's loop, OMP_WAIT_POLICY=PASSIVE (what the old benchmark gave it)", loop, learner_env(OMP_WAIT_POLICY="PASSIVE")),
        Case("extra: `fast`, --threads 1", cnn("fast", "--threads", "1"), learner_env()),
        Case(f"extra: `fast`, --threads {cores} (split batches)", cnn("fast", "--threads", cores), learner_env()),
        Case(f"extra: `fast`, --threads {cores} --no-split-batches, spinning waits", cnn("fast", "--threads", cores, "--no-split-batches"), learner_env()),
        Case(f"extra: `fast`, --threads {cores} --no-split-batches, OMP_WAIT_POLICY=PASSIVE", cnn("fast", "--threads", cores, "--no-split-batches"),
             learner_env(OMP_WAIT_POLICY="PASSIVE")),
        Case("extra: `lecture` recipe, --threads 1", cnn("lecture", "--threads", "1"), learner_env()),
        Case(f"extra: `lecture` recipe, --threads {cores}", cnn("lecture", "--threads", cores), learner_env()),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO / "data" / "cifar10-jpeg")
    parser.add_argument("--images", type=int, default=None, help="training images per measurement (default 12,000; --quick 4,000)")
    parser.add_argument("--runs", type=int, default=None, help="interleaved rounds (default 3; --quick 1)")
    parser.add_argument("--quick", action="store_true", help="the three main rows, one round of 4,000 images")
    args = parser.parse_args()
    args.images = args.images or (4_000 if args.quick else 12_000)
    args.runs = args.runs or (1 if args.quick else 3)
    if not (args.data / "train").is_dir():
        sys.exit(f"{args.data}/train not found: extract the CIFAR-10 tarballs there first (see the docstring)")
    busy_before = others_busy()
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        todo = cases(args, scratch)
        # warm the decode cache (data/cache) so no measured run decodes JPEGs
        subprocess.run(todo[1].command[:-2] + ["--train-limit", "64", "--test-limit", "64", "--checkpoint", str(scratch / "w.pth")],
                       env=learner_env(), capture_output=True, check=True)
        for run in range(args.runs):
            print(f"round {run + 1} of {args.runs}", file=sys.stderr, flush=True)
            for case in todo:
                measure(case, args.images)
    busy_after = others_busy()
    base = statistics.median(todo[0].rates)
    loaded = max(busy_before, busy_after) >= 0.5
    print(
        f"\n{args.images:,} training images per measurement, median of {args.runs}; {os.cpu_count()} cores; "
        f"{'LOADED' if loaded else 'quiet'} cores: other processes kept {busy_before:.1f} cores busy before and "
        f"{busy_after:.1f} after; load average {os.getloadavg()[0]:.1f}\n"
    )
    print("| loop | images/s (median) | min–max | s per 50k-image epoch | × lecture's loop | CPU ms/image | threads chosen (header line) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for case in todo:
        rate = statistics.median(case.rates)
        print(
            f"| {case.name} | {rate:,.0f} | {min(case.rates):,.0f}–{max(case.rates):,.0f} | {EPOCH / rate:.1f} | "
            f"{rate / base:.1f}× | {statistics.median(case.cpu_ms):.3f} | {case.plan} |"
        )


if __name__ == "__main__":
    main()
