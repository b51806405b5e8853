"""A decimal is the exact rational its digits say, in every exact evaluation (never nsimplify)."""

from __future__ import annotations

import sympy as sp

from derivcheck_steps import Context, Verdict, check_derivation, derivation
from derivcheck_steps.evaluate import EXACT, evaluate


def test_a_decimal_evaluates_to_the_rational_of_its_digits():
    assert evaluate(sp.Float("0.0833333333333333"), {}, EXACT) == sp.Rational(833333333333333, 10**16)


def test_a_sixteen_digit_twelfth_is_not_a_twelfth():
    # x/12 − 0.0833333333333333·x = x (10¹⁶ − 12·833333333333333)/(12·10¹⁶) = x/(3·10¹⁶) ≠ 0
    ctx = Context("c")
    x = ctx.scalar("x")
    d = derivation("decimal", ctx)
    d.chain(x / 12).eq(sp.Float("0.0833333333333333") * x, by="numerically")
    res = check_derivation(d).steps[0]
    assert res.verdict == Verdict.REFUTED
    x0 = sp.Rational(res.counterexample["x"])
    _inputs, lhs, rhs = res.evidence.table[0]
    assert sp.Rational(lhs) - sp.Rational(rhs) == x0 / (3 * 10**16)


def test_a_decimal_approximation_of_a_root_is_not_the_root():
    # 4.123105625617661² = 17.000000000000001… ≠ 17
    assert sp.Rational("4.123105625617661") ** 2 != 17
    ctx = Context("c")
    d = derivation("root", ctx)
    d.claim(sp.Eq(sp.Float("4.123105625617661"), sp.sqrt(17), evaluate=False), by="calculator")
    assert check_derivation(d).steps[0].verdict == Verdict.REFUTED


def test_a_decimal_that_is_exactly_the_rational_is_accepted():
    ctx = Context("c")
    x = ctx.scalar("x")
    d = derivation("quarter", ctx)
    d.chain(x / 4).eq(sp.Float("0.25") * x, by="0.25 = 1/4")
    assert check_derivation(d).steps[0].verdict in (Verdict.PROVED, Verdict.CHECKED)
