"""A declared equality constraint (Σ_i a_i = 1) applies to the sums the expectation engine produces:
E[Σ_i a_i x_i] = μ Σ_i a_i = μ is proved with it; a wrong value stays REFUTED, and without the
constraint E[Σ_i a_i x_i] = μ is not proved."""

from __future__ import annotations

from pathlib import Path

from derivcheck_steps import Verdict, check_derivation
from derivcheck_steps.latex.documents import read_document

DOC = r"""
\documentclass{article}
\begin{document}
\section{A weighted average}
% derivcheck: dims N
% derivcheck: index i N
% derivcheck: scalar \mu
% derivcheck: scalar \sigma positive
% derivcheck: random x i moments \mu \sigma^2
% derivcheck: data a i
CONSTRAINT
With weights that sum to one, the weighted average is unbiased:
\begin{align*}
\mathbb{E}\left[\sum_{i=1}^{N} a_i x_i\right]
&= \mu \sum_{i=1}^{N} a_i \\
&= \mu
\end{align*}
\[ \mathbb{E}\left[\sum_{i=1}^{N} a_i x_i\right] = \mu \]
\[ \mathbb{E}\left[\sum_{i=1}^{N} a_i x_i\right] = 2\mu \]
\end{document}
"""


def _verdicts(tmp_path: Path, constraint: str) -> list[Verdict]:
    path = tmp_path / "avg.tex"
    path.write_text(DOC.replace("CONSTRAINT", constraint), encoding="utf-8")
    return [s.verdict for d in read_document(path) for s in check_derivation(d).steps]


def test_the_constraint_proves_the_expectation_of_a_weighted_sum(tmp_path: Path) -> None:
    P, R = Verdict.PROVED, Verdict.REFUTED
    assert _verdicts(tmp_path, r"% derivcheck: assume \sum_{i=1}^{N} a_i = 1") == [P, P, P, R]


def test_without_the_constraint_the_unbiasedness_claim_is_not_proved(tmp_path: Path) -> None:
    verdicts = _verdicts(tmp_path, "")
    assert verdicts[0] == Verdict.PROVED  # E[Σ a_i x_i] = μ Σ a_i holds for any weights
    assert verdicts[2] != Verdict.PROVED and verdicts[3] != Verdict.PROVED
