"""Monte Carlo evidence only under what is declared: joint laws, every law with given moments, rare events, tails."""

from __future__ import annotations

import sympy as sp

from derivcheck_steps import Bernoulli, Context, E, Moments, Normal, Verdict, check_derivation, derivation, montecarlo


def _families(independent: bool):
    ctx = Context("mc")
    (n,) = ctx.dims("n")
    j = ctx.index("j", n)
    p = ctx.scalar("p", interval=(0, 1))
    m = ctx.random("m", j, dist=Bernoulli(p))
    pi = ctx.random("pi", j, dist=Normal(1, 2))
    if independent:
        ctx.independent("m", "pi")
    return ctx, m, pi, j


def _claim(ctx, statement):
    d = derivation("claim", ctx)
    d.claim(statement, by="expectation")
    return check_derivation(d).steps[0]


def test_undeclared_independence_is_not_sampled_as_independence():
    ctx, m, pi, j = _families(independent=False)
    res = _claim(ctx, sp.Eq(E(m[j] * pi[j]), E(m[j]) * E(pi[j])))
    assert res.verdict == Verdict.UNKNOWN
    assert "not declared independent" in res.reason


def test_declared_independence_factorises_the_expectation():
    ctx, m, pi, j = _families(independent=True)
    res = _claim(ctx, sp.Eq(E(m[j] * pi[j]), E(m[j]) * E(pi[j])))
    assert res.verdict in (Verdict.PROVED, Verdict.CHECKED)


def _moments():
    ctx = Context("moments")
    (n,) = ctx.dims("n")
    j = ctx.index("j", n)
    s = ctx.scalar("s", positive=True)
    return ctx, ctx.random("Y", j, dist=Moments(0, s)), j, s


def test_a_normal_fourth_moment_is_not_evidence_for_any_law_with_these_moments():
    # E[Y⁴] = 3s² holds for a normal Y only: for Y = ±√s it is s²
    ctx, Y, j, s = _moments()
    res = _claim(ctx, sp.Eq(E(Y[j] ** 4), 3 * s**2))
    assert res.verdict not in (Verdict.PROVED, Verdict.CHECKED)
    assert "two-point" in res.reason


def test_monte_carlo_disagrees_under_the_two_point_law():
    ctx, Y, j, s = _moments()
    r = montecarlo.check(E(Y[j] ** 4), 3 * s**2, ctx, {s: 2.0, j: 1, sp.Symbol("n", integer=True, positive=True): 2}, 1)
    assert r.status == "disagree" and "two-point" in r.reason


def test_a_second_moment_agrees_under_every_law_with_these_moments():
    ctx, Y, j, s = _moments()
    (n,) = ctx.dims_
    r = montecarlo.check(E(Y[j] ** 2), s, ctx, {s: 2.0, j: 1, n: 2}, 3)
    assert r.status == "agree"
    assert all(law in r.reason for law in ("normal", "two-point", "skewed"))


def test_an_event_too_rare_to_be_drawn_gives_no_monte_carlo_verdict():
    # p = 10⁻⁶: E[10⁷ m] = 10, but no batch of feasible size draws m = 1 often enough to see it
    ctx = Context("rare")
    (n,) = ctx.dims("n")
    j = ctx.index("j", n)
    m = ctx.random("m", j, dist=Bernoulli(sp.Rational(1, 10**6)))
    r = montecarlo.check(E(10**7 * m[j]), sp.Integer(0), ctx, {n: 2, j: 1}, 5)
    assert r.status == "none" and "rarer outcome" in r.reason
    res = _claim(ctx, sp.Eq(E(10**7 * m[j]), 0))
    assert res.verdict == Verdict.REFUTED  # by the exact engine: E[10⁷ m] = 10⁷·10⁻⁶ = 10


def _normal():
    ctx = Context("heavy")
    (n,) = ctx.dims("n")
    j = ctx.index("j", n)
    return ctx, ctx.random("X", j, dist=Normal(0, 1)), j, n


def test_a_heavy_tailed_integrand_gives_no_verdict_rather_than_a_false_alarm():
    # E[X⁶⁰] = 59!! for a standard normal X; one draw dominates every batch
    ctx, X, j, n = _normal()
    statuses = {montecarlo.check(E(X[j] ** 60), sp.factorial2(59), ctx, {n: 2, j: 1}, seed).status
                for seed in range(5)}
    assert statuses == {"none"}


def test_a_true_heavy_moment_claim_is_not_a_checker_inconsistency():
    ctx, X, j, n = _normal()
    res = _claim(ctx, sp.Eq(E(X[j] ** 60), sp.factorial2(59)))
    assert res.verdict == Verdict.PROVED and not res.inconsistent


def test_a_fourth_moment_is_still_estimated():
    ctx, X, j, n = _normal()
    assert montecarlo.check(E(X[j] ** 4), sp.Integer(3), ctx, {n: 2, j: 1}, 11).status == "agree"
    assert montecarlo.check(E(X[j] ** 4), sp.Integer(4), ctx, {n: 2, j: 1}, 11).status == "disagree"
