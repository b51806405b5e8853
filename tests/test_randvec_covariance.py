"""Random vectors with a general covariance Σ (written L Lᵀ, so proofs hold for every positive semidefinite Σ)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import sympy as sp

from derivcheck_steps import Context, E, Normal, Var, Verdict, check_derivation, derivation
from derivcheck_steps.errors import DeclarationError
from derivcheck_steps.latex.documents import read_document
from derivcheck_steps.random_vectors import random_vector

DOC = r"""
\documentclass{article}
\begin{document}
\section{General covariance}
% derivcheck: context covariance
% derivcheck: dims d
% derivcheck: vector w d
% derivcheck: vector \mu d
% derivcheck: matrix A d d
% derivcheck: matrix \Sigma d d
% derivcheck: random vector x d \sim \mathcal{N}(\mu, \Sigma)
\[ \mathbb{E}[x^\top A x - \mu^\top A \mu] = \operatorname{tr}(A\Sigma) \]
\[ \operatorname{Var}[w^\top x] = w^\top \Sigma w \]
\[ \mathbb{E}[x x^\top] = \Sigma + \mu \mu^\top \]
\[ \mathbb{E}[x^\top A x] = \operatorname{tr}(A\Sigma) \]
\[ \operatorname{Var}[w^\top x] = w^\top \Sigma^2 w \]
\[ \mathbb{E}[x x^\top] = \Sigma \]
\end{document}
"""


def test_quadratic_forms_of_a_gaussian_vector_with_covariance_sigma(tmp_path: Path) -> None:
    path = tmp_path / "cov.tex"
    path.write_text(textwrap.dedent(DOC), encoding="utf-8")
    res = [r for d in read_document(path) for r in check_derivation(d).steps]
    assert [r.verdict for r in res] == [Verdict.PROVED] * 3 + [Verdict.REFUTED] * 3, [r.reason for r in res]


def test_the_python_api_proves_the_covariance_of_a_linear_map() -> None:
    ctx = Context("linear map")
    (d,) = ctx.dims("d")
    B, S = ctx.matrix("B", d, d), ctx.matrix("S", d, d)
    s = ctx.scalar("s", positive=True)
    x = random_vector(ctx, "x", d, Normal(0, s**2), cov=S)
    dv = derivation("Cov[Bx]", ctx)
    dv.claim(sp.Eq(Var(B * x), s**2 * B * S * B.T, evaluate=False), by="Cov[Bx] = B Cov[x] Bᵀ")
    dv.claim(sp.Eq(Var(B * x), s**2 * B.T * S * B, evaluate=False), by="transposes swapped")
    dv.claim(sp.Eq(E(x.T * x), s**2 * sp.Trace(S), evaluate=False), by="trace")
    res = check_derivation(dv).steps
    assert [r.verdict for r in res] == [Verdict.PROVED, Verdict.REFUTED, Verdict.PROVED], [r.reason for r in res]


def test_a_covariance_must_be_a_declared_square_matrix_of_the_vector_size() -> None:
    ctx = Context("bad")
    d, n = ctx.dims("d n")
    S = ctx.matrix("S", d, n)
    with pytest.raises(DeclarationError):
        random_vector(ctx, "x", d, Normal(0, 1), cov=S)
