"""The numeric interpreter agrees between its float and exact backends and refuses what it cannot do."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derivcheck_steps.errors import EvaluationError
from derivcheck_steps.evaluate import EXACT, FLOAT, evaluate


def test_matrix_expression_float_and_exact_agree():
    n = sp.Symbol("n", integer=True, positive=True)
    A, b = sp.MatrixSymbol("A", n, n), sp.MatrixSymbol("b", n, 1)
    lam = sp.Symbol("lam", positive=True)
    expr = (A.T * A + lam * sp.Identity(n)).I * A.T * b
    a_val = np.array([[1, 2], [3, 4]], dtype=object) * sp.Integer(1)
    b_val = np.array([[1], [-1]], dtype=object) * sp.Integer(1)
    exact = evaluate(expr, {n: 2, A: a_val, b: b_val, lam: sp.Rational(1, 2)}, EXACT)
    floats = evaluate(expr, {n: 2, A: a_val.astype(float), b: b_val.astype(float), lam: 0.5}, FLOAT)
    assert np.allclose(exact.astype(float), floats)
    assert all(isinstance(v, sp.Rational) for v in exact.flat)


def test_sums_over_indexed_data():
    i, N = sp.Symbol("i", integer=True, positive=True), sp.Symbol("N", integer=True, positive=True)
    x = sp.IndexedBase("x")
    expr = sp.Sum(x[i] ** 2, (i, 1, N))
    assert evaluate(expr, {N: 3, x: np.array([1.0, 2.0, 3.0])}, FLOAT) == 14.0


def test_pole_and_unsupported_nodes_raise_evaluation_error():
    x = sp.Symbol("x")
    with pytest.raises(EvaluationError):
        evaluate(1 / x, {x: sp.Integer(0)}, EXACT)
    with pytest.raises(EvaluationError):
        evaluate(sp.Function("g")(x), {x: 1.0}, FLOAT)
    with pytest.raises(EvaluationError, match="no value"):
        evaluate(x + 1, {}, FLOAT)
