"""A log of a quotient expands into sums that a declared constraint (Σ y = 1) then settles."""

from __future__ import annotations

import textwrap
from pathlib import Path

from derivcheck_steps import Verdict, check_derivation
from derivcheck_steps.latex.documents import read_document

DOC = r"""
\documentclass{article}
\begin{document}
\section{Cross-entropy}
% derivcheck: context cross-entropy
% derivcheck: dims K
% derivcheck: index j K
% derivcheck: index k K
% derivcheck: vector z K
% derivcheck: vector y K
ASSUME
The labels sum to one.
\[ -\sum_{j=1}^{K} y_j \log \frac{e^{z_j}}{\sum_{k=1}^{K} e^{z_k}} = -\sum_{j=1}^{K} y_j z_j + \log \sum_{k=1}^{K} e^{z_k} \]
\end{document}
"""


def _verdicts(tmp_path: Path, assume: str) -> list[Verdict]:
    path = tmp_path / "ce.tex"
    path.write_text(textwrap.dedent(DOC.replace("ASSUME", assume)), encoding="utf-8")
    return [r.verdict for d in read_document(path) for r in check_derivation(d).steps]


def test_the_log_of_a_quotient_and_the_constraint_prove_the_step(tmp_path):
    assert _verdicts(tmp_path, r"% derivcheck: assume \sum_{j=1}^{K} y_j = 1") == [Verdict.PROVED]


def test_without_the_constraint_the_step_is_refuted(tmp_path):
    assert _verdicts(tmp_path, "") == [Verdict.REFUTED]
