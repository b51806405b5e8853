"""False alarms from the blind corpus: correct steps that were REFUTED because the reader misread them."""

from __future__ import annotations

from doc_check import check_document, document_verdicts

from derivcheck_steps import Verdict

# -- `&& j = t - k`: the column after `&&` is a note about the row, never more of its mathematics ---------

ALIGN_NOTE = r"""
\documentclass{article}
\begin{document}
\section{Geometric}
% derivcheck: context geometric
% derivcheck: dims t
% derivcheck: index k t
% derivcheck: index j t
% derivcheck: scalar b interval 0 1
% derivcheck: scalar g
\begin{align*}
(1-b)\sum_{k=1}^{t} b^{t-k} g
&= (1-b)\, g \sum_{j=0}^{t-1} b^{j} && j = t-k \\
&= (1-b)\, g\, \frac{1-b^{RHS}}{1-b} && \text{geometric series}
\end{align*}
\end{document}
"""


def test_a_math_note_after_double_ampersand_is_a_justification(tmp_path):
    results = check_document(tmp_path, ALIGN_NOTE.replace("RHS", "t"))
    assert all(r.verdict in (Verdict.PROVED, Verdict.CHECKED) for r in results)
    assert len(results) == 2  # `j = t-k` is not a step of its own
    assert results[0].justification == "j = t-k"


def test_a_wrong_row_with_a_math_note_is_still_refuted(tmp_path):
    assert document_verdicts(tmp_path, ALIGN_NOTE.replace("RHS", "t+1"))[-1] == Verdict.REFUTED


# -- `assume A = A^T`: a symmetric matrix, drawn symmetric and with Aᵀ read as A -----------------------

SYMMETRIC = r"""
\documentclass{article}
\begin{document}
\section{Quadratic}
% derivcheck: context quadratic
% derivcheck: dims n
% derivcheck: matrix A n n
% derivcheck: vector b n
% derivcheck: vector w n
% derivcheck: vector y n
% derivcheck: assume A = A^\top
\[ \nabla_w \left( \frac{1}{2} w^\top A w - b^\top w \right) = RHS . \]
\[ y^\top A w = w^\top A y \]
\end{document}
"""


def test_a_declared_symmetric_matrix_makes_its_gradient_step_true(tmp_path):
    results = check_document(tmp_path, SYMMETRIC.replace("RHS", "A w - b"))
    assert len(results) == 2 and all(r.verdict in (Verdict.PROVED, Verdict.CHECKED) for r in results), results


def test_a_declared_symmetric_matrix_still_refutes_a_wrong_gradient(tmp_path):
    assert document_verdicts(tmp_path, SYMMETRIC.replace("RHS", "A w + b"))[0] == Verdict.REFUTED


def test_without_the_symmetry_the_gradient_step_is_refuted(tmp_path):
    text = SYMMETRIC.replace("RHS", "A w - b").replace("% derivcheck: assume A = A^\\top\n", "")
    assert document_verdicts(tmp_path, text) == [Verdict.REFUTED, Verdict.REFUTED]


# -- `A = B, \qquad C = D`: two statements side by side are two chains ----------------------------------

SIDE_BY_SIDE = r"""
\documentclass{article}
\begin{document}
\section{Parabola}
% derivcheck: context parabola
% derivcheck: scalar a positive
% derivcheck: scalar b
% derivcheck: scalar c
% derivcheck: scalar x
\[ \frac{d}{dx}\left(ax^2 + bx + c\right) = 2ax + b, \qquad \frac{d^2}{dx^2}\left(ax^2 + bx + c\right) = RHS , \]
\end{document}
"""


def test_two_equations_side_by_side_are_two_steps(tmp_path):
    results = check_document(tmp_path, SIDE_BY_SIDE.replace("RHS", "2a"))
    assert [r.verdict for r in results] == [Verdict.PROVED, Verdict.PROVED], results


def test_a_wrong_equation_side_by_side_is_refuted_alone(tmp_path):
    assert document_verdicts(tmp_path, SIDE_BY_SIDE.replace("RHS", "a")) == [Verdict.PROVED, Verdict.REFUTED]
    text = SIDE_BY_SIDE.replace(r", \qquad", r" \quad \text{and} \quad").replace("RHS", "2a")
    assert document_verdicts(tmp_path, text) == [Verdict.PROVED, Verdict.PROVED]


# -- binomial coefficients evaluate at integer instances (0 outside 0 <= k <= n) -------------------------

BINOMIAL = r"""
\documentclass{article}
\begin{document}
\section{Counting}
% derivcheck: context counting
% derivcheck: dims n
% derivcheck: index k n
% derivcheck: scalar p interval 0 1
\[ \sum_{k=0}^{n} k(k-1)\binom{n}{k} p^k(1-p)^{n-k} = RHS \]
\end{document}
"""


def test_a_binomial_coefficient_is_evaluated_at_integers():
    import sympy as sp

    from derivcheck_steps.evaluate import EXACT, FLOAT, evaluate
    n, k = sp.symbols("n k", integer=True)
    for bk, four in ((EXACT, sp.Integer(4)), (FLOAT, 4.0)):
        assert [float(evaluate(sp.binomial(n, k - 1), {n: four, k: sp.Integer(j)}, bk)) for j in range(7)] == \
            [0, 1, 4, 6, 4, 1, 0]


def test_a_sum_of_binomials_is_checked_and_a_wrong_one_refuted(tmp_path):
    assert document_verdicts(tmp_path, BINOMIAL.replace("RHS", "n(n-1)p^2"))[0] in (Verdict.PROVED, Verdict.CHECKED)
    assert document_verdicts(tmp_path, BINOMIAL.replace("RHS", "n^2 p^2"))[0] == Verdict.REFUTED


# -- a hypothesis that cannot be read: a counterexample may violate it, so it refutes nothing -----------

def test_an_unread_hypothesis_turns_a_counterexample_into_unknown(tmp_path):
    text = SYMMETRIC.replace("RHS", "A w - b").replace("assume A = A^\\top", "assume A \\succ 0 \\frac{")
    results = check_document(tmp_path, text)
    assert results[0].verdict == Verdict.UNKNOWN  # the declaration itself
    assert [r.verdict for r in results[1:]] == [Verdict.UNKNOWN, Verdict.UNKNOWN]
    assert "could not be read" in results[1].reason and "student.tex:11" in results[1].reason
