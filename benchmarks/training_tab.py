"""The Training tab while it trains: event-loop lag, and training throughput against headless `cnn-tui train`.

For each workload (a recipe on N training images for `--epochs` epochs), in one process and
interleaved `--runs` times:

* headless: what `cnn-tui train` runs — `load_dataset`, `subset`, `prepare_run`, `run_training`
  — with no UI, once with the threads `cnn-tui train` chooses for the batch size and the machine's
  load (cnn_tui/ml/threads.py) and once with the app's (the same plan unless configured), which
  isolates what the UI itself costs;
* the app: the real `CnnTuiApp` (headless Textual at 120×36, so it lays out and renders every
  frame) with a run started on the Training tab as the `s` key starts it; an asyncio task on the
  app's event loop sleeps 20 ms again and again and records how late it wakes (the lag) from the
  first to the last progress update drawn; the event loop thread's CPU time over that window is
  the "UI thread CPU" column. The longest lag after training covers testing and the results.

Full garbage collections (generation 2) are timed in the app's runs: each stops every thread of the process.
The app freezes the objects of loaded libraries for the collector (cnn_tui/ml/gc_freeze.py); `--gc-freeze off`
runs it without, for comparison.

Throughput is training images per second of training time (`EpochResult.images_per_s`; testing
and data loading excluded), the same measure for all three. Targets (issue 8): lag p99 ≤ 20 ms,
app throughput ≥ 90 % of headless (issue 16). The first row is the lag of the idle app: this machine's floor.

    python benchmarks/training_tab.py                      # CIFAR-10 from ../shared if present, else synthetic
    python benchmarks/training_tab.py --data synthetic --runs 3 --epochs 3
    python benchmarks/training_tab.py --runs 3              # ~6 min on 2 quiet cores (CIFAR-10 cached)
    python benchmarks/training_tab.py --runs 3 --gc-freeze off
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
# As the app does at start (cnn_tui/ui/app.py run_app) and `cnn-tui train` before torch loads: OpenMP
# waits passively only when other work keeps cores busy (cnn_tui/ml/threads.py).
from cnn_tui.ml.memory_reuse import reuse_freed_memory  # noqa: E402
from cnn_tui.ml.threads import apply_wait_policy, machine_load, plan_for_run  # noqa: E402

apply_wait_policy(plan_for_run(256, load=machine_load()))
reuse_freed_memory()  # as run_app and `cnn-tui train` do

from cnn_tui.config import RECIPES, AppConfig, Paths  # noqa: E402
from cnn_tui.core.training_settings import TrainingSettings  # noqa: E402
from cnn_tui.ui.tabs.training.job import training_threads  # noqa: E402

SHARED_CIFAR = REPO.parent / "shared" / "datasets" / "cifar10-jpeg"
# The lag probe wakes every 20 ms: at 5 ms its 200 wake-ups a second cost the event loop 6 % of a core by
# themselves (idle app on the Training tab: 6.1 % of a core with the probe, 0.1 % without), CPU that the
# training threads of the app then lacked and headless runs never paid.
PROBE_S = 0.020


class FullCollections:
    """Durations (ms) of generation-2 collections while `recording` (a gc callback)."""

    def __init__(self) -> None:
        self.recording = False
        self.pauses: list[float] = []
        self._start = 0.0
        gc.callbacks.append(self)

    def __call__(self, phase: str, info: dict) -> None:
        if info.get("generation") != 2 or not self.recording:
            return
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.pauses.append((time.perf_counter() - self._start) * 1000)


FULL_COLLECTIONS = FullCollections()


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def headless_rate(settings: TrainingSettings, data_dir: Path, threads: int) -> float:
    """Images/s of `cnn-tui train`'s path with these settings (training time only)."""
    import torch

    from cnn_tui.ml.data import load_dataset
    from cnn_tui.ml.models import model_config
    from cnn_tui.ml.session import prepare_run, run_training

    torch.set_num_threads(threads)
    data = load_dataset(settings.source, data_dir, download=False).subset(settings.train_limit, settings.test_limit)
    prepared = prepare_run(
        data, model_config(settings.model), RECIPES[settings.recipe], checkpoint=None, overrides=settings.overrides()
    )
    result = run_training(data, prepared, device=torch.device("cpu"))
    return _rate(result.epochs)


def _rate(epochs) -> float:
    images = sum(e.images_per_s * e.seconds for e in epochs)
    return images / sum(e.seconds for e in epochs)


async def app_run(settings: TrainingSettings, config: AppConfig) -> tuple[float, list[float], int, float, float]:
    """(images/s, lag samples in ms while training, progress updates drawn, the longest lag after training,
    the event loop's CPU time per second of training) for one run."""
    from cnn_tui.ui.app import CnnTuiApp
    from cnn_tui.ui.tabs.training.tab import TrainingTab
    from cnn_tui.ui.tabs.training.live import TrainingLive

    app = CnnTuiApp(config)
    samples: list[tuple[float, float]] = []
    running = True

    async def probe() -> None:
        while running:
            start = time.perf_counter()
            await asyncio.sleep(PROBE_S)
            samples.append((start, (time.perf_counter() - start - PROBE_S) * 1000))

    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("6")
        tab = app.query_one(TrainingTab)
        while not (tab.settings.data in tab.sources and len(tab.optimizers) > 1):
            await pilot.pause(0.05)
        tab.apply_settings(replace(settings, checkpoint=tab.settings.checkpoint))
        while settings.data not in tab.sources:
            await pilot.pause(0.05)
        live = app.query_one(TrainingLive)
        updates = 0
        first_batch: float | None = None
        last_batch = 0.0
        cpu_first = cpu_last = 0.0  # the event loop thread's CPU time (this callback runs on it)
        original = live.show_batch

        def counting(progress, series) -> None:
            nonlocal updates, first_batch, last_batch, cpu_first, cpu_last
            updates += 1
            if first_batch is None:
                first_batch, cpu_first = time.perf_counter(), time.thread_time()
            original(progress, series)
            last_batch, cpu_last = time.perf_counter(), time.thread_time()

        live.show_batch = counting  # type: ignore[method-assign]
        FULL_COLLECTIONS.recording = True
        task = asyncio.create_task(probe())
        tab.action_start()  # as the s key does (pressing it in a Pilot waits for the app to be idle)
        while tab.job.running or tab.phase != "idle":
            await asyncio.sleep(0.02)
        running = False
        FULL_COLLECTIONS.recording = False
        await task
        if first_batch is None:
            raise SystemExit(f"the run ended without a batch: {tab.note.text().plain}")
        rate = _rate(live.history)
    window = [lag for at, lag in samples if first_batch is not None and first_batch <= at <= last_batch]
    after = [lag for at, lag in samples if at > last_batch]  # testing, then the results drawn
    ui_share = (cpu_last - cpu_first) / max(last_batch - (first_batch or last_batch), 1e-9)
    return rate, window, updates, max(after, default=0.0), ui_share


async def app_idle(config: AppConfig, seconds: float = 3.0) -> list[float]:
    """Lag samples (ms) of the app showing the Training tab with nothing running: the floor of this machine."""
    from cnn_tui.ui.app import CnnTuiApp
    from cnn_tui.ui.tabs.training.tab import TrainingTab

    app = CnnTuiApp(config)
    lags: list[float] = []
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("6")
        tab = app.query_one(TrainingTab)
        while not (tab.settings.data in tab.sources and len(tab.optimizers) > 1):
            await pilot.pause(0.05)
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            start = time.perf_counter()
            await asyncio.sleep(PROBE_S)
            lags.append((time.perf_counter() - start - PROBE_S) * 1000)
    return lags


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(SHARED_CIFAR) if SHARED_CIFAR.exists() else "synthetic")
    parser.add_argument("--data-dir", type=Path, default=REPO / "data", help="where data/cache lives")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=None, help="headless torch threads (default: what cnn-tui train chooses)")
    parser.add_argument("--epochs", type=int, default=1, help="epochs per run (more samples on a small data set)")
    parser.add_argument("--switch-interval", type=float, default=None, help="experiment: sys.setswitchinterval for the whole run")
    parser.add_argument("--update-interval", type=float, default=None, help="experiment: seconds between progress messages")
    parser.add_argument("--only", choices=("fast", "lecture"), default=None, help="run one workload")
    parser.add_argument("--gc-freeze", choices=("app", "off"), default="app", help="off: the app never freezes loaded objects")
    args = parser.parse_args()
    if args.gc_freeze == "off":
        import cnn_tui.ui.app

        cnn_tui.ui.app.freeze_loaded_libraries = lambda: False
    if args.update_interval:
        from cnn_tui.ui.tabs.training import job as training_job

        training_job.TRAINING_TAB_DEFAULTS = replace(training_job.TRAINING_TAB_DEFAULTS, update_interval_s=args.update_interval)
    if args.switch_interval:
        sys.setswitchinterval(args.switch_interval)

    workloads = [
        (f"fast recipe, ≤25,000 images × {args.epochs} epochs", replace(TrainingSettings().with_recipe("fast"), epochs=args.epochs, train_limit=25_000, test_limit=1_000)),
        (f"lecture recipe (batch 8), 6,000 images × {args.epochs} epochs", replace(TrainingSettings().with_recipe("lecture"), epochs=args.epochs, train_limit=6_000, test_limit=1_000)),
    ]
    if args.only:
        workloads = [w for w in workloads if w[0].startswith(args.only)]
    scratch = Path(tempfile.mkdtemp(prefix="cnn-tui-bench-"))
    config = AppConfig(lang="en", paths=Paths(data_dir=args.data_dir, models_dir=scratch))  # checkpoints go to scratch
    rows = []
    idle = asyncio.run(app_idle(config))
    for name, settings in workloads:
        settings = replace(settings, data=args.data)
        headless, same, app, lags, updates, results, shares = [], [], [], [], [], [], []
        FULL_COLLECTIONS.pauses = []
        for _ in range(args.runs):
            batch = RECIPES[settings.recipe].batch_size
            headless.append(headless_rate(settings, args.data_dir, plan_for_run(batch, requested=args.threads).threads))
            same.append(headless_rate(settings, args.data_dir, training_threads(batch)))
            rate, window, count, after, share = asyncio.run(app_run(settings, config))
            app.append(rate)
            results.append(after)
            shares.append(share)
            lags += window
            updates.append(count)
        rows.append((
            name, statistics.median(headless), statistics.median(same), statistics.median(app), lags,
            statistics.median(updates), max(results), statistics.median(shares), list(FULL_COLLECTIONS.pauses),
        ))

    print(f"data: {args.data}; {cpu_count()} cores; headless with the threads `cnn-tui train` chooses "
          f"({args.threads or 'its plan'}) and the app's (the same plan unless TRAINING_TAB_DEFAULTS.threads is set); "
          f"median of {args.runs} runs; load average {os.getloadavg()[0]:.1f} "
          f"({'LOADED' if os.getloadavg()[0] >= 1 else 'quiet'} cores); OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', 'unset')}; "
          f"gc freeze: {args.gc_freeze}")
    print()
    print(
        "| workload | headless img/s | headless, app's threads | app img/s | app / headless | app / same threads "
        "| lag p50 (ms) | lag p99 (ms) | lag max (ms) | progress updates | UI thread CPU | longest lag after training (ms) "
        "| full GCs while training (longest, ms) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print(
        f"| app idle on the Training tab (the floor) | | | | | | {percentile(idle, 50):.1f} | {percentile(idle, 99):.1f} | "
        f"{max(idle):.1f} | | | | |"
    )
    for name, headless, same, app, lags, updates, after, share, pauses in rows:
        print(
            f"| {name} | {headless:,.0f} | {same:,.0f} | {app:,.0f} | {app / headless:.0%} | {app / same:.0%} | {percentile(lags, 50):.1f} | "
            f"{percentile(lags, 99):.1f} | {max(lags):.1f} | {updates:.0f} | {share:.0%} | {after:.0f} | "
            f"{len(pauses)} ({max(pauses, default=0):.0f}) |"
        )


if __name__ == "__main__":
    main()
