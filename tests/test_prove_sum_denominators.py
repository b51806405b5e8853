"""Quotients by 1×1 products (xᵀx in a denominator): the sums in denominators are cleared before
sums are compared (checks/sum_canonical.denominators_cleared). Correct steps of a projection and
of the Rayleigh quotient's gradient are PROVED; the slips a student makes there stay REFUTED."""

from __future__ import annotations

from pathlib import Path

import sympy as sp

from derivcheck_steps import Verdict, check_derivation
from derivcheck_steps.latex.documents import read_document
from derivcheck_steps.sum_canonical import denominators_cleared, sums_cancel

PROJECTION = r"""
\documentclass{article}
\begin{document}
\section{Projection onto a vector}
% derivcheck: dims n
% derivcheck: vector x n
% derivcheck: vector y n
% derivcheck: assume x^\top x > 0
The projection of $y$ onto $x \neq 0$ is $\frac{x^\top y}{x^\top x} x$. Projecting twice changes nothing:
\begin{align*}
\frac{x^\top \left(\frac{x^\top y}{x^\top x} x\right)}{x^\top x}\, x
&= \frac{(x^\top y)(x^\top x)}{(x^\top x)^2}\, x \\
&= \frac{x^\top y}{x^\top x}\, x \\
&= \frac{x^\top y}{(x^\top x)^2}\, x
\end{align*}
The residual is orthogonal to $x$:
\begin{align*}
x^\top\left(y - \frac{x^\top y}{x^\top x} x\right)
&= x^\top y - \frac{x^\top y}{x^\top x}\, x^\top x \\
&= 0 \\
&= x^\top y - x^\top x
\end{align*}
\end{document}
"""

RAYLEIGH = r"""
\documentclass{article}
\begin{document}
\section{The Rayleigh quotient's gradient, rearranged}
% derivcheck: dims n
% derivcheck: matrix A n n symmetric
% derivcheck: vector x n
% derivcheck: assume x^\top x > 0
\begin{align*}
\frac{2Ax \, (x^\top x) - 2 (x^\top A x)\, x}{(x^\top x)^2}
&= \frac{2}{x^\top x}\left( Ax - \frac{x^\top A x}{x^\top x}\, x \right) \\
&= \frac{2}{x^\top x}\left( Ax - (x^\top A x)\, x \right)
\end{align*}
\end{document}
"""


def _verdicts(tmp_path: Path, text: str) -> list[Verdict]:
    path = tmp_path / "doc.tex"
    path.write_text(text, encoding="utf-8")
    return [s.verdict for d in read_document(path) for s in check_derivation(d).steps]


def test_a_projection_is_proved_and_a_squared_denominator_refuted(tmp_path: Path) -> None:
    P, R = Verdict.PROVED, Verdict.REFUTED
    assert _verdicts(tmp_path, PROJECTION) == [P, P, R, P, P, R]


def test_the_rayleigh_gradient_rearranged_is_proved_and_a_dropped_quotient_refuted(tmp_path: Path) -> None:
    assert _verdicts(tmp_path, RAYLEIGH) == [Verdict.PROVED, Verdict.REFUTED]


def test_clearing_multiplies_by_each_denominator_once_at_its_highest_power() -> None:
    k, j, n = sp.symbols("k j n", integer=True)
    x = sp.IndexedBase("x")
    s_k, s_j = sp.Sum(x[k] ** 2, (k, 1, n)), sp.Sum(x[j] ** 2, (j, 1, n))  # one sum, two index names
    a = sp.Symbol("a")
    cleared = denominators_cleared(a / s_k**2 - a / s_j)
    assert cleared is not None and not any(p.exp.is_negative for p in cleared.atoms(sp.Pow) if p.base.has(sp.Sum))
    assert denominators_cleared(a * s_k) is None


def test_wrong_quotients_of_sums_do_not_cancel() -> None:
    k, j, n = sp.symbols("k j n", integer=True)
    x, y = sp.IndexedBase("x"), sp.IndexedBase("y")
    s, t = sp.Sum(x[k] ** 2, (k, 1, n)), sp.Sum(x[k] * y[k], (k, 1, n))
    s_j = sp.Sum(x[j] ** 2, (j, 1, n))  # s again, with another index name: SymPy does not cancel it
    assert sums_cancel(t * s_j / s**2 - t / s)
    assert not sums_cancel(t * s_j / s**2 - t / s**2)
    assert not sums_cancel(t / s - s / t)
    assert not sums_cancel(t / (1 + s) - t / s)


def test_denominators_shifted_mutants_of_the_projection_are_never_proved(tmp_path: Path) -> None:
    from derivcheck_steps.engine import check_step
    from derivcheck_steps.mutants_prove import FAMILIES

    path = tmp_path / "doc.tex"
    path.write_text(PROJECTION, encoding="utf-8")
    (d,) = read_document(path)
    mutants = [(s, m) for s in d.steps for m in FAMILIES["denominators shifted"](d, s)]
    assert len(mutants) >= 2
    assert {check_step(d, m.as_step(s)).verdict for s, m in mutants} <= {Verdict.REFUTED, Verdict.UNKNOWN}
