"""Traces, logarithms and hyperbolic functions in normal form (checks/traces.py, checks/logs.py,
checks/canonical.py), with the wrong variants each rule must not accept (argued by hand)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import sympy as sp

from derivcheck_steps import Context, Verdict, check_derivation, derivation
from derivcheck_steps.engine import check_step
from derivcheck_steps.latex.documents import read_document
from derivcheck_steps.mutants_prove import log_of_sum_split, trace_swapped


def _verdicts(d):
    return [r.verdict for r in check_derivation(d).steps]


def test_trace_rules_and_a_swap():
    ctx = Context("traces")
    n, m = ctx.dims("n m")
    A, B, C = (ctx.matrix(k, n, n) for k in "ABC")
    M, x = ctx.matrix("M", m, n), ctx.vector("x", n)
    c = ctx.scalar("c")
    d = derivation("traces", ctx)
    d.chain(sp.Trace(A + c * B)).eq(sp.Trace(A) + c * sp.Trace(B), by="linear")
    d.chain(sp.Trace(A * B * C)).eq(sp.Trace(C * A * B), by="cyclic")
    d.chain(sp.Trace(A.T * B)).eq(sp.Trace(B.T * A), by="transpose")
    d.chain(sp.Trace(x.T * A * x)).eq(sp.Trace(A * x * x.T), by="trace trick")
    d.chain(sp.Trace(M.T * M)).eq(sp.Trace(M * M.T), by="Frobenius")
    d.chain(sp.Trace(A * B * C)).eq(sp.Trace(B * A * C), by="not cyclic")  # n = 2: tr(ABC) ≠ tr(BAC) in general
    d.chain(sp.Trace(A * B)).eq(sp.Trace(A) * sp.Trace(B), by="not multiplicative")  # A = B = I₂: 2 ≠ 4
    assert _verdicts(d) == [Verdict.PROVED] * 5 + [Verdict.REFUTED] * 2
    step = d.steps[1]
    (mutant,) = trace_swapped(d, step)
    assert check_step(d, mutant.as_step(step)).verdict == Verdict.REFUTED


def test_logarithms_of_factors_positive_by_the_declarations():
    # log(p^y (1 − p)^{1−y}) = y log p + (1 − y) log(1 − p) needs 1 − p > 0: declared 0 < p < 1
    ctx = Context("bernoulli")
    p = ctx.scalar("p", interval=(0, 1))
    y = ctx.scalar("y")
    a, b = ctx.scalar("a"), ctx.scalar("b")
    d = derivation("logs", ctx)
    d.chain(sp.log(p**y * (1 - p) ** (1 - y))).eq(y * sp.log(p) + (1 - y) * sp.log(1 - p), by="log rules")
    d.chain(sp.log(sp.exp(a) + sp.exp(b))).eq(a + sp.log(1 + sp.exp(b - a)), by="factor e^a")
    d.chain(sp.log(sp.exp(a) + sp.exp(b))).eq(a + sp.log(1 + sp.exp(a - b)), by="sign slip")  # a = 0, b = 1: differ
    assert _verdicts(d) == [Verdict.PROVED, Verdict.PROVED, Verdict.REFUTED]
    step = d.steps[1]
    mutants = log_of_sum_split(d, step)
    assert mutants and all(check_step(d, m.as_step(step)).verdict == Verdict.REFUTED for m in mutants)


def test_logarithm_of_a_square_is_not_twice_the_logarithm_for_a_free_sign():
    # log x² = 2 log x fails for x < 0 (the right side is undefined): never PROVED
    ctx = Context("square")
    x = ctx.scalar("x")
    d = derivation("square", ctx)
    d.chain(sp.log(x**2)).eq(2 * sp.log(x), by="power rule")
    assert _verdicts(d) != [Verdict.PROVED]


def test_tanh_as_exponentials():
    ctx = Context("tanh")
    z = ctx.scalar("z")
    d = derivation("tanh", ctx)
    d.chain(sp.tanh(z)).eq((sp.exp(z) - sp.exp(-z)) / (sp.exp(z) + sp.exp(-z)), by="definition")
    d.chain(sp.tanh(z)).eq((sp.exp(z) - sp.exp(-z)) / (sp.exp(z) - sp.exp(-z) + 2), by="slip")  # z = 1: differ
    assert _verdicts(d) == [Verdict.PROVED, Verdict.REFUTED]


SOFTMAX = r"""
\documentclass{article}
\begin{document}
\section{Log-softmax}
% derivcheck: context log-softmax
% derivcheck: dims K
% derivcheck: index j K
% derivcheck: index k K
% derivcheck: vector z K
% derivcheck: vector y K
\begin{align*}
-\sum_{j=1}^{K} y_j \log \frac{e^{z_j}}{\sum_{k=1}^{K} e^{z_k}}
&= -\sum_{j=1}^{K} y_j \left( z_j - \log \sum_{k=1}^{K} e^{z_k} \right) \\
\log \sum_{k=1}^{K} e^{z_k} &= \log\left( e^{c} \sum_{k=1}^{K} e^{z_k - c} \right)
\end{align*}
\end{document}
"""


def test_log_softmax_and_log_sum_exp_in_latex(tmp_path: Path):
    # Σ_k e^{z_k} > 0 (exponentials of real entries, K ≥ 1 terms), so the logarithm splits
    path = tmp_path / "softmax.tex"
    text = textwrap.dedent(SOFTMAX).replace("% derivcheck: vector y K", "% derivcheck: vector y K\n% derivcheck: scalar c")
    path.write_text(text, encoding="utf-8")
    results = [r for d in read_document(path) for r in check_derivation(d).steps]
    assert [r.verdict for r in results] == [Verdict.PROVED, Verdict.PROVED]
