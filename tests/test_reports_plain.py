"""Plain one-line mathematics for reports: what a person writes, not SymPy's ``x**2`` or ``A.T``."""

from __future__ import annotations

import sympy as sp

from derivcheck_steps import Context
from derivcheck_steps.plain import plain


def test_an_integer_power_is_a_superscript():
    x = sp.Symbol("x")
    assert plain(x**2) == "x²"


def test_a_subtraction_uses_the_minus_sign():
    x = sp.Symbol("x")
    assert plain(x - 1) == "x − 1"


def test_greek_names_are_letters_and_a_coefficient_is_juxtaposed():
    lam, w = sp.symbols("lambda w")
    assert plain(2 * lam * w) == "2λw"


def test_transpose_and_inverse_of_matrices():
    n = sp.Symbol("n", integer=True, positive=True)
    X, A = sp.MatrixSymbol("X", n, n), sp.MatrixSymbol("A", n, n)
    assert plain(X.T * X) == "XᵀX"
    assert plain(A.I) == "A⁻¹"
    assert plain(sp.Transpose(X * A)) == "(XA)ᵀ"


def test_square_roots():
    x = sp.Symbol("x", positive=True)
    assert plain(sp.sqrt(x)) == "√x"
    assert plain(sp.sqrt(x + 1)) == "√(x + 1)"


def test_a_sum_shows_its_bounds_as_scripts():
    j = sp.Symbol("j", integer=True)
    n = sp.Symbol("n", integer=True)
    w = sp.IndexedBase("w")
    assert plain(sp.Sum(w[j] ** 2, (j, 1, n))) == "Σⱼ₌₁ⁿ wⱼ²"


def test_declared_indexed_data_use_their_notation_and_a_power_gets_parentheses():
    ctx = Context("data")
    N, n = ctx.dims("N n")
    i, j = ctx.index("i", N), ctx.index("j", n)
    x = ctx.indexed("x", i, j, latex="x_{{{1}}}^{{({0})}}")
    assert plain(x[i, j], ctx) == "xⱼ⁽ⁱ⁾"
    assert plain(x[i, j] ** 2, ctx) == "(xⱼ⁽ⁱ⁾)²"


def test_multi_letter_names_are_joined_by_a_dot():
    assert plain(sp.Symbol("ab") * sp.Symbol("cd")) == "ab·cd"


def test_relations_use_their_signs():
    x = sp.Symbol("x")
    assert plain(sp.Le(x, 1, evaluate=False)) == "x ≤ 1"
    assert plain(sp.Eq(x, 1, evaluate=False)) == "x = 1"


def test_ascii_form_for_consoles_without_unicode():
    n = sp.Symbol("n", integer=True, positive=True)
    X = sp.MatrixSymbol("X", n, n)
    lam, x = sp.symbols("lambda x")
    assert plain(lam * x**2 - 1, unicode=False) == "lambda*x^2 - 1"
    assert plain(X.T * X, unicode=False) == "X^T*X"


def test_an_integer_too_long_for_str_is_named_by_its_size():
    x = sp.Symbol("x")
    text = plain(x + sp.Integer(10) ** 5000)  # Python's str() refuses more than 4,300 digits
    assert text == "x + an integer of about 5000 digits"
