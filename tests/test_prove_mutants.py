"""The prover's mutant families (checks/mutants_prove.py): each makes the error it names, and
derivcheck does not accept the wrong (or vacuous) variant. Wrongness is argued by hand per test."""

from __future__ import annotations

import sympy as sp

from derivcheck_steps import Bernoulli, Context, E, Verdict, derivation, solve
from derivcheck_steps.engine import check_step
from derivcheck_steps.mutants_prove import (
    cancelled_factor,
    contradictory_hypotheses,
    periodic_solve,
    prove_mutants,
    reversed_bounds,
    sub_range,
    triangular_bounds,
)


def _verdict(d, step, mutant):
    return check_step(d, mutant.as_step(step)).verdict


def _pick(mutants, operator, contains=None):
    for m in mutants:
        if m.operator == operator and (contains is None or contains(m)):
            return m
    raise AssertionError(f"no mutant {operator!r} among {[m.operator for m in mutants]}")


def _linear():
    ctx = Context("lin")
    x = ctx.scalar("x")
    d = derivation("lin", ctx)
    d.chain(sp.Eq(2 * x, 2)).iff(sp.Eq(x, 1), by=solve(x))
    return d, d.steps[0], x


def test_multiplying_by_a_vanishing_factor_adds_a_solution_and_is_refuted():
    # x(x − 2) = x − 2 also holds at x = 2, where 2x = 2 fails
    d, step, x = _linear()
    m = _pick(cancelled_factor(d, step), "multiply both sides by a factor that may vanish",
              lambda m: m.expr.lhs.has(x - 2))
    assert _verdict(d, step, m) == Verdict.REFUTED


def test_dividing_by_a_factor_that_vanishes_at_the_solution_is_refuted():
    # x/(x − 1) = 1/(x − 1) has no solution (x = 1 is excluded), 2x = 2 has x = 1
    d, step, x = _linear()
    m = _pick(cancelled_factor(d, step), "divide both sides by a factor that may vanish",
              lambda m: m.expr.lhs.has(x - 1))
    assert _verdict(d, step, m) == Verdict.REFUTED


def test_periodic_premise_is_refuted():
    # sin x = sin(1) also at x = π − 1, where x = 1 fails
    d, step, x = _linear()
    m = _pick(periodic_solve(d, step), "periodic premise sin")
    assert m.before == sp.Eq(sp.sin(x), sp.sin(1))
    assert _verdict(d, step, m) == Verdict.REFUTED


def test_dependent_inner_bound_mutant_is_refuted():
    # Σ_{j=1}^{n} Σ_{k=1}^{j} 1 = n(n+1)/2 ≠ n² for n ≥ 2
    ctx = Context("rect")
    (n,) = ctx.dims("n")
    j, k = ctx.index("j", n), ctx.index("k", n)
    d = derivation("rect", ctx)
    d.claim(sp.Eq(sp.Sum(1, (k, 1, n), (j, 1, n)), n**2, evaluate=False), by="count")
    step = d.steps[0]
    m = _pick(triangular_bounds(d, step), "make the inner bound depend on the outer index")
    assert _verdict(d, step, m) == Verdict.REFUTED


def test_sub_range_of_centred_data_is_refuted():
    # E[Σ_{k=1}^{N−1} m_j x_j^{(k)}] = −p x_j^{(N)} by centring, not 0
    ctx = Context("centred")
    N, n = ctx.dims("N n")
    i, j = ctx.index("i", N), ctx.index("j", n)
    x = ctx.indexed("x", i, j)
    ctx.centred(x, i)
    p = ctx.scalar("p", interval=(0, 1))
    m = ctx.random("m", j, dist=Bernoulli(p))
    d = derivation("centred", ctx)
    d.claim(sp.Eq(E(sp.Sum(m[j] * x[i, j], (i, 1, N))), 0), by="centred columns")
    step = d.steps[0]
    mutant = _pick(sub_range(d, step), "drop the last term of a sum's range")
    assert _verdict(d, step, mutant) == Verdict.REFUTED


def test_karr_reversal_mutant_is_refuted():
    # −Σ_{k=n+1}^{0} k is an empty sum (0) under the empty-sum convention, not n(n+1)/2
    ctx = Context("karr")
    (n,) = ctx.dims("n")
    k = ctx.index("k", n)
    d = derivation("karr", ctx)
    d.claim(sp.Eq(sp.Sum(k, (k, 1, n)), n * (n + 1) / 2), by="Gauss")
    step = d.steps[0]
    m = _pick(reversed_bounds(d, step), "rewrite a sum by Karr's reversal")
    assert _verdict(d, step, m) == Verdict.REFUTED


def test_contradictory_hypothesis_mutant_is_not_proved():
    ctx = Context("q")
    q = ctx.scalar("q", positive=True)
    d = derivation("q", ctx)
    d.claim(sp.Gt(2 * q, 0, evaluate=False), by="twice a positive number")
    step = d.steps[0]
    (m,) = contradictory_hypotheses(d, step)
    assert m.vacuous and _verdict(d, step, m) == Verdict.UNKNOWN


def test_all_families_are_collected_once():
    d, step, x = _linear()
    ms = prove_mutants(d, step)
    assert {m.operator for m in ms} >= {"multiply both sides by a factor that may vanish", "periodic premise sin"}
    assert len({(sp.srepr(m.expr), sp.srepr(m.before)) for m in ms}) == len(ms)
