"""Sums in the evaluator: the empty-sum convention for reversed bounds, dependent bounds outermost first."""

from __future__ import annotations

import sympy as sp

from derivcheck_steps import Context, Verdict, check_derivation, derivation
from derivcheck_steps import engine as engine_module
from derivcheck_steps.evaluate import EXACT, FLOAT, evaluate
from derivcheck_steps.symbolic import Proof

n, j, k = (sp.Symbol(s, integer=True, positive=True) for s in "njk")


def test_a_sum_whose_upper_bound_is_below_its_lower_bound_is_empty():
    s = sp.Sum(1, (k, n + 2, n))  # Karr's convention would give −1
    assert evaluate(s, {n: sp.Integer(3)}, EXACT) == 0
    assert evaluate(s, {n: 3}, FLOAT) == 0


def test_a_triangular_double_sum_counts_the_triangle():
    # Σ_{j=1}^{4} Σ_{k=1}^{j} 1 = 1 + 2 + 3 + 4 = 10
    s = sp.Sum(1, (k, 1, j), (j, 1, n))
    assert evaluate(s, {n: sp.Integer(4)}, EXACT) == 10


def test_a_value_of_the_inner_bound_in_scope_does_not_leak_into_the_sum():
    # j is bound by the outer sum: a value of j elsewhere (a free index j = 1) must not be used
    s = sp.Sum(1, (k, 1, j), (j, 1, n))
    assert evaluate(s, {n: sp.Integer(4), j: sp.Integer(1)}, EXACT) == 10


def _sum_context():
    ctx = Context("sums")
    (m,) = ctx.dims("n")
    jj, kk = ctx.index("j", m), ctx.index("k", m)
    return ctx, m, jj, kk


def test_triangular_sum_equals_n_n_plus_1_over_2():
    ctx, m, jj, kk = _sum_context()
    d = derivation("triangle", ctx)
    d.claim(sp.Eq(sp.Sum(1, (kk, 1, jj), (jj, 1, m)), m * (m + 1) / 2), by="count")
    assert check_derivation(d).steps[0].verdict in (Verdict.PROVED, Verdict.CHECKED)


def test_triangular_sum_with_the_bound_leaking_out_is_refuted_numerically(monkeypatch):
    # Σ_{j=1}^{n} Σ_{k=1}^{j} 1 = n·j is false (at n = 2, j = 1: 3 ≠ 2). The symbolic side is the
    # prove helper's: here it is disabled, so the verdict is what the numeric evidence says.
    monkeypatch.setattr(engine_module, "prove_zero", lambda e: Proof(False, "disabled", e, "prover disabled"))
    ctx, m, jj, kk = _sum_context()
    d = derivation("leak", ctx)
    d.claim(sp.Eq(sp.Sum(1, (kk, 1, jj), (jj, 1, m)), m * jj), by="count")
    assert check_derivation(d).steps[0].verdict == Verdict.REFUTED


def test_reversed_bounds_sum_is_zero_numerically(monkeypatch):
    monkeypatch.setattr(engine_module, "prove_zero", lambda e: Proof(False, "disabled", e, "prover disabled"))
    ctx, m, jj, kk = _sum_context()
    d = derivation("empty", ctx)
    d.claim(sp.Eq(sp.Sum(1, (kk, m + 2, m)), 0, evaluate=False), by="empty sum")
    d.claim(sp.Eq(sp.Sum(1, (kk, m + 2, m)), -1, evaluate=False), by="Karr")
    verdicts = [r.verdict for r in check_derivation(d).steps]
    assert verdicts == [Verdict.CHECKED, Verdict.REFUTED]
