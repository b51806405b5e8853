"""Every instance is accounted for: a side undefined on one side only is a disagreement, never a skipped point."""

from __future__ import annotations

import sympy as sp

from derivcheck_steps import Context, Verdict, check_derivation, derivation
from derivcheck_steps import engine as engine_module
from derivcheck_steps.symbolic import Proof


def _step(before, after, ctx):
    d = derivation("one step", ctx)
    d.chain(before).eq(after, by="rewrite")
    return check_derivation(d).steps[0]


def _no_prover(monkeypatch):
    monkeypatch.setattr(engine_module, "prove_zero", lambda e: Proof(False, "disabled", e, "prover disabled"))


def test_splitting_a_root_of_a_product_of_reals_is_refuted_at_negative_values():
    # At x = y = -1 the left side is √1 = 1 while √x is not real: the step is false for reals.
    ctx = Context("c")
    x, y = ctx.scalar("x"), ctx.scalar("y")
    res = _step(sp.sqrt(x * y), sp.sqrt(x) * sp.sqrt(y), ctx)
    assert res.verdict == Verdict.REFUTED
    point = {k: sp.Rational(v) for k, v in res.counterexample.items()}
    assert point["x"] < 0 or point["y"] < 0


def test_log_of_a_square_as_twice_the_log_is_refuted_at_a_negative_x():
    # log(x²) is defined at x = -1 (it is 0), 2 log x is not.
    ctx = Context("c")
    x = ctx.scalar("x")
    res = _step(sp.log(x**2), 2 * sp.log(x), ctx)
    assert res.verdict == Verdict.REFUTED
    assert sp.Rational(res.counterexample["x"]) < 0
    assert "undefined" in res.reason


def test_splitting_a_root_is_not_refuted_for_positive_reals():
    ctx = Context("c")
    x, y = ctx.scalar("x", positive=True), ctx.scalar("y", positive=True)
    res = _step(sp.sqrt(x * y), sp.sqrt(x) * sp.sqrt(y), ctx)
    assert res.verdict in (Verdict.PROVED, Verdict.CHECKED)


def test_a_complex_intermediate_does_not_make_a_real_value():
    # √x·√(x+1) at x = -2 multiplies two non-real numbers; √(x² + x) = √2 is real: the step fails.
    # (-1 < x < 0: both sides undefined, no evidence)
    ctx = Context("c")
    x = ctx.scalar("x")
    res = _step(sp.sqrt(x) * sp.sqrt(x + 1), sp.sqrt(x**2 + x), ctx)
    assert res.verdict == Verdict.REFUTED
    assert sp.Rational(res.counterexample["x"]) <= -1  # at x = -1: √(-1)·0 is undefined, √0 is 0


def test_points_where_both_sides_are_undefined_are_reported_as_no_evidence(monkeypatch):
    # log x + log x = 2 log x: both sides are undefined exactly where x < 0, and the report says so.
    _no_prover(monkeypatch)
    ctx = Context("c")
    x = ctx.scalar("x")
    d = derivation("logs", ctx)
    d.chain(sp.log(x) + sp.log(3 * x)).eq(2 * sp.log(x) + sp.log(3), by="log rule")
    res = check_derivation(d).steps[0]
    assert res.verdict != Verdict.REFUTED
    assert "no evidence where x < 0: both sides undefined" in (res.evidence.numeric or "") + res.reason


def test_too_few_evaluable_points_is_unknown_not_checked(monkeypatch):
    # Both sides need x > 50, which random instances of a real x almost never reach.
    _no_prover(monkeypatch)
    ctx = Context("c")
    x = ctx.scalar("x")
    res = _step(sp.log(x - 50) + sp.log(x - 50), 2 * sp.log(x - 50), ctx)
    assert res.verdict == Verdict.UNKNOWN
    assert "could be evaluated" in res.reason and "both sides undefined" in res.reason


def test_a_product_in_the_wrong_order_is_a_shape_error_at_every_size():
    # w = Xᵀy (XᵀX)⁻¹: an n×1 vector times an n×n matrix is ill-typed (unless n = 1).
    ctx = Context("m")
    N, n = ctx.dims("N n")
    X, y, w = ctx.matrix("X", N, n), ctx.vector("y", N), ctx.vector("w", n)
    ctx.invertible(X.T * X, because="full column rank")
    res = _step(w, X.T * y * (X.T * X).I, ctx)
    assert res.verdict == Verdict.UNKNOWN
    assert "ill-typed product" in res.reason and "n×1" in res.reason and "n×n" in res.reason


def test_sides_of_different_shapes_are_an_error_not_skipped_points():
    ctx = Context("m")
    (n,) = ctx.dims("n")
    w = ctx.vector("w", n)
    res = _step(w, w.T, ctx)
    assert res.verdict == Verdict.UNKNOWN
    assert "the two sides have different shapes: n×1 vs 1×n" in res.reason


def test_the_coverage_of_a_checked_step_is_reported(monkeypatch):
    _no_prover(monkeypatch)
    ctx = Context("c")
    x = ctx.scalar("x")
    res = _step((x + 1) ** 2, x**2 + 2 * x + 1, ctx)
    assert res.verdict == Verdict.CHECKED
    assert res.evidence.numeric.startswith("agrees at 6 instances")
