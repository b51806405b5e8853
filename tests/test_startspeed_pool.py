"""-j N: each worker process checks its derivations with one budget process, not one per derivation."""

from __future__ import annotations

from derivcheck_steps import Context, Settings, derivation, parallel
from derivcheck_steps.discovery import Found
from derivcheck_steps.verdict import Verdict


def test_one_budget_process_serves_every_derivation_of_a_worker():
    ctx = Context("pool")
    x, y = ctx.scalar("x"), ctx.scalar("y")
    square = derivation("square", ctx)
    square.chain((x + y) ** 2).eq(x**2 + 2 * x * y + y**2, by="expand")
    slip = derivation("slip", ctx)
    slip.chain((x - y) ** 2).eq(x**2 + y**2, by="expand", expect="REFUTED")
    found = [Found(square, "pool", "square"), Found(slip, "pool", "slip")]
    settings = Settings(budget=30.0)
    parallel._INHERITED = {f.id: f for f in found}
    try:
        results = [parallel._check_one((None, f.id, settings, False)) for f in found]
        runner = parallel._RUNNERS.pop(settings)
        assert runner.worker is None or runner.worker.forks == 1
        runner.close()
    finally:
        parallel._INHERITED = None
    assert [r.steps[0].verdict for r in results] == [Verdict.PROVED, Verdict.REFUTED]
    assert all(r.derivation is None for r in results)
