"""A property the text states of a declared matrix's inverse or transpose that the declarations
already give ("D is diagonal, so $D^{-1}$ is diagonal") restricts nothing: counterexamples stay
trusted. One that does not follow stays an unread fact, and a counterexample is not trusted."""

from __future__ import annotations

import textwrap
from pathlib import Path

from derivcheck_steps import Verdict, check_derivation
from derivcheck_steps.latex.documents import read_document

DOC = r"""
\documentclass{article}
\begin{document}
\section{A quadratic form}
% derivcheck: dims d
% derivcheck: vector x d
% derivcheck: vector \mu d
% derivcheck: matrix D d d DECLARED
Here $D^{-1}$ is diagonal and symmetric.
\begin{align*}
&(x - \mu)^\top D^{-1} (x - \mu) \\
&= x^\top D^{-1} x - 2\mu^\top D^{-1} x + \mu^\top D^{-1} \mu \\
&= x^\top D^{-1} x + \mu^\top D^{-1} \mu
\end{align*}
\end{document}
"""


def _verdicts(tmp_path: Path, declared: str) -> list[Verdict]:
    path = tmp_path / "form.tex"
    path.write_text(textwrap.dedent(DOC.replace("DECLARED", declared)), encoding="utf-8")
    return [s.verdict for d in read_document(path) for s in check_derivation(d).steps]


def test_a_property_that_follows_from_the_declarations_keeps_counterexamples_trusted(tmp_path: Path) -> None:
    assert _verdicts(tmp_path, "diagonal pd") == [Verdict.PROVED, Verdict.REFUTED]


def test_a_property_that_does_not_follow_is_still_an_unread_fact(tmp_path: Path) -> None:
    verdicts = _verdicts(tmp_path, "invertible")
    assert verdicts[-1] == Verdict.UNKNOWN  # the counterexample may be excluded by "D^{-1} is diagonal"
