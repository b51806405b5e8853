"""Every row of a document accounted for: unreadable rows, unbalanced braces, ⇒ between expressions,
inequality chains, definitions, ≈, justifications that select the gradient rule, and step locations.

The documents are in tests/documents_examples/ (written as a student would); line and column
numbers in the assertions were counted by hand in those files.
"""

from __future__ import annotations

import textwrap
from functools import cache
from pathlib import Path

import pytest

from derivcheck_steps import Context, Verdict, check_derivation
from derivcheck_steps.latex.chains import compose, gradient_variable
from derivcheck_steps.latex.documents import read_document
from derivcheck_steps.latex.formulas import Notation
from derivcheck_steps.latex.rows import split_rows

EXAMPLES = Path(__file__).resolve().parent / "documents_examples"


@cache
def _checked(name: str) -> list:
    """(derivation, its results) for each derivation of an example document."""
    return [(d, check_derivation(d)) for d in read_document(EXAMPLES / name)]


def _verdicts(name: str, k: int = 0) -> list[Verdict]:
    return [r.verdict for r in _checked(name)[k][1].steps]


# -- unbalanced braces ------------------------------------------------------------------------------

def test_a_wrong_step_after_an_unclosed_brace_is_still_refuted():
    assert _verdicts("unclosed_brace.tex") == [Verdict.PROVED, Verdict.UNKNOWN, Verdict.REFUTED]


def test_an_unclosed_brace_is_located_at_the_brace():
    reason = _checked("unclosed_brace.tex")[0][1].steps[1].reason
    assert "unclosed_brace.tex:15:4" in reason and "unclosed '{' opened at 15:17" in reason


def test_the_rest_of_the_document_after_an_unclosed_brace_is_read():
    assert _verdicts("unclosed_brace.tex", 1) == [Verdict.PROVED]


def test_rows_split_at_line_ends_even_when_a_brace_is_unclosed():
    body = "a = \\frac{1}{2(x \\\\\n&= b \\\\\n&= c"
    assert [text.strip() for _, text in split_rows(body)] == ["a = \\frac{1}{2(x", "&= b", "&= c"]


def test_a_stray_closing_brace_does_not_swallow_the_rows_after_it():
    body = "a = b} \\\\ = c \\\\ = d"
    assert len(split_rows(body)) == 3


def test_double_backslashes_inside_groups_and_environments_are_not_row_breaks():
    body = "\\sum_{\\substack{i \\\\ j}} x = \\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix} \\\\ = y"
    assert len(split_rows(body)) == 2


def test_a_comment_after_a_row_break_stays_with_its_row():
    rows = split_rows("a \\\\ % expand\n&= b")
    assert "% expand" in rows[0][1] and "expand" not in rows[1][1]


# -- unreadable rows ----------------------------------------------------------------------------------

def test_the_step_after_an_unreadable_row_is_checked_from_the_last_readable_expression():
    assert _verdicts("unreadable_row.tex") == [Verdict.PROVED, Verdict.UNKNOWN, Verdict.PROVED]


def test_a_step_checked_across_an_unreadable_row_says_which_row_it_skips():
    d, _ = _checked("unreadable_row.tex")[0]
    assert "skips the unreadable row(s) at 13:6" in d.steps[2].note


def test_an_undeclared_symbol_names_its_row():
    reason = _checked("unreadable_row.tex")[0][1].steps[1].reason
    assert "unreadable_row.tex:13:6" in reason and "'z'" in reason


def test_an_unreadable_start_adds_no_step_and_the_next_step_says_why():
    d, result = _checked("unreadable_row.tex")[1]
    assert [s.index for s in d.steps] == [1, 2]
    assert [r.verdict for r in result.steps] == [Verdict.UNKNOWN, Verdict.PROVED]
    assert "not checkable" in result.steps[0].reason and "22:4" in result.steps[0].reason


def test_relations_that_do_not_combine_across_an_unreadable_row_are_not_checked():
    assert compose(["≤", "="]) == "≤" and compose(["<", "≤"]) == "<" and compose(["=", "⇔"]) == "⇔"
    assert compose(["≤", "≥"]) is None and compose(["≈", "="]) is None


def _one_display(tmp_path: Path, rows: str) -> list:
    path = tmp_path / "one.tex"
    path.write_text("\\section{One}\n% derivcheck: context one\n% derivcheck: scalar x\n"
                    "\\begin{align*}\n" + rows + "\n\\end{align*}\n", encoding="utf-8")
    return [s for d in read_document(path) for s in d.steps]


def test_a_relation_with_nothing_after_it_is_an_unreadable_step(tmp_path):
    steps = _one_display(tmp_path, "x^2 + 2x \\Rightarrow \\\\\n(x + 1)^2 - 1")
    assert "nothing after '⇒'" in steps[0].problem and steps[0].location.line == 5


def test_only_a_name_can_be_defined(tmp_path):
    steps = _one_display(tmp_path, "(x + 1)^2 := x^2 + 2x + 1")
    assert len(steps) == 1 and "only a name can be defined" in steps[0].problem


def test_a_definition_inside_a_step_is_an_unreadable_step_not_an_equality(tmp_path):
    steps = _one_display(tmp_path, "x^2 \\\\\n= y := x^2")
    assert len(steps) == 1 and "a row of its own" in steps[0].problem


def test_an_unclosed_display_is_a_located_step_and_its_rows_are_read(tmp_path):
    path = tmp_path / "open.tex"
    path.write_text(textwrap.dedent(r"""
        \section{Open}
        % derivcheck: context open
        % derivcheck: scalar x
        \begin{align}
          (x + 1)^2 &= x^2 + 2x + 1
        """), encoding="utf-8")
    (d, result), = [(d, check_derivation(d)) for d in read_document(path)]
    assert [r.verdict for r in result.steps] == [Verdict.UNKNOWN, Verdict.PROVED]
    assert "open.tex:5:1" in result.steps[0].reason and "never closed" in result.steps[0].reason


# -- relations ---------------------------------------------------------------------------------------

def test_rightarrow_between_two_expressions_is_a_checked_step():
    assert _verdicts("rightarrow.tex") == [Verdict.PROVED, Verdict.REFUTED]


def test_rightarrow_between_two_expressions_says_how_it_was_read():
    d, _ = _checked("rightarrow.tex")[0]
    assert "rewrites to" in d.steps[0].note


def test_rightarrow_from_an_expression_to_an_equation_without_a_justification_is_never_nothing(tmp_path):
    path = tmp_path / "so.tex"
    path.write_text(textwrap.dedent(r"""
        \section{So}
        % derivcheck: context so
        % derivcheck: scalar x
        \begin{align*}
          &x^2 - 2x \\
          &\Rightarrow x = 1
        \end{align*}
        """), encoding="utf-8")
    (d, result), = [(d, check_derivation(d)) for d in read_document(path)]
    assert [r.verdict for r in result.steps] == [Verdict.UNKNOWN]
    assert "so.tex:7:4" in result.steps[0].reason and "say how" in result.steps[0].reason


def test_each_inequality_of_a_chain_is_a_step():
    # ab ≤ ab + (a−b)²/4 = (a+b)²/4 ≤ (a+b)²/2 for a, b > 0: true by (a−b)² ≥ 0 and (a+b)² > 0
    assert _verdicts("inequalities.md")[:3] == [Verdict.PROVED, Verdict.PROVED, Verdict.PROVED]


def test_a_wrong_inequality_is_refuted():
    # (a+b)²/4 ≥ (a+b)² fails for every a, b > 0
    assert _verdicts("inequalities.md")[3] == Verdict.REFUTED


def test_a_name_defined_with_colon_equals_is_usable_later():
    # ℓ(w) := (w − 3)², so ℓ(w) = w² − 6w + 9
    assert _verdicts("inequalities.md")[4] == Verdict.PROVED


def test_an_approximation_is_reported_as_not_checked():
    result = _checked("inequalities.md")[0][1].steps[5]
    assert result.verdict == Verdict.UNKNOWN and result.cause == "undecided"
    assert "not checked (≈)" in result.reason


# -- what a justification may change -------------------------------------------------------------------

def _notation() -> Notation:
    ctx = Context("g")
    n, = ctx.dims("n")
    ctx.vector("w", n)
    ctx.vector("t", n)
    return Notation(ctx)


@pytest.mark.parametrize("words", [
    "gradient with respect to the weights $w$",
    "take the derivative w.r.t. the weights w",
    "differentiate in w",
])
def test_a_justification_naming_one_declared_variable_selects_the_gradient_rule(words):
    var, note = gradient_variable(words, _notation())
    assert str(var) == "w" and "with respect to w" in note


@pytest.mark.parametrize("words", [
    "gradient with respect to the weights",
    "derivative with respect to w and t",
    "expand the square",
])
def test_a_justification_naming_no_single_declared_variable_is_not_used(words):
    var, _ = gradient_variable(words, _notation())
    assert var is None


def test_a_correct_gradient_step_with_words_around_the_variable_is_proved():
    # ∇_w (Xw − t)ᵀ(Xw − t) = 2Xᵀ(Xw − t)
    d, result = _checked("gradient_words.tex")[0]
    assert result.steps[0].verdict == Verdict.PROVED
    assert "read as the gradient with respect to w, from the justification" in d.steps[0].note


def test_max_is_not_stripped_from_a_formula():
    # max_x x(1 − x) = 1/4 is true (the vertex of the parabola, at x = 1/2): read as written, it is PROVED
    result = _checked("gradient_words.tex")[1][1].steps[0]
    assert result.verdict == Verdict.PROVED


# -- locations and numbering -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.iterdir()))
def test_every_step_has_its_source_location(name):
    steps = [s for d in read_document(EXAMPLES / name) for s in d.steps]
    assert steps and all(s.location is not None and s.location.file.endswith(name) and s.location.line > 0
                         and s.location.column > 0 for s in steps)


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.iterdir()))
def test_steps_are_numbered_in_document_order(name):
    for d in read_document(EXAMPLES / name):
        assert [s.index for s in d.steps] == list(range(1, len(d.steps) + 1))
        lines = [s.location.line for s in d.steps]
        assert lines == sorted(lines)


def test_steps_sit_on_the_lines_of_their_rows():
    d, _ = _checked("unclosed_brace.tex")[0]
    assert [(s.location.line, s.location.column) for s in d.steps] == [(14, 4), (15, 4), (16, 4)]
