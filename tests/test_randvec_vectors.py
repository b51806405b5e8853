"""Random vectors ε ~ N(0, σ²I): the identities people use, proved for symbolic d, and their wrong variants refuted."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import sympy as sp

from derivcheck_steps import Context, E, Moments, Normal, Var, Verdict, check_derivation, derivation
from derivcheck_steps.errors import DeclarationError
from derivcheck_steps.latex.documents import read_document
from derivcheck_steps.random_vectors import random_vector


def _steps(tmp_path: Path, text: str) -> list:
    path = tmp_path / "noise.tex"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return [r for d in read_document(path) for r in check_derivation(d).steps]


HEAD = r"""
\documentclass{article}
\begin{document}
\section{Gaussian noise on the inputs}
% derivcheck: context noise vector
% derivcheck: dims d
% derivcheck: vector w d
% derivcheck: vector x d
% derivcheck: matrix A d d
% derivcheck: identity I d
% derivcheck: scalar \sigma positive
% derivcheck: random vector \epsilon d \sim \mathcal{N}(0, \sigma^2 I)
"""

TRUE = [
    r"\mathbb{E}[\epsilon \epsilon^\top] = \sigma^2 I",
    r"\mathbb{E}[w^\top \epsilon] = 0",
    r"\mathbb{E}[(w^\top \epsilon)^2] = \sigma^2 \|w\|^2",
    r"\operatorname{Var}[w^\top \epsilon] = \sigma^2 w^\top w",
    r"\mathbb{E}[\epsilon^\top A \epsilon] = \sigma^2 \operatorname{tr}(A)",
    r"\mathbb{E}[\|x + \epsilon\|^2 - \|x\|^2] = d\sigma^2",
]

WRONG = [
    r"\mathbb{E}[\epsilon \epsilon^\top] = \sigma I",
    r"\mathbb{E}[(w^\top \epsilon)^2] = \sigma \|w\|^2",
    r"\mathbb{E}[\epsilon^\top A \epsilon] = \sigma^2 \operatorname{tr}(A)^2",
    r"\mathbb{E}[\epsilon^\top A \epsilon] = \sigma^2 \operatorname{tr}(A^\top A)",
    r"\mathbb{E}[\|x + \epsilon\|^2 - \|x\|^2] = \sigma^2",
]


@pytest.mark.parametrize("claim", TRUE)
def test_an_identity_of_a_noise_vector_is_proved_for_every_dimension(tmp_path: Path, claim: str) -> None:
    (res,) = _steps(tmp_path, HEAD + rf"\[ {claim} \]" + "\n\\end{document}\n")
    assert res.verdict == Verdict.PROVED, res.reason


@pytest.mark.parametrize("claim", WRONG)
def test_a_wrong_identity_of_a_noise_vector_is_refuted(tmp_path: Path, claim: str) -> None:
    (res,) = _steps(tmp_path, HEAD + rf"\[ {claim} \]" + "\n\\end{document}\n")
    assert res.verdict == Verdict.REFUTED, res.reason


def test_a_chain_expanding_the_noisy_norm_is_proved(tmp_path: Path) -> None:
    text = (
        HEAD
        + r"""
\begin{align*}
\mathbb{E}[\|x + \epsilon\|^2] &= \mathbb{E}[x^\top x + 2 x^\top \epsilon + \epsilon^\top \epsilon] \\
&= \mathbb{E}[x^\top x + \epsilon^\top \epsilon] \\
&= \mathbb{E}[x^\top x + 2\epsilon^\top \epsilon]
\end{align*}
\end{document}
"""
    )
    assert [r.verdict for r in _steps(tmp_path, text)] == [Verdict.PROVED, Verdict.PROVED, Verdict.REFUTED]


def test_a_vector_with_a_mean_vector_is_read_and_its_second_moment_proved(tmp_path: Path) -> None:
    text = (
        HEAD.replace(r"\sim \mathcal{N}(0, \sigma^2 I)", r"\sim \mathcal{N}(x, \sigma^2 I_d)")
        + r"""
\[ \mathbb{E}[w^\top \epsilon] = w^\top x \]
\[ \mathbb{E}[\epsilon^\top \epsilon - x^\top x] = d \sigma^2 \]
\[ \mathbb{E}[\epsilon^\top \epsilon] = x^\top x \]
\end{document}
"""
    )
    assert [r.verdict for r in _steps(tmp_path, text)] == [Verdict.PROVED, Verdict.PROVED, Verdict.REFUTED]


def _api() -> tuple:
    ctx = Context("noise")
    (d,) = ctx.dims("d")
    s = ctx.scalar("sigma", positive=True)
    w, A = ctx.vector("w", d), ctx.matrix("A", d, d)
    return ctx, d, s, w, A


def test_the_python_api_proves_the_quadratic_form_and_refutes_its_square() -> None:
    ctx, d, s, w, A = _api()
    eps = random_vector(ctx, "eps", d, Normal(0, s**2))
    dv = derivation("quadratic form", ctx)
    dv.claim(sp.Eq(E(eps.T * A * eps), s**2 * sp.Trace(A), evaluate=False), by="E[εεᵀ] = σ²I")
    dv.claim(sp.Eq(E(eps.T * A * eps), s**2 * sp.Trace(A) ** 2, evaluate=False), by="wrong")
    dv.claim(sp.Eq(E((w.T * eps) ** 2), s**2 * sp.sqrt((w.T * w)[0, 0]), evaluate=False), by="wrong")
    res = check_derivation(dv).steps
    assert [r.verdict for r in res] == [Verdict.PROVED, Verdict.REFUTED, Verdict.REFUTED], [r.reason for r in res]


def test_a_vector_known_by_its_covariance_only_gets_no_fourth_moment() -> None:
    # uncorrelated entries need not be independent: E[(wᵀu)⁴] depends on the joint law
    ctx, d, s, w, A = _api()
    u = random_vector(ctx, "u", d, Moments(0, s**2))
    dv = derivation("moments only", ctx)
    dv.claim(sp.Eq(Var(w.T * u), s**2 * (w.T * w), evaluate=False), by="covariance")
    dv.claim(sp.Eq(E((w.T * u) ** 4), 3 * s**4 * (w.T * w)[0, 0] ** 2, evaluate=False), by="a normal's moment")
    res = check_derivation(dv).steps
    assert res[0].verdict == Verdict.PROVED, res[0].reason
    assert res[1].verdict not in (Verdict.PROVED, Verdict.CHECKED), res[1].reason


def test_a_vector_mean_must_be_a_declared_vector_of_its_size() -> None:
    ctx, d, s, w, A = _api()
    with pytest.raises(DeclarationError):
        random_vector(ctx, "eps", d, Normal(0, s**2), mean=A)


def test_a_covariance_that_is_not_a_multiple_of_the_identity_is_an_input_error(tmp_path: Path) -> None:
    text = HEAD.replace(r"\sigma^2 I)", r"\sigma^2 (A + I))") + r"\[ \mathbb{E}[w^\top \epsilon] = 0 \]" + "\n\\end{document}\n"
    res = _steps(tmp_path, text)
    assert res[0].verdict == Verdict.UNKNOWN and "covariance" in res[0].reason


def test_solving_a_vector_noise_penalty_for_the_noise_level() -> None:
    from derivcheck_steps import solve

    ctx, d, s, w, A = _api()
    lam = ctx.scalar("lambda", positive=True)
    eps = random_vector(ctx, "eps", d, Normal(0, s**2))
    penalty = sp.Eq(E((w.T * eps) ** 2), lam * (w.T * w)[0, 0])
    dv = derivation("match the penalties", ctx)
    dv.chain(penalty).iff(sp.Eq(s**2 * (w.T * w)[0, 0], lam * (w.T * w)[0, 0]), by="exact value")
    dv.chain(penalty).iff(sp.Eq(s, lam), by=solve(s))
    res = check_derivation(dv).steps
    assert [r.verdict for r in res] == [Verdict.PROVED, Verdict.REFUTED], [r.reason for r in res]
