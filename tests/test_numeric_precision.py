"""Zeros and signs are decided relative to the sides' size, at rising precision, never from a digit-less number."""

from __future__ import annotations

import sympy as sp

from derivcheck_steps import Context, Verdict, check_derivation, derivation
from derivcheck_steps.precision import compare_exact, sign


def _claim(statement):
    d = derivation("claim", Context("c"))
    d.claim(statement, by="known identity")
    return check_derivation(d).steps[0]


def _step(before, after, ctx):
    d = derivation("step", ctx)
    d.chain(before).eq(after, by="identity")
    return check_derivation(d).steps[0]


def test_tanh_identity_with_huge_sides_is_not_refuted():
    # (e^{2x} + 1) tanh x = e^{2x} − 1: at x ≈ 150 both sides are about e³⁰⁰ and their exact
    # difference, 0, comes back from 50-digit evaluation as a digit-less number of size ~e²⁰⁰
    ctx = Context("c")
    x = ctx.scalar("x", interval=(100, 200))
    res = _step((sp.exp(2 * x) + 1) * sp.tanh(x), sp.exp(2 * x) - 1, ctx)
    assert res.verdict in (Verdict.PROVED, Verdict.CHECKED) and not res.inconsistent


def test_tanh_identity_as_a_step_is_not_refuted():
    ctx = Context("c")
    x = ctx.scalar("x")
    res = _step(sp.tanh(x), (sp.exp(2 * x) - 1) / (sp.exp(2 * x) + 1), ctx)
    assert res.verdict in (Verdict.PROVED, Verdict.CHECKED) and not res.inconsistent


def test_product_of_cosines_of_sevenths_is_minus_an_eighth():
    # classical: cos(π/7)cos(2π/7)cos(4π/7) = −1/8 (multiply by 8 sin(π/7) and use sin 2a = 2 sin a cos a)
    res = _claim(sp.Eq(sp.cos(sp.pi / 7) * sp.cos(2 * sp.pi / 7) * sp.cos(4 * sp.pi / 7), sp.Rational(-1, 8),
                       evaluate=False))
    assert res.verdict in (Verdict.PROVED, Verdict.CHECKED) and not res.inconsistent


def test_triple_angle_identity_scaled_by_ten_to_the_200_is_not_inconsistent():
    ctx = Context("c")
    x = ctx.scalar("x")
    big = sp.Integer(10) ** 200
    res = _step(big * sp.sin(3 * x), big * (3 * sp.sin(x) - 4 * sp.sin(x) ** 3), ctx)
    assert res.verdict in (Verdict.PROVED, Verdict.CHECKED) and not res.inconsistent


def test_tiny_sides_that_differ_by_a_factor_two_differ():
    # e^(−100−x²) and 2e^(−100−x²): below any absolute threshold, but their ratio is 2
    ctx = Context("c")
    x = ctx.scalar("x")
    res = _step(sp.exp(-100 - x**2), 2 * sp.exp(-100 - x**2), ctx)
    assert res.verdict == Verdict.REFUTED


def test_a_digitless_zero_is_zero_only_relative_to_the_sides():
    zero = sp.sin(1) ** 2 + sp.cos(1) ** 2 - 1  # evalf gives no correct digit of it
    assert sign(zero) is None  # nothing to compare it with: undecided
    assert compare_exact(sp.sin(1) ** 2 + sp.cos(1) ** 2, 1) == 0


def test_a_tiny_true_difference_is_resolved():
    assert compare_exact(sp.sin(1) ** 2 + sp.cos(1) ** 2 + sp.Rational(1, 10**60), 1) == 1
    assert compare_exact(sp.exp(-100), 2 * sp.exp(-100)) == -1
