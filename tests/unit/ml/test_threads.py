"""The thread plan: a pure function of batch size, cores, the machine's load and --threads (no timing)."""

from __future__ import annotations

import pytest

from cnn_tui.ml.threads import PASSIVE, SPIN, EpochRetuner, ThreadPlan, apply_wait_policy, free_cores, plan_threads


@pytest.mark.parametrize(
    ("batch", "cores", "load", "threads", "wait"),
    [
        (8, 2, 0.0, 1, SPIN),  # the lecture's batch: one thread, never slower than one thread
        (8, 16, 0.0, 1, SPIN),
        (8, 2, 5.0, 1, SPIN),  # one thread never waits for a team, so its policy does not matter
        (256, 2, 0.0, 2, SPIN),  # quiet cores: every core, spinning
        (256, 2, 0.3, 2, SPIN),
        (256, 2, 0.7, 1, SPIN),  # a busy core: one thread
        (256, 2, 6.0, 1, SPIN),
        (512, 16, 4.0, 12, PASSIVE),  # cores left over, waiting passively beside the others
        (256, 1, 0.0, 1, SPIN),
    ],
)
def test_plan_follows_batch_size_cores_and_load(batch, cores, load, threads, wait):
    plan = plan_threads(batch, cores, load)
    assert (plan.threads, plan.wait) == (threads, wait)
    assert plan.reason and plan.reason in plan.line()


def test_threads_and_the_environment_override_the_plan():
    plan = plan_threads(8, 2, 0.0, requested=2)
    assert plan.threads == 2 and "--threads" in plan.line()
    plan = plan_threads(256, 2, 0.0, environ_wait="PASSIVE")
    assert plan.threads == 2 and plan.wait == PASSIVE and "OMP_WAIT_POLICY=PASSIVE from the environment" in plan.line()
    assert plan_threads(8, 4, 0.0, device="cuda").threads == 4


def test_reasons_name_what_decided():
    assert "batch 8 is too small" in plan_threads(8, 2, 0.0).line()
    assert plan_threads(256, 2, 0.0).line() == "2 threads, threads spin while waiting (batch 256 on 2 quiet cores)"
    assert "other work keeps 3.0 of 2 cores busy" in plan_threads(256, 2, 3.0).line()


def test_wait_policy_goes_into_the_environment_only_when_passive_and_unset():
    env: dict[str, str] = {}
    apply_wait_policy(ThreadPlan(2, SPIN, "quiet"), env)
    assert env == {}
    apply_wait_policy(ThreadPlan(12, PASSIVE, "busy"), env)
    assert env == {"OMP_WAIT_POLICY": "PASSIVE"}
    env = {"OMP_WAIT_POLICY": "ACTIVE"}
    apply_wait_policy(ThreadPlan(12, PASSIVE, "busy"), env)
    assert env == {"OMP_WAIT_POLICY": "ACTIVE"}


def test_free_cores_never_below_one():
    assert [free_cores(2, load) for load in (0.0, 0.4, 0.6, 1.4, 9.0)] == [2, 2, 1, 1, 1]


def test_retuner_drops_to_the_free_cores_when_others_come_and_returns_when_they_leave():
    set_to: list[int] = []
    retuner = EpochRetuner(plan_threads(256, 2, 0.0), 256, 2, set_to.append)
    loads = iter([1.5, 0.0])
    retuner.others_load = lambda: next(loads)  # type: ignore[method-assign]
    assert retuner.after_epoch() == 1 and retuner.after_epoch() == 2
    assert set_to == [1, 2]
    fixed = EpochRetuner(plan_threads(256, 2, 0.0, requested=2), 256, 2, set_to.append)
    assert not fixed.active and fixed.after_epoch() == 2
    small = EpochRetuner(plan_threads(8, 2, 0.0), 8, 2, set_to.append)
    assert not small.active and small.after_epoch() == 1 and set_to == [1, 2]
