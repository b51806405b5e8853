"""A subscripted name inside a sum over its subscript: read as the entry of indexed data when the text
says so in any order ("$x_i \\in \\mathbb{R}$ for $i = 1, \\dots, N$"), never as a constant that the sum
would not change (Σ_i w_i x_i = w_i Σ_i x_i must not be PROVED by pulling out a "constant" w_i)."""

from __future__ import annotations

from pathlib import Path

from derivcheck_steps import Verdict, check_derivation
from derivcheck_steps.latex.documents import read_document

STUDENT = r"""
\documentclass{article}
\begin{document}
\section*{Weighted least squares}
Let $w_i > 0$ be weights and $x_i, y_i \in \mathbb{R}$ for $i = 1, \dots, N$, with $\theta \in \mathbb{R}$.
\begin{align*}
\frac{d}{d\theta} \sum_{i=1}^N w_i (y_i - \theta x_i)^2
&= \sum_{i=1}^N 2 w_i (y_i - \theta x_i)(-x_i) \\
&= -2\sum_{i=1}^N w_i x_i y_i + 2\theta \sum_{i=1}^N w_i x_i^2
\end{align*}
\[ \sum_{i=1}^{N} w_i x_i = w_i \sum_{i=1}^{N} x_i \]
\end{document}
"""

DECLARED_AS_SCALARS = r"""
\documentclass{article}
\begin{document}
\section{Capture}
% derivcheck: dims N
% derivcheck: scalar w_i
% derivcheck: scalar x_i
\[ \sum_{i=1}^{N} w_i x_i = w_i \sum_{i=1}^{N} x_i \]
\[ w_i x_i = x_i w_i \]
\end{document}
"""


def _steps(tmp_path: Path, text: str) -> list:
    path = tmp_path / "doc.tex"
    path.write_text(text, encoding="utf-8")
    return [s for d in read_document(path) for s in check_derivation(d).steps]


def test_entries_stated_before_their_index_range_are_data(tmp_path: Path) -> None:
    steps = _steps(tmp_path, STUDENT)
    assert [s.verdict for s in steps] == [Verdict.PROVED, Verdict.PROVED, Verdict.REFUTED]


def test_a_scalar_named_x_i_inside_a_sum_over_i_is_an_input_problem(tmp_path: Path) -> None:
    first, _, last = _steps(tmp_path, DECLARED_AS_SCALARS)
    assert first.verdict == Verdict.UNKNOWN and "declare w as data indexed by i" in first.reason
    assert last.verdict == Verdict.PROVED  # outside a sum, w_i is the scalar the comment declares
