"""A derivative of one vector entry by another is a Kronecker delta with a range (SymPy's third
argument, ``KroneckerDelta(k, l, (0, K − 1))``): it is evaluated and printed like δₖₗ."""

from __future__ import annotations

import textwrap
from pathlib import Path

from derivcheck_steps import Verdict, check_derivation
from derivcheck_steps.latex.documents import read_document

SOFTMAX_JACOBIAN = r"""
\documentclass{article}
\begin{document}
\section{The softmax Jacobian}
% derivcheck: dims K
% derivcheck: index j K
% derivcheck: index k K
% derivcheck: index l K
% derivcheck: vector z K
\[ \frac{\partial}{\partial z_l} \frac{e^{z_k}}{\sum_{j=1}^{K} e^{z_j}}
   = \frac{e^{z_k}}{\sum_{j=1}^{K} e^{z_j}}\,\delta_{kl} SIGN \frac{e^{z_k} e^{z_l}}{\left(\sum_{j=1}^{K} e^{z_j}\right)^2} \]
\end{document}
"""


def _result(tmp_path: Path, sign: str):
    path = tmp_path / "jacobian.tex"
    path.write_text(textwrap.dedent(SOFTMAX_JACOBIAN.replace("SIGN", sign)), encoding="utf-8")
    (d,) = read_document(path)
    (step,) = check_derivation(d).steps
    return step


def test_the_softmax_jacobian_is_not_refuted(tmp_path: Path) -> None:
    step = _result(tmp_path, "-")
    assert step.verdict in (Verdict.PROVED, Verdict.CHECKED), step.reason


def test_a_sign_slip_in_the_softmax_jacobian_is_refuted_with_a_printed_residual(tmp_path: Path) -> None:
    step = _result(tmp_path, "+")
    assert step.verdict == Verdict.REFUTED, step.reason
    assert step.counterexample and step.residual and "internal error" not in step.reason
