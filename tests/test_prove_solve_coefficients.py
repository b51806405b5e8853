"""Solving a vector equation for w is proved when the coefficient of w is invertible for sure: the
identity (w − v = 0), minus it, or a declared invertible matrix, its inverse or its transpose."""

from __future__ import annotations

import textwrap
from pathlib import Path

from derivcheck_steps import Verdict, check_derivation
from derivcheck_steps.latex.documents import read_document

DOC = r"""
\documentclass{article}
\begin{document}
\section{Stationary points}
% derivcheck: dims N d
% derivcheck: index i N
% derivcheck: vector w d
% derivcheck: vector x d per i
% derivcheck: data y i
% derivcheck: scalar C positive
% derivcheck: matrix D d d DECLARED
\begin{align*}
w - C\sum_{i=1}^{N} y_i x_i &= 0 \\
\iff w &= FIRST
\end{align*}
\begin{align*}
D^{-1}(w - x_1) &= 0 \\
\iff w &= SECOND
\end{align*}
\end{document}
"""


def _verdicts(tmp_path: Path, first: str, second: str, declared: str = "pd") -> list[Verdict]:
    text = DOC.replace("FIRST", first).replace("SECOND", second).replace("DECLARED", declared)
    path = tmp_path / "stationary.tex"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return [s.verdict for d in read_document(path) for s in check_derivation(d).steps]


def test_solving_with_an_identity_or_an_inverse_coefficient_is_proved(tmp_path: Path) -> None:
    assert _verdicts(tmp_path, r"C\sum_{i=1}^{N} y_i x_i", "x_1") == [Verdict.PROVED, Verdict.PROVED]


def test_a_wrong_solution_is_refuted(tmp_path: Path) -> None:
    assert _verdicts(tmp_path, r"-C\sum_{i=1}^{N} y_i x_i", "-x_1") == [Verdict.REFUTED, Verdict.REFUTED]


def test_a_coefficient_not_known_invertible_proves_nothing(tmp_path: Path) -> None:
    verdicts = _verdicts(tmp_path, r"C\sum_{i=1}^{N} y_i x_i", "x_1", declared="symmetric")
    assert verdicts[0] == Verdict.PROVED and verdicts[1] != Verdict.PROVED
