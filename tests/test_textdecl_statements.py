"""The statement forms the text declares with (issue 14, item 1), one test each, and what they never read."""

from __future__ import annotations

from functools import partial

import pytest
from doc_check import declaration_scope

from derivcheck_steps.latex.formulas import LatexInputError, parse_formula
from derivcheck_steps.latex.prose import comment_names, prose_formulas
from derivcheck_steps.latex.statements import declarations_from_text, statement_row

_scope = partial(declaration_scope, context="stated", where="doc.tex:1:1")


def test_index_ranges_declare_their_upper_end_as_a_dimension():
    scope = _scope()
    assert declarations_from_text(r"i = 1, \dots, N, \quad j \in \{1, \ldots, n\}", scope, "d:2:1") == [
        "N is a dimension (a positive integer)", "i runs over 1, …, N",
        "n is a dimension (a positive integer)", "j runs over 1, …, n"]


def test_entries_with_declared_indices_are_data():
    scope = _scope("dims N n", "index i N", "index j n")
    said = declarations_from_text(r"x_j^{(i)}, t^{(i)}, w_j \in \mathbb{R}", scope, "d:2:1")
    assert said == ["x_j^{(i)} is real data over i, j", "t^{(i)} is real data over i", "w_j is real data over j"]
    assert str(parse_formula(r"x_j^{(i)} w_j", scope.notation)) == "w[j]*x[i, j]"


def test_a_subscript_that_is_no_index_is_part_of_the_name():
    scope = _scope()
    assert declarations_from_text(r"\sigma_w > 0", scope, "d:2:1") == [r"\sigma_w is a real scalar > 0"]


@pytest.mark.parametrize("law", [r"\stackrel{\text{i.i.d.}}{\sim} \mathrm{Ber}(p)", r"\overset{iid}{\sim} \text{Ber}(p)",
                                 r"\sim_{\text{iid}} \operatorname{Bernoulli}(p)"])
def test_iid_bernoulli_families(law):
    scope = _scope("dims N n", "index i N", "index j n", "scalar p interval 0 1")
    assert declarations_from_text(f"m_j^{{(i)}} {law}", scope, "d:2:1") == ["m_j^{(i)} are i.i.d. Bernoulli(p) over i, j"]
    assert str(scope.ctx.families["m"].dist) == "Bernoulli(p)"


def test_a_normal_family_needs_iid_in_the_formula_or_its_sentence():
    scope = _scope("dims N", "index i N", "scalar sigma positive")
    assert declarations_from_text(r"\epsilon_i \sim \mathcal{N}(0, \sigma^2)", scope, "d:2:1") == []
    assert declarations_from_text(r"\epsilon_i \sim \mathcal{N}(0, \sigma^2)", scope, "d:2:1", iid=True) == [
        r"\epsilon_i are i.i.d. N(0, \sigma^2) over i"]
    assert str(scope.ctx.families["epsilon"].dist).startswith("Normal(0")


def test_interval_membership():
    scope = _scope()
    assert declarations_from_text(r"p \in (0, 1)", scope, "d:2:1") == ["p is a real scalar in (0, 1)"]


def test_a_symmetric_matrix_from_its_equation():
    scope = _scope("dims n", "matrix A n n")
    assert declarations_from_text(r"A = A^\top", scope, "d:2:1") == [
        "A is symmetric (read as '% derivcheck: assume A = A^T')"]
    assert scope.ctx.symmetric == [parse_formula("A", scope.notation)]


def test_a_diag_definition_declares_the_matrix_diagonal():
    scope = _scope("dims n", "matrix W n n")
    (said,) = declarations_from_text(r"W = \operatorname{diag}(w_1, \dots, w_n)", scope, "d:2:1")
    assert said.startswith("W is diagonal (read as")
    assert scope.ctx.unread_text == []


def test_relations_inside_sums_and_definitions_are_no_statements():
    scope = _scope("dims N", "index i N")
    assert declarations_from_text(r"\frac{1}{2N} \sum_{i=1}^N (y_i - t_i)^2", scope, "d:2:1") == []
    assert declarations_from_text(r"f(x) = x^2, \quad g > h", scope, "d:2:1") == []
    with pytest.raises(LatexInputError, match="not declared"):
        parse_formula("g", scope.notation)


def test_a_display_row_is_a_statement_only_when_it_types_a_new_name():
    scope = _scope("scalar lambda positive")
    assert statement_row(r"\lambda > 0", scope, "d:2:1") is None  # a claim about a declared λ: a step
    assert statement_row(r"w \in \mathbb{R}^n, \quad x^2 \ge 0", scope, "d:2:1") is None  # not only a statement
    assert statement_row(r"w, x \in \mathbb{R}^n", scope, "d:2:1") == [
        "n is a dimension (a positive integer)", "w is a real vector of size n", "x is a real vector of size n"]


def test_words_around_a_formula():
    text = ("Let $A \\in \\mathbb{R}^{n\\times n}$ be symmetric positive definite and $B$ a symmetric matrix. "
            "If $C$ is symmetric we are done; nothing says $D$ is diagonal. "
            "The noise $\\epsilon_i$ is i.i.d. across $i$.")
    found = {f.math: f for f in prose_formulas(text)}
    assert found[r"A \in \mathbb{R}^{n\times n}"].properties == ("symmetric", "positive definite")
    assert "C" not in found and "D" not in found  # conditional, negated: no statements
    assert found[r"\epsilon_i"].iid and not found["B"].iid


def test_the_names_a_comment_declares():
    assert comment_names("dims N n") == {"N", "n"}
    assert comment_names(r"scalar \sigma_w positive") == {"sigma_w"}
    assert comment_names("vector x d per i") == {"x"}
    assert comment_names("random m i j bernoulli p") == {"m"}
    assert comment_names(r"function \sigma(z) = \frac{1}{1+e^{-z}}") == {"sigma"}
    assert comment_names("let J = x") == set()


def test_an_abbreviation_or_a_function_is_never_redeclared_by_the_text():
    scope = _scope("scalar z", r"function \sigma(z) = \frac{1}{1+e^{-z}}", "let J = z^2 + 1")
    assert declarations_from_text(r"J > 0, \quad \sigma > 0", scope, "d:2:1") == []
