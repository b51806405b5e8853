"""The compiled float evaluator gives the walker's floats bit for bit, and the walker's errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from derivcheck_steps import compiled as cp
from derivcheck_steps.errors import EvaluationError
from derivcheck_steps.evaluate import FLOAT, Samples, _check, _eval, evaluate

x, y, p = sp.symbols("x y p", real=True)
n, N = sp.symbols("n N", integer=True, positive=True)
i, j = sp.symbols("i j", integer=True)
w, t = sp.IndexedBase("w"), sp.IndexedBase("t")
X = sp.IndexedBase("X")
A = sp.MatrixSymbol("A", 3, 3)
v = sp.MatrixSymbol("v", 3, 1)


def _walked(expr: sp.Basic, env: dict) -> object:
    return _check(_eval(expr, env, FLOAT, {}))


def _same(a: object, b: object) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.asarray(a).shape == np.asarray(b).shape and np.array_equal(a, b) and np.asarray(a).dtype == np.asarray(b).dtype
    return type(a) is type(b) and (a == b or (math.isnan(a) and math.isnan(b)))


SCALARS = [
    x**2 * y - 3 * x / (1 + y**2) + sp.Rational(1, 3),
    sp.sqrt(x**2 + y**2) * sp.exp(-x) + sp.log(1 + y**2) - sp.sin(x) * sp.cos(y) + sp.tanh(x * y),
    sp.Abs(x - y) + sp.sign(x) * sp.pi + sp.E**x,
    (x + y) ** 3 - x**3 - 3 * x**2 * y - 3 * x * y**2 - y**3,  # zero up to rounding: the same rounding
    sp.Float("0.0833333333333333") * x - x / 12,
]


@pytest.mark.parametrize("expr", SCALARS)
def test_scalar_expressions_give_the_walkers_floats(expr: sp.Basic) -> None:
    rng = np.random.default_rng(0)
    for _ in range(40):
        env = {x: float(rng.normal() * 3), y: float(rng.normal() * 3)}
        assert _same(evaluate(expr, env, FLOAT), _walked(expr, env))


def test_sums_over_indexed_data_give_the_walkers_floats() -> None:
    loss = sp.Sum((t[i] - sp.Sum(w[j] * X[i, j], (j, 1, n))) ** 2, (i, 1, N)) / (2 * N)
    nested = sp.Sum(sp.Sum(w[j] ** 2, (j, 1, i)), (i, 1, n))  # dependent bounds, outermost first
    rng = np.random.default_rng(1)
    for _ in range(10):
        env = {n: 3, N: 4, w: rng.normal(size=3), t: rng.normal(size=4), X: rng.normal(size=(4, 3))}
        for expr in (loss, nested):
            assert _same(evaluate(expr, env, FLOAT), _walked(expr, env))
    assert evaluate(sp.Sum(w[j], (j, n + 2, n)), {n: 3, w: np.ones(3)}, FLOAT) == 0.0  # the empty sum


def test_monte_carlo_draws_give_the_walkers_arrays() -> None:
    m = sp.IndexedBase("m")
    arg = sp.Sum(m[i, j] * w[j] * X[i, j], (j, 1, n)) / p
    rng = np.random.default_rng(2)
    env = {
        n: 3,
        p: 0.7,
        w: rng.normal(size=3),
        X: rng.normal(size=(4, 3)),
        i: 2,
        m: Samples((rng.random((5000, 4, 3)) < 0.7).astype(float)),
    }
    got, want = evaluate(arg, env, FLOAT), _walked(arg, env)
    assert got.shape == (5000,) and _same(got, want)
    assert _same(evaluate(arg**2, env, FLOAT), _walked(arg**2, env))


def test_matrix_expressions_give_the_walkers_arrays() -> None:
    rng = np.random.default_rng(3)
    env = {A: rng.normal(size=(3, 3)) + 3 * np.eye(3), v: rng.normal(size=(3, 1)), x: 0.5}
    for expr in (
        A.T * A * v + x * v,
        A.I * v,
        sp.Trace(A * A.T) * x,
        (v.T * A * v)[0, 0] + x,
        sp.MatPow(A, 2) - sp.Identity(3) + sp.ZeroMatrix(3, 3),
    ):
        assert _same(evaluate(expr, env, FLOAT), _walked(expr, env))


def test_failures_are_the_walkers_errors() -> None:
    with pytest.raises(EvaluationError, match="fractional power of a negative number"):
        evaluate(sp.sqrt(x), {x: -1.0}, FLOAT)
    with pytest.raises(EvaluationError, match="division by zero"):
        evaluate(1 / x, {x: 0.0}, FLOAT)
    with pytest.raises(EvaluationError, match="no value for y"):
        evaluate(x + y, {x: 1.0}, FLOAT)
    with pytest.raises(EvaluationError, match="not finite"):
        evaluate(x * y, {x: 1e200, y: 1e200}, FLOAT)
    with pytest.raises(EvaluationError, match="not evaluable"):
        evaluate(sp.exp(x), {x: 1000.0}, FLOAT)


def test_unsupported_nodes_are_walked_inside_a_compiled_expression() -> None:
    expr = x * sp.binomial(n, 2) + sp.KroneckerDelta(i, j)
    env = {x: 0.5, n: 5, i: 1, j: 1}
    assert evaluate(expr, env, FLOAT) == _walked(expr, env) == 6.0
    assert cp.compiled(expr) is not None


def test_names_are_never_executed() -> None:
    """A symbol named like code is a name: nothing is printed as source, nothing is run."""
    evil = sp.Symbol("__import__('os').system('touch /tmp/numspeed_pwned')")
    expr = evil**2 + 1
    assert evaluate(expr, {evil: 2.0}, FLOAT) == 5.0
    import os

    assert not os.path.exists("/tmp/numspeed_pwned")


def test_each_expression_is_compiled_once() -> None:
    expr = sp.Sum(w[j] * x**j, (j, 1, n))
    first = cp.compiled(expr)
    assert first is not None and cp.compiled(expr) is first
