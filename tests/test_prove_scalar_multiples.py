"""⇔ between matrix equations that differ by a scalar factor that is not a constant (2/xᵀx, λ):
PROVED when the factor is nonzero by the declarations; not proved without that; a wrong
conclusion REFUTED (checks/scalar_multiples.py)."""

from __future__ import annotations

from pathlib import Path

from derivcheck_steps import Verdict, check_derivation
from derivcheck_steps.latex.documents import read_document

HEAD = r"""
\documentclass{article}
\begin{document}
\section{Stationary points}
% derivcheck: dims n
% derivcheck: matrix A n n symmetric
% derivcheck: vector x n
"""

STATIONARY = r"""
Setting the gradient of the Rayleigh quotient to zero,
\begin{align*}
\frac{2}{x^\top x}\left( Ax - \frac{x^\top A x}{x^\top x}\, x \right) &= 0 \\
\iff Ax &= \frac{x^\top A x}{x^\top x}\, x
\end{align*}
and, copied wrongly,
\begin{align*}
\frac{2}{x^\top x}\left( Ax - \frac{x^\top A x}{x^\top x}\, x \right) &= 0 \\
\iff Ax &= (x^\top A x)\, x
\end{align*}
\end{document}
"""

RIDGE = r"""
\documentclass{article}
\begin{document}
\section{Normal equations, scaled}
% derivcheck: dims N d
% derivcheck: matrix X N d
% derivcheck: vector y N
% derivcheck: vector w d
% derivcheck: scalar \lambda SIGN
\begin{align*}
\lambda \left( X^\top X w - X^\top y \right) &= 0 \\
\iff X^\top X w &= X^\top y
\end{align*}
\end{document}
"""


def _verdicts(tmp_path: Path, text: str) -> list[Verdict]:
    path = tmp_path / "doc.tex"
    path.write_text(text, encoding="utf-8")
    return [s.verdict for d in read_document(path) for s in check_derivation(d).steps]


def test_dividing_out_a_positive_quotient_is_proved_and_a_wrong_conclusion_is_not(tmp_path: Path) -> None:
    doc = HEAD + "% derivcheck: assume x^\\top x > 0\n" + STATIONARY
    right, wrong = _verdicts(tmp_path, doc)
    assert right == Verdict.PROVED
    # no point where the premise holds (an eigenvector) is built at a random instance: not refuted, never proved
    assert wrong in (Verdict.REFUTED, Verdict.UNKNOWN)


def test_without_the_assumption_the_factor_may_vanish_and_nothing_is_proved(tmp_path: Path) -> None:
    first = _verdicts(tmp_path, HEAD + STATIONARY)[0]
    assert first != Verdict.PROVED


def test_a_declared_positive_scalar_factor_is_divided_out(tmp_path: Path) -> None:
    assert _verdicts(tmp_path, RIDGE.replace("SIGN", "positive")) == [Verdict.PROVED]


def test_a_scalar_that_may_be_zero_is_not_divided_out(tmp_path: Path) -> None:
    (verdict,) = _verdicts(tmp_path, RIDGE.replace(" SIGN", ""))
    assert verdict in (Verdict.REFUTED, Verdict.UNKNOWN)


def test_premises_scaled_by_a_factor_that_may_vanish_are_never_proved(tmp_path: Path) -> None:
    from derivcheck_steps.engine import check_step
    from derivcheck_steps.mutants_prove import FAMILIES

    path = tmp_path / "doc.tex"
    path.write_text(HEAD + "% derivcheck: assume x^\\top x > 0\n" + STATIONARY, encoding="utf-8")
    (d,) = read_document(path)
    mutants = [(s, m) for s in d.steps for m in FAMILIES["premises scaled by a factor that may vanish"](d, s)]
    assert mutants
    assert {check_step(d, m.as_step(s)).verdict for s, m in mutants} <= {Verdict.REFUTED, Verdict.UNKNOWN}


LOGISTIC = r"""
\documentclass{article}
\begin{document}
\section{Stationary point of L2-regularised logistic regression}
% derivcheck: dims N d
% derivcheck: index i N
% derivcheck: vector w d
% derivcheck: vector x d per i
% derivcheck: data y i
% derivcheck: scalar \lambda positive
% derivcheck: function \sigma(z) = \frac{1}{1+e^{-z}}
\begin{align*}
\frac{1}{N}\sum_{i=1}^{N} \left( \sigma(w^\top x_i) - y_i \right) x_i + \lambda w &= 0 \\
\iff w &= -\frac{1}{\lambda N}\sum_{i=1}^{N} \left( \sigma(w^\top x_i) - y_i \right) x_i \\
\iff w &= -\frac{1}{N}\sum_{i=1}^{N} \left( \sigma(w^\top x_i) - y_i \right) x_i
\end{align*}
\end{document}
"""


def test_a_nonlinear_fixed_point_equation_divided_by_lambda_is_proved_not_timed_out(tmp_path: Path) -> None:
    # before: the premise-point search computed a symbolic determinant of σ(wᵀx) terms for minutes
    right, wrong = _verdicts(tmp_path, LOGISTIC)
    assert right == Verdict.PROVED
    assert wrong in (Verdict.REFUTED, Verdict.UNKNOWN)
