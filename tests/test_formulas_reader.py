"""The reader's rules: located errors that say what to write, exact numbers, names only as declared,
powers too large to evaluate refused, relations, and optimisation over a declared scalar."""

from __future__ import annotations

import textwrap

import pytest
import sympy as sp

from derivcheck_steps import Context, Verdict, check_derivation, derivation
from derivcheck_steps.cli import main
from derivcheck_steps.latex.formulas import Approx, LatexInputError, Notation, parse_formula
from derivcheck_steps.latex.tokens import TokenError, tokenize


def _notation() -> tuple[Notation, dict[str, sp.Basic]]:
    ctx = Context("r")
    n, = ctx.dims("n")
    names = {"x": ctx.scalar("x"), "y": ctx.scalar("y", positive=True), "w": ctx.vector("w", n),
             "A": ctx.matrix("A", n, n)}
    return Notation(ctx), names


# -- tokens --------------------------------------------------------------------------------------

def test_an_unclosed_brace_says_where_it_was_opened():
    with pytest.raises(TokenError, match=r"unclosed '\{' opened at column 13"):
        tokenize(r"x + \frac{1}{2")


def test_left_and_right_must_pair():
    with pytest.raises(TokenError, match=r"'\\left\(' opened at column 1 has no '\\right'"):
        tokenize(r"\left( x + 1")


def test_spacing_and_sizing_commands_leave_no_tokens():
    assert [t.text for t in tokenize(r"a \, \big( b \quad \Big) \displaystyle c")] == ["a", "(", "b", ")", "c"]


def test_tokens_keep_their_columns():
    assert [(t.text, t.column) for t in tokenize(r"x + \alpha")] == [("x", 1), ("+", 3), (r"\alpha", 5)]


# -- messages that lead to the fix ------------------------------------------------------------------

def test_an_undeclared_greek_name_with_a_subscript_says_what_to_declare():
    notation, _ = _notation()
    with pytest.raises(LatexInputError) as err:
        parse_formula(r"x + \sigma_w", notation)
    assert r"`\sigma_w` is not declared: add `% derivcheck: scalar \sigma_w`" in err.value.message


def test_the_d_of_a_derivative_is_never_an_undeclared_symbol():
    notation, names = _notation()
    assert parse_formula(r"\frac{d}{dx} x^2", notation) == 2 * names["x"]


def test_an_unknown_declaration_suggests_the_nearest_word(tmp_path, capsys):
    path = tmp_path / "typo.tex"
    path.write_text(textwrap.dedent(r"""
        \section{Typo}
        % derivcheck: context typo
        % derivcheck: dims n
        % derivcheck: matirx A n n
        \[ A = A \]
        """), encoding="utf-8")
    assert main(["check", str(path)]) == 2
    out, err = capsys.readouterr()  # an UNKNOWN step at the declaration's line
    assert "unknown declaration 'matirx' — did you mean 'matrix'?" in out + err


@pytest.mark.parametrize("src", [r"w w", r"A + x", r"\frac{x}{A}", r"\sqrt{w}", r"x^{\frac12 + ", r"\sum_q x"])
def test_messages_carry_no_parser_or_sympy_internals(src):
    notation, _ = _notation()
    with pytest.raises(LatexInputError) as err:
        parse_formula(src, notation)
    message = err.value.message
    assert not any(word in message for word in ("Traceback", "sympy", "ShapeError", "MatMul", "antlr", "Token("))
    assert "column" in message  # located


def test_an_ill_typed_product_is_a_located_shape_error():
    notation, _ = _notation()
    with pytest.raises(LatexInputError, match=r"shapes do not match: a n×1 matrix times a n×1 matrix \(at column 3"):
        parse_formula(r"w w", notation)


# -- numbers and names ---------------------------------------------------------------------------

def test_a_decimal_is_the_exact_rational_its_digits_say():
    notation, _ = _notation()
    assert parse_formula("0.0833333333333333", notation) == sp.Rational(833333333333333, 10**16)
    assert parse_formula(".4", notation) == sp.Rational(2, 5)


def test_two_numbers_side_by_side_are_an_error_not_a_product():
    notation, _ = _notation()
    with pytest.raises(LatexInputError, match="two numbers side by side"):
        parse_formula("2 3", notation)  # TeX typesets it as 23


def test_e_is_eulers_number_only_as_a_power_or_upright_unless_declared():
    notation, names = _notation()
    assert parse_formula(r"e^{x}", notation) == sp.exp(names["x"])
    assert parse_formula(r"\mathrm{e}", notation) == sp.E
    with pytest.raises(LatexInputError, match="`e` is not declared"):
        parse_formula(r"2 e", notation)
    ctx = Context("e declared")
    e = ctx.scalar("e")
    assert parse_formula(r"e^{2}", Notation(ctx)) == e**2


def test_the_imaginary_unit_and_eulers_gamma_are_never_assumed():
    notation, _ = _notation()
    for src in ("I x", r"\gamma"):
        with pytest.raises(LatexInputError, match="not declared"):
            parse_formula(src, notation)


def test_declared_matrices_keep_their_transposes():
    notation, names = _notation()
    w, A = names["w"], names["A"]
    assert parse_formula(r"w^T A^\top w", notation) == w.T * A.T * w
    assert parse_formula(r"w^T A^\top w", notation) != w.T * A * w


# -- powers too large to evaluate while reading ---------------------------------------------------

@pytest.mark.parametrize("src", [r"10^{10^{7}}", r"2^{2^{2^{2^{2}}}}", r"x^{50000000}", r"(x + 1)^{50000000}"])
def test_astronomical_powers_are_refused_with_a_location_not_evaluated(src):
    notation, _ = _notation()
    with pytest.raises(LatexInputError, match="too large"):
        parse_formula(src, notation)


def test_ordinary_powers_are_read():
    notation, names = _notation()
    assert parse_formula(r"2^{10} x^{3}", notation) == 1024 * names["x"] ** 3


# -- relations -------------------------------------------------------------------------------------

def test_approx_is_read_as_an_approximation_not_an_equation():
    notation, names = _notation()
    value = parse_formula(r"x \approx 2y", notation)
    assert isinstance(value, Approx) and value.lhs == names["x"] and value.rhs == 2 * names["y"]


def test_colon_equals_is_a_definition_read_as_an_equation():
    notation, names = _notation()
    assert parse_formula(r"x := 2 y", notation) == sp.Eq(names["x"], 2 * names["y"], evaluate=False)


@pytest.mark.parametrize(("src", "kind"), [(r"x \le y", sp.Le), (r"x \geq y", sp.Ge), ("x < y", sp.Lt),
                                           ("x > y", sp.Gt), (r"x \neq y", sp.Ne)])
def test_inequalities(src, kind):
    notation, names = _notation()
    assert parse_formula(src, notation) == kind(names["x"], names["y"], evaluate=False)


# -- optimisation over a variable (issue 12: never silently stripped) ---------------------------------

def test_a_maximum_over_a_declared_scalar_is_computed_and_checked():
    ctx = Context("opt")
    x = ctx.scalar("x")
    notation = Notation(ctx)
    true = parse_formula(r"\max_x x(1 - x) = \frac14", notation)
    wrong = parse_formula(r"\max_x x(1 - x) = \frac12", notation)
    assert true.lhs == sp.Rational(1, 4)  # the vertex of x(1 − x), at x = 1/2
    d = derivation("optimum", ctx)
    d.claim(true, by="the vertex of the parabola")
    d.claim(wrong, by="a wrong optimum", expect=Verdict.REFUTED)
    assert [s.verdict for s in check_derivation(d).steps] == [Verdict.PROVED, Verdict.REFUTED]
    assert x not in true.free_symbols


def test_a_maximum_the_reader_cannot_compute_is_a_located_error():
    notation, _ = _notation()
    with pytest.raises(LatexInputError, match="optimisation over w is not supported"):
        parse_formula(r"\min_w w^T A w", notation)


def test_diag_of_a_vector_is_the_diagonal_matrix_and_tr_needs_a_square_matrix():
    from sympy.matrices.expressions.diagonal import DiagMatrix

    notation, names = _notation()
    assert parse_formula(r"\operatorname{diag}(w)", notation) == DiagMatrix(names["w"])
    with pytest.raises(LatexInputError, match="square matrix"):
        parse_formula(r"\operatorname{tr}(w)", notation)


def test_a_let_name_is_found_however_it_is_spelled():
    ctx = Context("lets")
    a, b = ctx.scalar("a"), ctx.scalar("b")
    notation = Notation(ctx, [(r"\bar{x}", r"\frac{a + b}{2}")])
    assert parse_formula(r"\bar x^2", notation) == ((a + b) / 2) ** 2
    assert parse_formula(r"\bar{x}^2", notation) == ((a + b) / 2) ** 2


def test_entries_of_declared_matrices_and_vector_expressions_count_from_one():
    ctx = Context("entries")
    n, = ctx.dims("n")
    k, j = ctx.index("k", n), ctx.index("j", n)
    A, x = ctx.matrix("A", n, n), ctx.vector("x", n)
    notation = Notation(ctx)
    assert parse_formula(r"A_{kj}", notation) == A[k - 1, j - 1]
    s = sp.Symbol("_s0", integer=True)  # the reader's bound index of an entry of a product, counted from 1
    assert parse_formula(r"(A x)_k", notation) == sp.Sum(A[k - 1, s - 1] * x[s - 1, 0], (s, 1, n))
    with pytest.raises(LatexInputError, match="declared indices"):
        parse_formula(r"x_1", notation)  # not an entry: x_1 would have to be declared as a name
