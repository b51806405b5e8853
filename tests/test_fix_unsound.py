"""Regressions from the blind corpus: random variables declared without indices, matrix equations with 0."""

from __future__ import annotations

import sympy as sp

from checks import Context, Cov, E, Moments, Var, Verdict, check_derivation, derivation, montecarlo


def _two_unindexed(independent: bool = False):
    ctx = Context("c")
    mx, my = ctx.scalar("mu_X"), ctx.scalar("mu_Y")
    sx, sy = ctx.scalar("sigma_X", positive=True), ctx.scalar("sigma_Y", positive=True)
    X = ctx.random("X", dist=Moments(mx, sx**2))
    Y = ctx.random("Y", dist=Moments(my, sy**2))
    if independent:
        ctx.independent("X", "Y")
    return ctx, X, Y


def test_dependent_unindexed_variables_are_not_sampled_independently():
    # Var[X+Y] = Var X + Var Y + Cov[X,Y] (a dropped factor 2) agrees if X and Y are drawn
    # independently (Cov = 0); they are not declared independent, so there is no evidence.
    ctx, X, Y = _two_unindexed()
    d = derivation("dropped 2", ctx)
    d.chain(Var(X + Y)).eq(Var(X) + Var(Y) + Cov(X, Y), by="slip")
    res = check_derivation(d).steps[0]
    assert res.verdict == Verdict.UNKNOWN
    assert "not declared independent" in res.reason
    assert all(mc["status"] == "none" for mc in res.evidence.monte_carlo)


def test_independent_unindexed_variables_still_get_monte_carlo():
    ctx, X, Y = _two_unindexed(independent=True)
    d = derivation("independent sum", ctx)
    d.chain(E(X * Y)).eq(E(X) * E(Y), by="independence")
    res = check_derivation(d).steps[0]
    assert res.verdict in (Verdict.PROVED, Verdict.CHECKED)
    assert res.evidence.monte_carlo[0]["status"] == "agree"


def test_monte_carlo_has_no_plug_in_bias_under_the_two_point_law():
    # The plug-in Var (and E[X]·E[X]) is biased by ∓Var/size; under the two-point law (x − x̄)² is
    # nearly constant, so that bias was several standard errors and contradicted PROVED steps.
    ctx = Context("c")
    mu, s = ctx.scalar("mu"), ctx.scalar("sigma", positive=True)
    X = ctx.random("X", dist=Moments(mu, s**2))
    for lhs, rhs, env in ((Var(X), s**2, {mu: 0.5, s: 1.3}), (E(X) ** 2, mu**2, {mu: 0.0, s: 1.3})):
        results = [montecarlo.check(lhs, rhs, ctx, env, seed) for seed in range(6)]
        assert all(r.status == "agree" for r in results), [(r.status, r.t) for r in results]
        assert abs(sum(r.t for r in results) / len(results)) < 2.0


def test_variance_of_an_average_is_proved_without_inconsistency():
    ctx = Context("avg")
    (n,) = ctx.dims("n")
    i = ctx.index("i", n)
    mu, s = ctx.scalar("mu"), ctx.scalar("sigma", positive=True)
    x = ctx.random("x", i, dist=Moments(mu, s**2))
    d = derivation("average", ctx)
    d.chain(Var(sp.Sum(x[i], (i, 1, n)) / n)).eq(s**2 / n, by="independence")
    res = check_derivation(d).steps[0]
    assert res.verdict == Verdict.PROVED and not res.inconsistent
