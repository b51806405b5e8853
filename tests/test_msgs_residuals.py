"""A residual is shown in the document's own 1-based indices (z_k, W_kj, δ(k, l)), never SymPy's z[k − 1, 0]."""

from __future__ import annotations

import textwrap
from pathlib import Path

import sympy as sp

from derivcheck_steps import Context, Verdict, check_derivation
from derivcheck_steps.latex.documents import read_document
from derivcheck_steps.plain import plain
from derivcheck_steps.residuals import readable_residual

DOC = r"""
\documentclass{article}
\begin{document}
\section{Softmax Jacobian with a sign slip}
% derivcheck: dims K
% derivcheck: index j K
% derivcheck: index k K
% derivcheck: index l K
% derivcheck: vector z K
\begin{align*}
\frac{\partial}{\partial z_l} \frac{e^{z_k}}{\sum_{j=1}^{K} e^{z_j}}
&= \frac{e^{z_k}}{\sum_{j=1}^{K} e^{z_j}} \left( \delta_{kl} + \frac{e^{z_l}}{\sum_{j=1}^{K} e^{z_j}} \right)
\end{align*}

\section{Softmax Jacobian with the delta's sign slipped}
% derivcheck: dims K
% derivcheck: index j K
% derivcheck: index k K
% derivcheck: index l K
% derivcheck: vector z K
\begin{align*}
\frac{\partial}{\partial z_l} \frac{e^{z_k}}{\sum_{j=1}^{K} e^{z_j}}
&= \frac{e^{z_k}}{\sum_{j=1}^{K} e^{z_j}} \left( \frac{e^{z_l}}{\sum_{j=1}^{K} e^{z_j}} - \delta_{kl} \right)
\end{align*}

\section{A matrix entry}
% derivcheck: dims n m
% derivcheck: index k n
% derivcheck: index j m
% derivcheck: index i m
% derivcheck: matrix W n m
% derivcheck: vector x m
\begin{align*}
\frac{\partial}{\partial W_{kj}} \sum_{i=1}^{m} W_{ki} x_i &= x_j + W_{kj}
\end{align*}

\section{A sum shifted by one}
% derivcheck: dims n
% derivcheck: index i n
% derivcheck: vector x n
\begin{align*}
\sum_{i=2}^{n} x_i &= \sum_{i=1}^{n-1} x_i
\end{align*}

\section{A triangle off by one}
% derivcheck: dims n
% derivcheck: index i n
% derivcheck: index j n
% derivcheck: vector x n
\begin{align*}
\sum_{i=1}^{n} \sum_{j=1}^{n} x_i x_j &= \sum_{i=1}^{n} x_i^2 + \sum_{i=1}^{n} \sum_{j=1}^{i} x_i x_j
\end{align*}
\end{document}
"""


def _residuals(tmp_path: Path) -> dict[str, str | None]:
    doc = tmp_path / "slips.tex"
    doc.write_text(textwrap.dedent(DOC))
    out = {}
    for d in read_document(doc):
        (step,) = check_derivation(d).steps
        assert step.verdict == Verdict.REFUTED, (d.title, step.reason)
        out[d.title] = step.residual
    return out


def test_refuted_steps_show_residuals_in_the_documents_indices(tmp_path: Path) -> None:
    shown = _residuals(tmp_path)
    assert shown == {
        "Softmax Jacobian with a sign slip": "−2·exp(zₖ + zₗ)/(Σⱼ₌₁ᴷ exp(zⱼ))²",
        "Softmax Jacobian with the delta's sign slipped": "2(−exp(zₖ + zₗ)/Σⱼ₌₁ᴷ exp(zⱼ) + exp(zₖ)δ(k, l))/Σⱼ₌₁ᴷ exp(zⱼ)",
        "A matrix entry": "−Wₖⱼ",
        "A sum shifted by one": "−Σ(i=1..n − 1) xᵢ + Σᵢ₌₂ⁿ xᵢ",
        "A triangle off by one": "−Σᵢ₌₁ⁿ xᵢ² − Σᵢ₌₁ⁿ Σⱼ₌₁ⁱ xᵢxⱼ + Σᵢ₌₁ⁿ Σⱼ₌₁ⁿ xᵢxⱼ",
    }
    for text in shown.values():
        assert "[" not in text and "− 1, " not in text and "δ(0" not in text


def _ctx() -> tuple[Context, sp.Symbol, sp.Symbol, sp.MatrixSymbol]:
    ctx = Context("entries")
    n = ctx.dim("n")
    k, ell = ctx.index("k", n), ctx.index("l", n)
    return ctx, k, ell, ctx.vector("z", n)


def test_entries_deltas_and_internal_sums_are_shifted_back_to_one_based() -> None:
    ctx, k, ell, z = _ctx()
    n = next(iter(ctx.dims_))
    hidden = sp.Symbol("_s0", integer=True)
    residual = z[k - 1, 0] * sp.KroneckerDelta(k - 1, ell - 1)
    assert plain(readable_residual(residual, (), ctx), ctx) == "δ(k, l)zₖ"
    assert plain(readable_residual(sp.Sum(z[hidden, 0] ** 2, (hidden, 0, n - 1)), (), ctx), ctx) == "Σₖ₌₁ⁿ zₖ²"
    assert plain(readable_residual(z[0, 0] - sp.KroneckerDelta(0, ell - k), (), ctx), ctx) == "−δ(k, l) + z₁"


def test_a_delta_the_document_wrote_is_left_as_written() -> None:
    ctx, k, ell, z = _ctx()
    assert readable_residual(sp.KroneckerDelta(k, ell) * z[k - 1, 0], (), ctx) == sp.KroneckerDelta(k, ell) * sp.Indexed("z", k)


def test_a_squared_sum_and_nested_sums_print_as_on_paper() -> None:
    i, j, n = sp.symbols("i j n", integer=True, positive=True)
    x = sp.IndexedBase("x")
    assert plain(sp.Sum(x[i], (i, 1, n)) ** 2) == "(Σᵢ₌₁ⁿ xᵢ)²"
    assert plain(sp.Sum(x[i] * x[j], (j, 1, i), (i, 1, n))) == "Σᵢ₌₁ⁿ Σⱼ₌₁ⁱ xᵢxⱼ"
