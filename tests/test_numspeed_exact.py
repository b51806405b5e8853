"""Exact evaluation, compiled (flint rationals where all is rational): the walker's numbers and errors."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derivcheck_steps import compiled_exact as ce
from derivcheck_steps.evaluate import EXACT, Undefined, _check, _eval, evaluate
from derivcheck_steps.numeric import compare
from derivcheck_steps.sampling import Instance

x, y, lam = sp.symbols("x y lambda", real=True)
n = sp.Symbol("n", integer=True, positive=True)
j = sp.Symbol("j", integer=True)
a = sp.IndexedBase("a")
X = sp.MatrixSymbol("X", 3, 3)
w = sp.MatrixSymbol("w", 3, 1)
t = sp.MatrixSymbol("t", 3, 1)
R = sp.Rational


def _mat(rows: list[list[object]]) -> np.ndarray:
    return np.array([[sp.sympify(v) for v in row] for row in rows], dtype=object)


ENV = {
    x: R(3, 7),
    y: R(-2, 5),
    lam: R(1, 2),
    n: sp.Integer(4),
    a: np.array([R(1, 2), sp.Integer(2), R(-1, 3), R(5, 4)], dtype=object),
    X: _mat([[1, R(1, 2), 0], [2, 3, R(-1, 3)], [0, 1, 4]]),
    w: _mat([[1], [R(2, 3)], [-2]]),
    t: _mat([[R(1, 5)], [0], [3]]),
}


def _walked(expr: sp.Basic, env: dict) -> object:
    return _check(_eval(expr, env, EXACT, {}))


@pytest.mark.parametrize(
    "expr",
    [
        x**2 * y - 3 * x / (1 + y**2) + R(1, 3),
        sp.Sum(a[j] * x**j, (j, 1, n)) - sp.Sum(a[j], (j, 1, n)) ** 2 / n,
        sp.Float("0.0833333333333333") * x - x / 12,  # the decimal's own digits, never 1/12
        (X.T * X + lam * sp.Identity(3)).I * X.T * t,
        lam * w.T * w + (-t.T + w.T * X.T) * (X * w - t),
        sp.Trace(X * X.T) + sp.MatPow(X, 2)[0, 1],
    ],
)
def test_rational_expressions_give_the_walkers_numbers(expr: sp.Basic) -> None:
    got, want = evaluate(expr, ENV, EXACT), _walked(expr, ENV)
    if isinstance(want, np.ndarray):
        assert got.shape == want.shape and all(type(g) is type(v) and g == v for g, v in zip(got.flat, want.flat, strict=True))
    else:
        assert type(got) is type(want) and got == want


def test_irrational_values_are_left_to_sympy() -> None:
    env = {x: sp.sqrt(2), y: R(1, 2)}
    assert evaluate(x**2 + y, env, EXACT) == R(5, 2)
    assert evaluate(sp.sqrt(y) * x, env, EXACT) == 1
    assert evaluate(sp.log(y + 1) - sp.log(y + 1), env, EXACT) == 0


def test_poles_and_singular_inverses_are_the_walkers_errors() -> None:
    with pytest.raises(Undefined, match="pole"):
        evaluate(1 / (x - R(3, 7)), ENV, EXACT)
    singular = {X: _mat([[1, 2, 0], [2, 4, 0], [0, 0, 1]]), t: ENV[t]}
    with pytest.raises(Undefined, match="singular"):
        evaluate(X.I * t, singular, EXACT)
    with pytest.raises(Undefined, match="fractional power of a negative number"):
        evaluate(sp.sqrt(y), ENV, EXACT)


def test_rational_only_is_decided_from_the_tree() -> None:
    assert ce._rational_only(sp.Sum(a[j] ** 2, (j, 1, n)) / n + x)
    assert ce._rational_only((X * w).T * w + lam * t.T * t)
    assert not ce._rational_only(sp.exp(x) + 1)
    assert not ce._rational_only(sp.pi * x)
    assert not ce._rational_only(sp.binomial(n, 2) * x)


def test_a_wrong_matrix_step_is_still_refuted_exactly() -> None:
    """(X + I)ᵀ(X + I) written as XᵀX + I: the exact confirmation finds the missing Xᵀ + X."""
    rng = np.random.default_rng(5)
    instances = []
    for _ in range(6):
        m = np.array([[R(int(v), 4) for v in row] for row in rng.integers(-8, 9, size=(3, 3))], dtype=object)
        instances.append(Instance({X: m}, {X: m.astype(float)}, False))
    lhs = (X + sp.Identity(3)).T * (X + sp.Identity(3))
    out = compare(lhs, X.T * X + sp.Identity(3), instances)
    assert out.status == "counterexample"
    right = compare(lhs, X.T * X + X.T + X + sp.Identity(3), instances)
    assert right.status == "agree" and right.points == 6
