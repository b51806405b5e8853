"""Regressions from the blind corpus: random variables declared without indices, matrix equations with 0."""

from __future__ import annotations

from checks import Context, Cov, E, Moments, Var, Verdict, check_derivation, derivation


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
