"""An order relation compares numbers: a 1×1 product beside it (x^T x > 0) is read as its entry, in
rows and in `assume` declarations."""

from __future__ import annotations

import textwrap
from pathlib import Path

from derivcheck_steps import Verdict, check_derivation
from derivcheck_steps.latex.documents import read_document

DOC = r"""
\documentclass{article}
\begin{document}
\section{Norms}
% derivcheck: dims n
% derivcheck: vector x n
% derivcheck: vector w n
% derivcheck: scalar c
% derivcheck: assume x^\top x > 0
\[ x^\top x \ge 0 \]
\[ (w^\top x)^2 \le (w^\top w)(x^\top x) \]
\[ x^\top x - 1 \ge x^\top x \]
\end{document}
"""


def test_order_relations_between_1x1_products_are_read_and_decided(tmp_path: Path) -> None:
    path = tmp_path / "norms.tex"
    path.write_text(textwrap.dedent(DOC), encoding="utf-8")
    (d,) = read_document(path)
    results = check_derivation(d).steps
    assert all(r.cause != "input" for r in results), [r.reason for r in results]
    assert results[0].verdict == Verdict.PROVED
    assert results[1].verdict in (Verdict.PROVED, Verdict.CHECKED)
    assert results[-1].verdict == Verdict.REFUTED
    assert len(d.ctx.facts) == 1  # the assumption was read


SHIFTED = r"""
\documentclass{article}
\begin{document}
\section{Absolute values}
% derivcheck: scalar a
% derivcheck: assume ASSUMPTION
\[ |a - 2| = a - 2 \]
\end{document}
"""


def _absolute(tmp_path: Path, assumption: str):
    path = tmp_path / "abs.tex"
    path.write_text(textwrap.dedent(SHIFTED.replace("ASSUMPTION", assumption)), encoding="utf-8")
    return [r for d in read_document(path) for r in check_derivation(d).steps]


def test_an_assumption_a_greater_than_b_restricts_the_sampled_points(tmp_path: Path) -> None:
    for assumption in ("a > 2", "3 < a"):  # read; the step holds wherever it allows (few sampled points may lie there)
        (step,) = _absolute(tmp_path, assumption)
        assert step.cause != "input" and step.verdict != Verdict.REFUTED, step.reason
    (step,) = _absolute(tmp_path, "a > 1")
    assert step.verdict == Verdict.REFUTED  # a = 3/2 is allowed, and |a − 2| ≠ a − 2 there


def test_an_assumption_that_cannot_be_read_says_what_can_in_latex(tmp_path: Path) -> None:
    problem = _absolute(tmp_path, r"a \ge 2")[0]
    assert problem.cause == "input"
    assert r"`A > B`" in problem.reason and "Ne(" not in problem.reason
