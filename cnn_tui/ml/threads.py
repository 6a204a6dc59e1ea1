"""How many CPU threads training uses and how OpenMP threads wait, chosen for the work and the machine."""

from __future__ import annotations

import os
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass

from cnn_tui.i18n import Phrase, tr

# Batches below this many images train on one thread (per-op work too small to share).
SMALL_BATCH = 64
# A batch split between threads (cnn_tui.ml.train_step) gives each at least this many images: smaller
# slices cost more in per-operation overhead than they save.
MIN_SHARD = 64
# Other processes using this much of a core or more count as "busy" cores.
BUSY_CORE = 0.5
SPIN, PASSIVE = "spin", "passive"


@dataclass(frozen=True)
class ThreadPlan:
    """Threads for torch, how OpenMP threads wait, and the reason in words (for the header line)."""

    threads: int
    wait: str  # SPIN (OpenMP's default) | PASSIVE
    reason: str  # the English of `why`
    why: Phrase | None = None  # the reason as a catalogue message, for the header line in the current language

    def line(self, shards: int = 1) -> str:
        """The plan in words, in the current language; `shards` > 1: that many threads each train a slice of every
        batch (cnn_tui.ml.train_step)."""
        reason = self.why.in_language() if self.why is not None else self.reason
        if self.threads == 1:
            return tr("cli.threads.one", reason=reason)
        if shards > 1:
            return tr("cli.threads.shards", shards=shards, reason=reason)
        return tr("cli.threads.spin" if self.wait == SPIN else "cli.threads.passive", threads=self.threads, reason=reason)


def cpu_count() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def machine_load() -> float:
    """Runnable processes averaged over the last minute (0 where the OS does not say); cheap but slow to
    follow changes, and it counts this program's own work of the last minute too."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return 0.0


def others_load(sample_s: float = 0.25) -> float:
    """Cores kept busy by other processes now: CPU time used machine-wide during a short sleep, less our
    own (from /proc/stat; the load average where that is missing)."""
    import time

    busy0, own0, start = cpu_seconds_busy(), own_cpu_seconds(), time.perf_counter()
    if busy0 is None:
        return machine_load()
    time.sleep(sample_s)
    busy1 = cpu_seconds_busy() or busy0
    return max(0.0, (busy1 - busy0) - (own_cpu_seconds() - own0)) / max(1e-6, time.perf_counter() - start)


def free_cores(cores: int, load: float) -> int:
    """Cores not taken by `load` (others' runnable processes), at least one."""
    return max(1, min(cores, int(cores - load + BUSY_CORE)))


def plan_threads(
    batch_size: int, cores: int, load: float, *, requested: int | None = None, device: str = "cpu",
    environ_wait: str | None = None,
) -> ThreadPlan:
    """The thread plan for training with `batch_size` on `cores` cores while others load them by `load`.

    `requested` (--threads) overrides the count; `environ_wait` is a user's OMP_WAIT_POLICY, which
    overrides the waiting policy.
    """
    busy = load >= BUSY_CORE
    if requested:
        threads, why = requested, Phrase("cli.threads.requested")
    elif device == "cuda":
        threads, why = cores, Phrase("cli.threads.gpu")
    elif cores == 1:
        threads, why = 1, Phrase("cli.threads.one_core")
    elif batch_size < SMALL_BATCH:
        threads, why = 1, Phrase("cli.threads.small_batch", batch=batch_size)
    elif busy:
        threads = free_cores(cores, load)
        why = Phrase("cli.threads.busy", batch=batch_size, load=load, cores=cores)
    else:
        threads, why = cores, Phrase("cli.threads.quiet", batch=batch_size, cores=cores)
    if environ_wait:
        why = Phrase("cli.threads.environment", why=why, wait=environ_wait)
        return ThreadPlan(threads, PASSIVE if environ_wait.upper() == "PASSIVE" else SPIN, str(why), why)
    wait = PASSIVE if busy and threads > 1 else SPIN
    return ThreadPlan(threads, wait, str(why), why)


def shards_for(batch_size: int, threads: int, splittable: bool) -> int:
    """Threads that each train their own slice of every batch (1: the whole batch, on `threads` torch threads)."""
    if not splittable or threads < 2:
        return 1
    return max(1, min(threads, batch_size // MIN_SHARD))


def apply_wait_policy(plan: ThreadPlan, environ: MutableMapping[str, str] | None = None) -> None:
    """Set OMP_WAIT_POLICY=PASSIVE for a passive plan unless the user set it; call before importing torch."""
    environ = os.environ if environ is None else environ
    if plan.wait == PASSIVE:
        environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def plan_for_run(
    batch_size: int, requested: int | None = None, device: str = "cpu", load: float | None = None
) -> ThreadPlan:
    """`plan_threads` for this machine now (`load` None: measured by `others_load`, a quarter of a
    second), with the environment's OMP_WAIT_POLICY."""
    if load is None:
        load = 0.0 if requested or device == "cuda" or batch_size < SMALL_BATCH else others_load()
    return plan_threads(
        batch_size, cpu_count(), load, requested=requested, device=device,
        environ_wait=os.environ.get("OMP_WAIT_POLICY"),
    )


def cpu_seconds_busy() -> float | None:
    """CPU seconds every process on the machine has used since boot (from /proc/stat), or None."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = stat.readline().split()[1:]
    except OSError:
        return None
    ticks = [int(v) for v in fields]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


class EpochRetuner:
    """Between epochs: the threads for the next one, from the CPU that other processes used during the last.

    `set_threads` is torch.set_num_threads; nothing changes for a --threads plan or a one-thread plan
    chosen for the batch size.
    """

    def __init__(self, plan: ThreadPlan, batch_size: int, cores: int, set_threads: Callable[[int], None],
                 clock: Callable[[], float] | None = None) -> None:
        import time

        self.plan, self.batch_size, self.cores, self.set_threads = plan, batch_size, cores, set_threads
        self.clock = clock or time.perf_counter
        self.active = not plan.reason.startswith("--threads") and batch_size >= SMALL_BATCH and cores > 1
        self.threads = plan.threads
        self._mark()

    def _mark(self) -> None:
        self.t0, self.busy0, self.own0 = self.clock(), cpu_seconds_busy(), own_cpu_seconds()

    def others_load(self) -> float | None:
        """Cores other processes kept busy since the last mark (None without /proc/stat)."""
        busy = cpu_seconds_busy()
        if busy is None or self.busy0 is None:
            return None
        wall = max(1e-6, self.clock() - self.t0)
        return max(0.0, (busy - self.busy0) - (own_cpu_seconds() - self.own0)) / wall

    def after_epoch(self) -> int:
        """Pick and set the threads for the next epoch; returns them."""
        load = self.others_load() if self.active else None
        if load is not None:
            threads = free_cores(self.cores, load)
            if threads != self.threads:
                self.threads = threads
                self.set_threads(threads)
        self._mark()
        return self.threads
