"""The solver-free roots of premise_points (rational functions of one variable with rational
coefficients, numerator of degree ≤ 2 with rational roots) are solveset's roots, in its order."""

from __future__ import annotations

import random

import sympy as sp

from derivcheck_steps.premise_points import _members, _rational_members


def _kept(dd: sp.Expr, v: sp.Symbol, roots: list) -> list:
    """The roots exact_roots keeps: real ones at which dd is exactly zero."""
    return [r for r in roots if r.is_real and sp.simplify(dd.xreplace({v: r})).is_zero is True]


def test_fast_roots_are_solvesets_roots() -> None:
    rng = random.Random(3)

    def q() -> sp.Rational:
        return sp.Rational(rng.randint(-9, 9), rng.randint(1, 5))

    compared = 0
    for v in (sp.Symbol("x"), sp.Symbol("p", positive=True)):
        for _ in range(25):
            a, b, c, d = q(), q(), q(), q()
            for dd in (a - (1 - v) / v, a * v + b, a * v**2 + b * v + c, (v - a) * (v - b), a / (b * v + c) + d,
                       (v - a) * (v - b) / (v - a), v**2 - a**2, a - b / (c - d / v), (v**2 - a) / (v - b)):
                if dd.free_symbols != {v}:
                    continue
                fast = _rational_members(dd, v)
                if fast is None:
                    continue
                compared += 1
                assert _kept(dd, v, fast) == _kept(dd, v, _members(sp.solveset(dd, v, sp.S.Reals))), dd
    assert compared > 200


def test_a_pole_of_the_written_form_is_not_a_root() -> None:
    p = sp.Symbol("p", positive=True)
    dd = 3 / (2 + 1 / (2 * p))  # together: 6p/(4p + 1), zero at p = 0 where 1/(2p) is undefined
    assert _rational_members(dd, p) == []


def test_out_of_scope_equations_are_left_to_solveset() -> None:
    x = sp.Symbol("x")
    assert _rational_members(x**2 - 2, x) is None  # irrational roots: solveset's radicals
    assert _rational_members(sp.sin(x) - 1, x) is None
    assert _rational_members(x**3 - 1, x) is None
    assert _rational_members(x - sp.pi, x) is None
