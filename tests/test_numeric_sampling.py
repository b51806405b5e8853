"""The sampler's blind spots: small sizes only, dyadic values only, one sign pattern only."""

from __future__ import annotations

from fractions import Fraction

import sympy as sp

from derivcheck_steps import Context, Verdict, check_derivation, derivation
from derivcheck_steps.sampling import draw_instances


def _claim(ctx, statement):
    d = derivation("claim", ctx)
    d.claim(statement, by="for every n")
    return check_derivation(d).steps[0]


def test_a_polynomial_identity_true_only_up_to_n_4_is_refuted():
    # n² + (n−1)(n−2)(n−3)(n−4) = n² holds for n = 1, 2, 3, 4 only (at n = 5 the product is 24)
    ctx = Context("c")
    (n,) = ctx.dims("n")
    res = _claim(ctx, sp.Eq(n**2 + (n - 1) * (n - 2) * (n - 3) * (n - 4), n**2))
    assert res.verdict == Verdict.REFUTED
    assert int(res.counterexample["n"]) >= 5


def test_some_sizes_reach_twelve():
    ctx = Context("c")
    (n,) = ctx.dims("n")
    sizes = {int(i.exact[n]) for i in draw_instances(ctx, 1, 30, 3)}
    assert 9 <= max(sizes) <= 12  # the usual range is 1..4; every third random instance draws 5..12


def test_an_inequality_failing_only_at_one_third_is_refuted():
    # (3x − 1)² > 0 fails at x = 1/3 only; no dyadic rational is 1/3
    ctx = Context("c")
    x = ctx.scalar("x")
    res = _claim(ctx, sp.StrictGreaterThan((3 * x - 1) ** 2, 0, evaluate=False))
    assert res.verdict == Verdict.REFUTED
    assert sp.Rational(res.counterexample["x"]) == sp.Rational(1, 3)


def test_an_inequality_failing_in_a_narrow_window_around_one_third_is_refuted():
    # (3x − 1)² ≥ 10⁻⁸ fails for |x − 1/3| < 10⁻⁴/3, a window no k/64 or k/32 falls in
    ctx = Context("c")
    x = ctx.scalar("x")
    res = _claim(ctx, sp.GreaterThan((3 * x - 1) ** 2, sp.Rational(1, 10**8), evaluate=False))
    assert res.verdict == Verdict.REFUTED


def test_values_include_odd_denominators():
    ctx = Context("c")
    x = ctx.scalar("x")
    dens = {Fraction(str(i.exact[x])).denominator for i in draw_instances(ctx, 3, 12, 3)}
    assert dens & {3, 5, 7, 9}


def test_two_free_signs_meet_every_sign_pattern_in_six_instances():
    ctx = Context("c")
    x, y = ctx.scalar("x"), ctx.scalar("y")
    for seed in range(5):
        pats = {(bool(i.exact[x] < 0), bool(i.exact[y] < 0)) for i in draw_instances(ctx, seed, 6, 3)}
        assert len(pats) == 4, (seed, pats)


def test_declared_invertible_matrices_are_invertible_at_every_instance():
    ctx = Context("m")
    (n,) = ctx.dims("n")
    A = ctx.matrix("A", n, n)
    ctx.invertible(A, because="given")
    for inst in draw_instances(ctx, 5, 20, 3):
        assert sp.Matrix(inst.exact[A].tolist()).det() != 0
