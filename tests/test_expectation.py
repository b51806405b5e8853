"""The exact expectation engine and the Monte Carlo cross-check."""

from __future__ import annotations

import sympy as sp

from checks import Context, Verdict, check_derivation, derivation
from checks.expectation import prove_equal_in_expectation
from checks.randomness import Bernoulli, E, Normal, Var


def _dropout():
    ctx = Context("d")
    (n,) = ctx.dims("n")
    j = ctx.index("j", n)
    w, x = ctx.indexed("w", j), ctx.indexed("x", j)
    p = ctx.scalar("p", interval=(0, 1))
    m = ctx.random("m", j, dist=Bernoulli(p))
    y = sp.Sum(m[j] * w[j] * x[j], (j, 1, n)) / p
    return ctx, n, j, w, x, p, m, y


def test_dropout_variance_holds_for_symbolic_n():
    ctx, n, j, w, x, p, m, y = _dropout()
    ok, _ = prove_equal_in_expectation(Var(y), (1 - p) / p * sp.Sum(w[j] ** 2 * x[j] ** 2, (j, 1, n)), ctx)
    assert ok


def test_wrong_variance_is_refuted_exactly_and_by_monte_carlo():
    ctx, n, j, w, x, p, m, y = _dropout()
    d = derivation("slip", ctx)
    d.chain(Var(y)).eq(p / (1 - p) * sp.Sum(w[j] ** 2 * x[j] ** 2, (j, 1, n)), by="slip")
    res = check_derivation(d).steps[0]
    assert res.verdict == Verdict.REFUTED
    mc = res.evidence.monte_carlo[0]
    assert mc["status"] == "disagree" and abs(mc["z"]) >= 6 and mc["seed"] is not None


def test_same_mask_at_symbolic_indices_is_not_silently_independent():
    # sympy.stats answers p² for E[m_j m_k]; that is wrong when j = k. derivcheck must not guess.
    ctx, n, j, w, x, p, m, y = _dropout()
    k = ctx.index("k", n)
    d = derivation("coincidence", ctx)
    d.chain(E(m[j] * m[k])).eq(p**2, by="independence?")
    res = check_derivation(d).steps[0]
    assert res.verdict != Verdict.PROVED
    assert "may be equal" in res.reason


def test_families_are_independent_only_where_declared():
    ctx = Context("two")
    (n,) = ctx.dims("n")
    j = ctx.index("j", n)
    a = ctx.random("a", j, dist=Normal(0, 1))
    b = ctx.random("b", j, dist=Normal(0, 1))
    d = derivation("indep", ctx)
    d.chain(E(a[j] * b[j])).eq(0, by="independence (not declared)")
    assert check_derivation(d).steps[0].verdict != Verdict.PROVED
    ctx.independent("a", "b")
    d2 = derivation("indep declared", ctx)
    d2.chain(E(a[j] * b[j])).eq(0, by="independence (declared)")
    assert check_derivation(d2).steps[0].verdict == Verdict.PROVED


def test_gaussian_fourth_moment():
    ctx = Context("g")
    (n,) = ctx.dims("n")
    j = ctx.index("j", n)
    s = ctx.scalar("s", positive=True)
    z = ctx.random("z", j, dist=Normal(0, s**2))
    assert prove_equal_in_expectation(E(z[j] ** 4), 3 * s**4, ctx)[0]
    assert not prove_equal_in_expectation(E(z[j] ** 4), s**4, ctx)[0]
