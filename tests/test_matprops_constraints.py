"""Equality constraints (issue 14, item 4): Σ_k y_k = 1, ‖u‖ = 1, one-hot y.

The provers substitute the constraint and the samplers draw on it, so the softmax cross-entropy
gradient p_m − y_m is PROVED under Σ y = 1 and REFUTED without it.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import sympy as sp

from derivcheck_steps import Verdict, check_derivation
from derivcheck_steps.context import Context
from derivcheck_steps.latex.documents import read_document
from derivcheck_steps.sampling import draw_instances

P, R = Verdict.PROVED, Verdict.REFUTED

SOFTMAX = r"""
\documentclass{article}
\begin{document}
\section{Softmax cross-entropy}
% derivcheck: context softmax
% derivcheck: dims K
% derivcheck: index j K
% derivcheck: index k K
% derivcheck: index m K
% derivcheck: data z k
DECLARE
Let $y$ be a probability vector over the $K$ classes. The loss simplifies:
\begin{align*}
& -\sum_{j=1}^{K} y_j \log \frac{e^{z_j}}{\sum_{k=1}^{K} e^{z_k}} \\
&= -\sum_{j=1}^{K} y_j z_j + \left( \sum_{j=1}^{K} y_j \right) \log \sum_{k=1}^{K} e^{z_k} \\
&= -\sum_{j=1}^{K} y_j z_j + \log \sum_{k=1}^{K} e^{z_k} && \text{since } \textstyle\sum_j y_j = 1
\end{align*}
and its gradient in one logit is the prediction minus the label:
\[ \frac{\partial}{\partial z_m} \left( -\sum_{j=1}^{K} y_j \log \frac{e^{z_j}}{\sum_{k=1}^{K} e^{z_k}} \right)
   = \frac{e^{z_m}}{\sum_{k=1}^{K} e^{z_k}} - RHS \]
\end{document}
"""


def _verdicts(tmp_path: Path, text: str) -> list[Verdict]:
    path = tmp_path / "softmax.tex"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return [r.verdict for d in read_document(path) for r in check_derivation(d).steps]


@pytest.mark.parametrize("declare", [
    "% derivcheck: data y k\n% derivcheck: assume \\sum_{j=1}^{K} y_j = 1",
    "% derivcheck: data y k\n% derivcheck: assume \\sum_{k=1}^{K} y_k = 1",
    "% derivcheck: data y k one-hot",
])
def test_the_softmax_gradient_is_proved_under_the_constraint(tmp_path, declare):
    text = SOFTMAX.replace("DECLARE", declare).replace("RHS", "y_m")
    assert _verdicts(tmp_path, text) == [P, P, P]


def test_the_softmax_gradient_is_refuted_without_the_constraint(tmp_path):
    text = SOFTMAX.replace("DECLARE", "% derivcheck: data y k").replace("RHS", "y_m")
    assert _verdicts(tmp_path, text) == [P, R, R]


def test_a_wrong_softmax_gradient_is_refuted_under_the_constraint(tmp_path):
    text = SOFTMAX.replace("DECLARE", "% derivcheck: data y k\n% derivcheck: assume \\sum_{j=1}^{K} y_j = 1")
    assert _verdicts(tmp_path, text.replace("RHS", "2 y_m"))[-1] == R


def test_a_constraint_on_a_vector_proves_the_corpus_step(tmp_path):
    # tests/corpus/02: y declared as a vector, the constraint written as in the corpus document
    text = SOFTMAX.replace("% derivcheck: data z k\n", "% derivcheck: data z k\n% derivcheck: vector y K\n")
    text = text.replace("DECLARE", "% derivcheck: assume \\sum_{j=1}^{K} y_j = 1").replace("RHS", "y_m")
    assert _verdicts(tmp_path, text)[:2] == [P, P]  # the step before the constraint is used stays proved too


def test_a_step_with_no_constrained_sum_keeps_its_proof(tmp_path):
    # only one side mentions y: the sums of the other keep matching (bound indices named alike)
    text = SOFTMAX.replace("DECLARE", "% derivcheck: data y k\n% derivcheck: assume \\sum_{j=1}^{K} y_j = 1")
    text = text.replace("RHS", "y_m").replace(r"& -\sum_{j=1}^{K} y_j \log \frac{e^{z_j}}{\sum_{k=1}^{K} e^{z_k}} \\",
                                              r"& \log \sum_{k=1}^{K} e^{z_k} - \sum_{j=1}^{K} y_j z_j \\")
    assert r"& \log \sum_{k=1}^{K} e^{z_k} - " in text
    assert _verdicts(tmp_path, text) == [P, P, P]


UNIT = r"""
\documentclass{article}
\begin{document}
\section{Householder}
% derivcheck: context householder
% derivcheck: dims n
% derivcheck: vector x n
% derivcheck: identity I n
DECLARE
A reflection through the hyperplane orthogonal to the unit vector $u$:
\[ (I - 2 u u^\top)^\top (I - 2 u u^\top) = I \]
\[ (I - 2 u u^\top) u = -u \]
\[ x^\top (I - u u^\top) u = 0 \]
\[ (I - 2 u u^\top) u = u \]
\end{document}
"""


@pytest.mark.parametrize("declare", [
    "% derivcheck: vector u n\n% derivcheck: assume \\|u\\| = 1",
    "% derivcheck: vector u n\n% derivcheck: assume \\|u\\|_2^2 = 1",
    "% derivcheck: vector u n\n% derivcheck: assume u^\\top u = 1",
    "% derivcheck: vector u n unit",
])
def test_a_unit_vector_proves_the_householder_steps(tmp_path, declare):
    assert _verdicts(tmp_path, UNIT.replace("DECLARE", declare)) == [P, P, P, R]


def test_without_the_unit_norm_the_householder_steps_are_refuted(tmp_path):
    assert _verdicts(tmp_path, UNIT.replace("DECLARE", "% derivcheck: vector u n")) == [R, R, R, R]


def test_an_unsupported_constraint_is_an_input_problem_that_refutes_nothing(tmp_path):
    text = SOFTMAX.replace("DECLARE", "% derivcheck: data y k\n% derivcheck: assume \\sum_{j=1}^{K} y_j z_j = 1")
    verdicts = _verdicts(tmp_path, text.replace("RHS", "y_m"))
    assert verdicts[0] == Verdict.UNKNOWN and R not in verdicts  # the unread line may exclude a counterexample


# -- the samplers draw on the constraint ----------------------------------------------------------------


def _ctx() -> tuple[Context, sp.IndexedBase, sp.MatrixSymbol]:
    from derivcheck_steps.constraints import Constraint, one_hot

    ctx = Context("constrained")
    (K,) = ctx.dims("K")
    k = ctx.index("k", K)
    y = ctx.indexed("y", k)
    u = ctx.vector("u", K)
    h = ctx.vector("h", K)
    ctx.constrain(Constraint("sum", y, sp.Integer(1), k, sp.Integer(1), K, y[k]))
    ctx.constrain(Constraint("norm", u, sp.Integer(1)))
    ctx.constrain(one_hot(h, ctx))
    return ctx, y, u


def test_instances_lie_on_every_constraint():
    ctx, y, u = _ctx()
    h = next(m for m in ctx.matrices if m.name == "h")
    for inst in draw_instances(ctx, 3, 12, 4):
        assert sum(inst.exact[y]) == 1
        assert sum(v * v for v in inst.exact[u].reshape(-1)) == 1
        assert sorted(inst.exact[h].reshape(-1))[-1] == 1 and sum(inst.exact[h].reshape(-1)) == 1


def test_a_second_constraint_on_the_same_vector_is_an_error():
    from derivcheck_steps.constraints import Constraint
    from derivcheck_steps.errors import DeclarationError

    ctx, y, u = _ctx()
    with pytest.raises(DeclarationError):
        ctx.constrain(Constraint("norm", u, sp.Integer(4)))
