"""Reading per-example vectors into objects the evaluator can value, and the messages of their declarations."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from doc_check import declaration_scope

from derivcheck_steps.errors import InputError
from derivcheck_steps.evaluate import EXACT, FLOAT, evaluate
from derivcheck_steps.latex.declarations import DeclarationScope
from derivcheck_steps.latex.formulas import LatexInputError, parse_formula

_FAMILY = ("dims N d", "index i N", "vector w d", "vector x d per i", "data y i")


def _env(state: DeclarationScope, exact: bool) -> dict:
    names = state.notation.names
    n, d = names["N"], names["d"]
    x = next(b for b in state.ctx.data if str(b) == "x")
    y = next(b for b in state.ctx.data if str(b) == "y")
    xs = [[1, 2, -1], [0, 3, 2]]
    num = sp.Integer if exact else float
    return {n: num(2), d: num(3), names["w"]: np.array([[num(1)], [num(-2)], [num(1)]], dtype=object if exact else float),
            x: np.array([[num(v) for v in row] for row in xs], dtype=object if exact else float),
            y: np.array([num(1), num(0)], dtype=object if exact else float)}


def test_x_i_and_x_superscript_i_are_the_same_vector() -> None:
    state = declaration_scope(*_FAMILY)
    a = parse_formula(r"\sum_{i=1}^{N} y_i x_i", state.notation)
    b = parse_formula(r"\sum_{i=1}^{N} y_i x^{(i)}", state.notation)
    assert a == b and a.shape == (state.notation.names["d"], 1)


@pytest.mark.parametrize("exact", [True, False])
def test_sums_of_per_example_outer_products_evaluate_to_the_explicit_matrix(exact: bool) -> None:
    state = declaration_scope(*_FAMILY)
    value = parse_formula(r"\sum_{i=1}^{N} (w^\top x_i)\, x_i x_i^\top", state.notation)
    got = evaluate(value, _env(state, exact), EXACT if exact else FLOAT)
    xs = np.array([[1, 2, -1], [0, 3, 2]], dtype=float)
    w = np.array([1, -2, 1], dtype=float)
    want = sum((w @ xi) * np.outer(xi, xi) for xi in xs)
    assert np.allclose(np.asarray(got, dtype=float), want)


def test_vector_entries_with_an_index_bound_by_a_sum_evaluate() -> None:
    state = declaration_scope("dims K", "index j K", "vector z K", "vector y K")
    value = parse_formula(r"\sum_{j=1}^{K} y_j z_j^2", state.notation)
    names = state.notation.names
    env = {names["K"]: sp.Integer(2), names["z"]: np.array([[sp.Integer(3)], [sp.Integer(-1)]], dtype=object),
           names["y"]: np.array([[sp.Integer(2)], [sp.Integer(5)]], dtype=object)}
    assert evaluate(value, env, EXACT) == 2 * 9 + 5 * 1


def test_a_1x1_product_in_a_scalar_position_is_a_scalar() -> None:
    state = declaration_scope("dims d", "vector w d", "vector x d", "scalar t")
    value = parse_formula(r"(w^\top x - t)^2 + t", state.notation)
    assert not isinstance(value, sp.MatrixExpr)


@pytest.mark.parametrize(("declaration", "says"), [
    ("vector x d per q", "'q' is not a declared index (index q N)"),
    ("vector x 3 per i", "the size must be a declared dimension"),
    ("vector x d per", "one vector of that size for each value of the index"),
])
def test_a_bad_per_example_declaration_says_what_to_write(declaration: str, says: str) -> None:
    with pytest.raises(InputError) as err:
        declaration_scope("dims N d", "index i N", declaration)
    assert says in str(err.value)


def test_a_per_example_vector_written_as_a_power_says_what_it_is() -> None:
    state = declaration_scope(*_FAMILY)
    with pytest.raises(LatexInputError) as err:
        parse_formula(r"x^{(i)2}", state.notation)
    assert "is a vector" in err.value.message and "Entries" not in err.value.message


def test_a_derivative_in_something_that_is_not_a_name_says_what_is_read() -> None:
    state = declaration_scope("dims K", "index m K", "vector z K", "scalar a")
    with pytest.raises(LatexInputError) as err:
        parse_formula(r"\frac{\partial}{\partial (a + 1)} a^2", state.notation)
    assert "an entry z_k of a declared vector" in err.value.message
