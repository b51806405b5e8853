"""Declarations read from the document's own mathematics (issue 14, item 1): what each statement declares."""

from __future__ import annotations

import pytest
import sympy as sp

from derivcheck_steps import Context
from derivcheck_steps.latex.declarations import DeclarationScope, declare
from derivcheck_steps.latex.formulas import LatexInputError, Notation, parse_formula
from derivcheck_steps.latex.statements import declarations_from_text


def _scope() -> DeclarationScope:
    ctx = Context("stated")
    return DeclarationScope(ctx, Notation(ctx))


def test_a_matrix_in_r_n_by_d_declares_the_matrix_and_its_sizes():
    scope = _scope()
    said = declarations_from_text(r"X \in \mathbb{R}^{N\times d}", scope, "doc.tex:3:5")
    assert said == ["N is a dimension (a positive integer)", "d is a dimension (a positive integer)",
                    "X is a real N×d matrix"]
    value = parse_formula(r"X^T X", scope.notation)
    assert value.shape == (sp.Symbol("d", integer=True, positive=True),) * 2


def test_a_list_of_vectors():
    scope = _scope()
    declare(scope, "dims", "n", "doc.tex:1:1")
    assert declarations_from_text(r"w, x \in \mathbb{R}^n", scope, "doc.tex:2:1") == [
        "w is a real vector of size n", "x is a real vector of size n"]
    assert parse_formula(r"w^T x", scope.notation).shape == (1, 1)


def test_signs_intervals_and_index_ranges():
    scope = _scope()
    declare(scope, "dims", "N", "doc.tex:1:1")
    said = declarations_from_text(r"\lambda > 0, \quad 0 < p < 1, \quad i = 1, \dots, N", scope, "doc.tex:2:1")
    assert said == [r"\lambda is a real scalar > 0", "p is a real scalar in (0, 1)", "i runs over 1, …, N"]
    lam = parse_formula(r"\lambda", scope.notation)
    assert lam.is_positive
    assert scope.ctx.scalars[parse_formula("p", scope.notation)].high == 1


def test_a_comment_declaration_overrides_the_text():
    scope = _scope()
    declare(scope, "scalar", "lambda", "doc.tex:1:1")  # no sign in the comment
    assert declarations_from_text(r"\lambda > 0", scope, "doc.tex:2:1") == []
    assert parse_formula(r"\lambda", scope.notation).is_positive is None


def test_nothing_is_guessed_from_a_statement_that_types_nothing():
    scope = _scope()
    assert declarations_from_text(r"f(x) = x^2 + 1", scope, "doc.tex:2:1") == []
    with pytest.raises(LatexInputError, match="not declared"):
        parse_formula("x", scope.notation)
