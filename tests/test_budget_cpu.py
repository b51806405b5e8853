"""The per-step budget counts CPU time: a loaded machine slows a step but does not time it out."""

from __future__ import annotations

import os
import time

import pytest

from derivcheck_steps.budget import TimedOut, Worker

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="budgets bind in forked workers")


def _spin(seconds: float) -> str:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    return "done"


def test_waiting_is_not_computing_so_a_short_cpu_budget_does_not_end_it():
    with Worker() as w:
        w.register("wait", lambda: time.sleep(0.6) or "woke")
        assert w.call("wait", 0.3) == "woke"  # 0.6 s of wall time, almost no CPU


def test_computing_past_the_cpu_budget_is_a_timeout_and_the_worker_serves_on():
    with Worker() as w:
        w.register("spin", lambda: _spin(3.0))
        w.register("quick", lambda: 41 + 1)
        start = time.monotonic()
        with pytest.raises(TimedOut, match="timed out after 0.5 s"):
            w.call("spin", 0.5)
        assert time.monotonic() - start < 3.0 * 10  # ended by the CPU timer, long before the backstop
        assert w.call("quick", 1.0) == 42  # a fresh worker answers the next call


def test_a_budget_restarts_for_each_call():
    with Worker() as w:
        w.register("spin", lambda: _spin(0.3))
        assert [w.call("spin", 0.6) for _ in range(3)] == ["done"] * 3  # 0.9 s in all, 0.3 s each
