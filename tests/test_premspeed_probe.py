"""The linear probe of premise points: parts free of the variable evaluated once, same values."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derivcheck_steps import Context, Verdict, check_derivation, derivation
from derivcheck_steps.errors import EvaluationError
from derivcheck_steps.evaluate import EXACT, evaluate
from derivcheck_steps.linear_probe import _solve_vector, as_function, point_satisfying, skeleton
from derivcheck_steps.sampling import draw_instances

R = sp.Rational


def _column(*values: object) -> np.ndarray:
    return np.array([[sp.sympify(v)] for v in values], dtype=object)


def _ridge() -> tuple[Context, sp.Basic, sp.MatrixSymbol, dict]:
    ctx = Context("ridge")
    lam = ctx.scalar("lambda", positive=True)
    x, t, w = ctx.matrix("X", 3, 2), ctx.vector("t", 3), ctx.vector("w", 2)
    d = (lam * sp.Identity(2) + x.T * x) * w - x.T * t
    env = {lam: R(1, 2), x: np.array([[1, 2], [3, 0], [2, 1]], dtype=object) * sp.Integer(1), t: _column(1, 0, 1), w: _column(0, 0)}
    return ctx, d, w, env


def test_the_parts_free_of_the_variable_become_placeholders() -> None:
    _, d, w, _ = _ridge()
    body, parts = skeleton(d, w)
    frozen = {part for _, part in parts}
    assert any(part.has(sp.Identity) for part in frozen)  # λI + XᵀX, evaluated once per instance
    assert all(w not in part.free_symbols for part in frozen)
    assert w in body.free_symbols


def test_a_probe_computes_exactly_what_the_whole_expression_gives() -> None:
    _, d, w, env = _ridge()
    f = as_function(d, w, env)
    for v in (_column(0, 0), _column(1, 0), _column(R(-3, 7), 5)):
        assert (f(v) == evaluate(d, {**env, w: v}, EXACT)).all()
    n, a, b, c = sp.symbols("N A B C", positive=True)
    alpha, beta = sp.symbols("alpha beta", positive=True)
    e = n ** (alpha + beta) - alpha * a / (beta * b) * (c / 6) ** beta
    at = {n: R(3, 2), b: 2, c: 7, alpha: R(17, 50), beta: R(7, 25)}
    g = as_function(e, a, at)
    for v in (sp.Integer(0), sp.Integer(2), R(5, 3)):
        assert g(v) == evaluate(e, {**at, a: v}, EXACT)  # the same SymPy number, not only equal


def test_a_part_undefined_at_the_instance_still_fails_each_probe() -> None:
    x, y = sp.symbols("x y")
    f = as_function(x + 1 / y, x, {y: sp.Integer(0)})
    with pytest.raises(EvaluationError):
        f(sp.Integer(1))


def test_the_ridge_normal_equations_are_solved_exactly() -> None:
    _, d, w, env = _ridge()
    sol = _solve_vector(d, w, env)
    xx = sp.Matrix([[1, 2], [3, 0], [2, 1]])
    expected = (xx.T * xx + R(1, 2) * sp.eye(2)).LUsolve(xx.T * sp.Matrix([1, 0, 1]))
    assert sp.Matrix(sol.tolist()) == expected


def test_a_singular_or_nonlinear_vector_equation_gives_no_point() -> None:
    ctx = Context("c")
    x, w, b = ctx.matrix("X", 2, 2), ctx.vector("w", 2), ctx.vector("b", 2)
    env = {x: np.array([[1, 2], [2, 4]], dtype=object) * sp.Integer(1), w: _column(0, 0), b: _column(1, 2)}
    assert _solve_vector(x * w - b, w, env) is None  # X singular
    assert _solve_vector(w[0, 0] * w - b, w, env) is None  # not affine in w
    env[x] = np.array([[1, 2], [2, 5]], dtype=object) * sp.Integer(1)
    assert sp.Matrix(_solve_vector(x * w - b, w, env).tolist()) == sp.Matrix([1, 0])


def test_a_scalar_root_is_found_and_checked() -> None:
    ctx = Context("c")
    x, y = ctx.scalar("x"), ctx.scalar("y", positive=True)
    inst = draw_instances(ctx, 1, 1, 0)[0]
    var, root = point_satisfying(y * x - 3 * y**2 + sp.sqrt(y), [x], inst)
    yv = inst.exact[y]
    assert var == x and sp.simplify(root - (3 * yv**2 - sp.sqrt(yv)) / yv) == 0


def test_an_equivalence_with_fractional_exponents_is_checked_both_ways() -> None:
    ctx = Context("chinchilla")
    n, c, a, b = (ctx.scalar(s, positive=True) for s in ("N", "C", "A", "B"))
    alpha, beta = ctx.scalar("alpha", positive=True), ctx.scalar("beta", positive=True)
    stationary = sp.Eq(-alpha * a * n ** (-alpha - 1) + beta * b * (c / 6) ** (-beta) * n ** (beta - 1), 0)
    d = derivation("optimum", ctx)
    d.chain(stationary).iff(sp.Eq(n ** (alpha + beta), alpha * a / (beta * b) * (c / 6) ** beta), by="rearrange")
    res = check_derivation(d).steps[0]
    assert res.verdict == Verdict.PROVED
    assert "⇒ at 6 points, ⇐ at 6" in res.evidence.numeric
    wrong = derivation("optimum, wrong exponent", ctx)
    wrong.chain(stationary).iff(sp.Eq(n ** (alpha + beta), alpha * a / (beta * b) * (c / 6) ** alpha), by="rearrange")
    assert check_derivation(wrong).steps[0].verdict == Verdict.REFUTED
