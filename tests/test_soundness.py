"""The soundness contract: PROVED needs a symbolic argument, REFUTED needs an exact counterexample."""

from __future__ import annotations

import threading
import time

import sympy as sp

from derivcheck_steps import Context, Settings, Verdict, check_derivation, derivation
from derivcheck_steps import engine as engine_module
from derivcheck_steps.numeric import exact_nonzero
from derivcheck_steps.symbolic import Proof


def _one_step(before, after, ctx):
    d = derivation("one step", ctx)
    d.chain(before).eq(after, by="claim")
    return d


def test_numeric_agreement_without_a_proof_is_only_checked(monkeypatch):
    ctx = Context("c")
    x = ctx.scalar("x")
    d = _one_step((x + 1) ** 2, x**2 + 2 * x + 1, ctx)
    monkeypatch.setattr(engine_module, "prove_zero", lambda e: Proof(False, "disabled", e, "prover disabled"))
    res = check_derivation(d).steps[0]
    assert res.verdict == Verdict.CHECKED
    assert "numeric evidence only" in res.reason


def test_a_proof_contradicted_by_exact_evaluation_is_flagged_not_hidden(monkeypatch):
    ctx = Context("c")
    x = ctx.scalar("x")
    d = _one_step(x + 1, x + 2, ctx)
    monkeypatch.setattr(engine_module, "prove_zero", lambda e: Proof(True, "bogus prover"))
    res = check_derivation(d).steps[0]
    assert res.verdict == Verdict.UNKNOWN
    assert res.inconsistent and "CHECKER INCONSISTENCY" in res.reason
    assert res.is_failure(strict=False)


def test_float_cancellation_does_not_refute_a_true_identity():
    ctx = Context("c")
    x = ctx.scalar("x")
    big = sp.Integer(10) ** 12
    # In floats the left side loses every digit of the 1; in exact arithmetic it is 1.
    d = _one_step((big * x + 1) ** 2 - big**2 * x**2 - 2 * big * x, sp.Integer(1), ctx)
    res = check_derivation(d).steps[0]
    assert res.verdict == Verdict.PROVED


def test_exact_nonzero_uses_high_precision_for_irrationals():
    assert not exact_nonzero(sp.sqrt(2) * sp.sqrt(8) - 4)
    assert exact_nonzero(sp.sqrt(2) - sp.Rational(1414213562373095, 10**15))


def test_a_step_that_cannot_be_evaluated_is_unknown_with_a_reason():
    ctx = Context("c")
    x = ctx.scalar("x")
    d = _one_step(sp.gamma(x) * 0 + sp.Function("g")(x), sp.Function("g")(x) + 1, ctx)
    res = check_derivation(d).steps[0]
    assert res.verdict == Verdict.UNKNOWN
    assert res.reason


def test_undeclared_symbol_is_unknown_not_guessed():
    ctx = Context("c")
    x = ctx.scalar("x")
    y = sp.Symbol("y")
    res = check_derivation(_one_step(x + y, y + x, ctx)).steps[0]
    assert res.verdict == Verdict.UNKNOWN
    assert "not declared" in res.reason and "y" in res.reason


def test_time_budget_makes_a_slow_step_unknown_even_off_the_main_thread(monkeypatch):
    ctx = Context("c")
    x = ctx.scalar("x")
    d = _one_step(x, x, ctx)

    def slow(e):  # computes (uses CPU) for about 2 s: the budget counts CPU time
        end = time.process_time() + 2
        while time.process_time() < end:
            pass
        return Proof(True, "late")

    monkeypatch.setattr(engine_module, "prove_zero", slow)
    box = {}
    worker = threading.Thread(target=lambda: box.update(r=check_derivation(d, Settings(budget=0.2))))
    worker.start()
    worker.join(10)
    res = box["r"].steps[0]
    assert res.verdict == Verdict.UNKNOWN
    assert res.reason == "timed out after 0.2 s" and res.cause == "timeout"
    assert res.seconds < 1.5


def test_same_seed_same_counterexample_and_report():
    ctx = Context("c")
    n, = ctx.dims("n")
    A = ctx.matrix("A", n, n)
    d = _one_step(A * A.T, A.T * A, ctx)
    r1 = check_derivation(d, Settings(seed=7)).steps[0]
    r2 = check_derivation(d, Settings(seed=7)).steps[0]
    assert r1.verdict == r2.verdict == Verdict.REFUTED
    assert r1.counterexample == r2.counterexample


def test_powers_are_denested_only_for_positive_bases():
    from derivcheck_steps.symbolic import prove_zero

    x = sp.Symbol("x", real=True)
    y, a = sp.Symbol("y", positive=True), sp.Symbol("a", positive=True)
    assert not prove_zero(sp.sqrt(x**2) - x).proved  # false for x < 0
    assert not prove_zero((x**2) ** a - x ** (2 * a)).proved
    assert prove_zero(sp.sqrt(y**2) - y).proved
    assert prove_zero((y**2) ** a - y ** (2 * a)).proved
