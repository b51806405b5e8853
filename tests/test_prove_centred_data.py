"""Centred data (`% derivcheck: centred x i`) is the constraint Σ_i x_i = 0 for the provers too: a step
that drops a Σ_i x_i term by "centred inputs" is proved, one that drops anything else is not."""

from __future__ import annotations

from pathlib import Path

from derivcheck_steps import Verdict, check_derivation
from derivcheck_steps.latex.documents import read_document

DOC = r"""
\documentclass{article}
\begin{document}
\section{The slope with centred inputs}
% derivcheck: dims N
% derivcheck: index i N
% derivcheck: data x i
% derivcheck: data y i
% derivcheck: scalar a
% derivcheck: scalar b
CENTRED
% derivcheck: assume \sum_{i=1}^{N} x_i^2 > 0
At a stationary point of the squared error in $b$,
\begin{align*}
\sum_{i=1}^{N} x_i y_i - a\sum_{i=1}^{N} x_i - b\sum_{i=1}^{N} x_i^2 &= 0 \\
\iff \sum_{i=1}^{N} x_i y_i - b\sum_{i=1}^{N} x_i^2 &= 0 && \text{centred inputs} \\
\iff b &= \frac{\sum_{i=1}^{N} x_i y_i}{\sum_{i=1}^{N} x_i^2}
\end{align*}
and, dropping the wrong term,
\begin{align*}
\sum_{i=1}^{N} x_i y_i - a\sum_{i=1}^{N} x_i - b\sum_{i=1}^{N} x_i^2 &= 0 \\
\iff \sum_{i=1}^{N} x_i y_i - a\sum_{i=1}^{N} x_i &= 0
\end{align*}
\end{document}
"""


def _verdicts(tmp_path: Path, centred: str) -> list[Verdict]:
    path = tmp_path / "slope.tex"
    path.write_text(DOC.replace("CENTRED", centred), encoding="utf-8")
    return [s.verdict for d in read_document(path) for s in check_derivation(d).steps]


def test_centred_inputs_drop_their_sum_and_nothing_else(tmp_path: Path) -> None:
    verdicts = _verdicts(tmp_path, "% derivcheck: centred x i")
    assert verdicts[:2] == [Verdict.PROVED, Verdict.PROVED]
    assert verdicts[2] in (Verdict.REFUTED, Verdict.UNKNOWN)


def test_without_centring_the_dropped_sum_is_not_proved(tmp_path: Path) -> None:
    assert _verdicts(tmp_path, "")[0] != Verdict.PROVED
