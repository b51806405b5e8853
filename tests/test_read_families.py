"""Issue 13, reading: per-example vectors, Greek data and random names, 1×1 products used as scalars,
derivatives in an entry of a vector, softmax of a vector.

Each case is a small document as a student writes it: a true step (PROVED, identities checked by
hand, noted beside each) and a wrong one (REFUTED; the point where it fails is noted).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from doc_check import check_case

from derivcheck_steps import Verdict

_PER_EXAMPLE = "dims N d; index i N; vector w d; vector x d per i; data y i"
_SIGMA = r"function \sigma(z) = \frac{1}{1+e^{-z}}"

CASES = {
    # Σ_i x_i x_iᵀ w = Σ_i (x_iᵀ w) x_i; the wrong one replaces x_iᵀw by wᵀw (N = 1, x = e₁, w = e₂: 0 ≠ e₁)
    "outer products": (_PER_EXAMPLE, r"\sum_{i=1}^{N} x_i x_i^\top w = \sum_{i=1}^{N} (x_i^\top w)\, x_i",
                       r"\sum_{i=1}^{N} x_i x_i^\top w = \sum_{i=1}^{N} (w^\top w)\, x_i"),
    # x^{(i)} is x_i; wᵀ Σ_i x_i = Σ_i wᵀx_i (linearity); the wrong one drops the sum's length
    "superscript spelling": (_PER_EXAMPLE, r"w^\top \sum_{i=1}^{N} x^{(i)} = \sum_{i=1}^{N} w^\top x_i",
                             r"w^\top \sum_{i=1}^{N} x^{(i)} = N \sum_{i=1}^{N} w^\top x_i",
                             [Verdict.CHECKED, Verdict.REFUTED]),  # swapping Σ_i and Σ_r is the prover's to find
    # d/dw log(1 + e^{-y s}) = -y σ(-y s) x with s = wᵀx; the wrong one has σ(+y s)
    "logistic gradient": (f"{_PER_EXAMPLE}; {_SIGMA}",
                          r"\nabla_w \sum_{i=1}^{N} \log\left(1 + e^{-y_i w^\top x_i}\right)"
                          r" = -\sum_{i=1}^{N} y_i \sigma(-y_i w^\top x_i)\, x_i",
                          r"\nabla_w \sum_{i=1}^{N} \log\left(1 + e^{-y_i w^\top x_i}\right)"
                          r" = -\sum_{i=1}^{N} y_i \sigma(y_i w^\top x_i)\, x_i"),
    # the Hessian of ½Σ_i (wᵀx_i − y_i)² is Σ_i x_i x_iᵀ, not twice it
    "least squares hessian": (_PER_EXAMPLE,
                              r"\nabla^2_w \frac12 \sum_{i=1}^{N} (w^\top x_i - y_i)^2 = \sum_{i=1}^{N} x_i x_i^\top",
                              r"\nabla^2_w \frac12 \sum_{i=1}^{N} (w^\top x_i - y_i)^2 = 2\sum_{i=1}^{N} x_i x_i^\top"),
    # (Ax)_k = Σ_j A_kj x_j; the wrong one transposes A (A = [[0,1],[0,0]], x = e₂, k = 1: 1 ≠ 0)
    "entry of a product": ("dims n; index k n; index j n; matrix A n n; vector x n",
                           r"(A x)_k = \sum_{j=1}^{n} A_{kj} x_j", r"(A x)_k = \sum_{j=1}^{n} A_{jk} x_j"),
    # Greek data over an index: linearity of Σ; (Σμ_j)² ≠ Σμ_j² (J = 2, μ = (1, 1): 4 ≠ 2)
    "greek data": (r"dims J; index j J; data \mu j; data \sigma j",
                   r"\sum_{j=1}^{J} (\mu_j^2 + \sigma_j^2) = \sum_{j=1}^{J} \mu_j^2 + \sum_{j=1}^{J} \sigma_j^2",
                   r"\sum_{j=1}^{J} (\mu_j^2 + \sigma_j^2) = \left(\sum_{j=1}^{J} \mu_j\right)^2"
                   r" + \sum_{j=1}^{J} \sigma_j^2"),
    # one random variable with a Greek name: E[μ + σε] = μ for ε ~ N(0, 1), not μ + σ
    "greek random variable": (r"scalar \mu; scalar \sigma positive; random \epsilon normal 0 1",
                              r"\mathbb{E}[\mu + \sigma\epsilon] = \mu", r"\mathbb{E}[\mu + \sigma\epsilon] = \mu + \sigma"),
    # a Greek random family: E[(Σ_j ε_j)²] = d σ² for i.i.d. N(0, σ²), not σ²
    "greek random family": (r"dims d; index j d; scalar \sigma positive; random \epsilon j normal 0 \sigma^2",
                            r"\mathbb{E}\left[\left(\sum_{j=1}^{d} \epsilon_j\right)^2\right] = d \sigma^2",
                            r"\mathbb{E}\left[\left(\sum_{j=1}^{d} \epsilon_j\right)^2\right] = \sigma^2"),
    # wᵀx is 1×1: (wᵀx − t)² expands as a scalar; the wrong one forgets the cross term (t = 1, wᵀx = 1)
    "1x1 as scalar": ("dims d; vector w d; vector x d; scalar t",
                      r"(w^\top x - t)^2 = (x^\top w)^2 - 2 t\, w^\top x + t^2",
                      r"(w^\top x - t)^2 = (w^\top x)^2 - t^2"),
    "1x1 gradient": ("dims d; vector w d; vector x d; scalar t",
                     r"\nabla_w (w^\top x - t)^2 = 2 (w^\top x - t)\, x",
                     r"\nabla_w (w^\top x - t)^2 = 2 (w^\top x - t)\, w"),
    # ∂/∂z_m Σ_j y_j z_j² = 2 y_m z_m (the other terms do not depend on z_m), not 2 y_m
    "partial in an entry": ("dims K; index j K; index m K; vector z K; vector y K",
                            r"\frac{\partial}{\partial z_m} \sum_{j=1}^{K} y_j z_j^2 = 2 y_m z_m",
                            r"\frac{\partial}{\partial z_m} \sum_{j=1}^{K} y_j z_j^2 = 2 y_m"),
    # softmax of a declared vector; the wrong one forgets the exponentials (z = (0, 1), m = 1)
    "softmax of a vector": ("dims K; index j K; index m K; vector z K",
                            r"\operatorname{softmax}(z)_m \sum_{j=1}^{K} e^{z_j} = e^{z_m}",
                            r"\operatorname{softmax}(z)_m \sum_{j=1}^{K} e^{z_j} = z_m"),
    # a declared function of one variable applies entry by entry to a vector: σ(Xw)_i = σ((Xw)_i), not 1 − σ((Xw)_i)
    "elementwise function": (f"dims N d; index i N; matrix X N d; vector w d; {_SIGMA}",
                             r"\sigma(X w)_i = \sigma\left((X w)_i\right)",
                             r"\sigma(X w)_i = 1 - \sigma\left((X w)_i\right)"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_notation_proves_the_true_identity_and_refutes_the_wrong_one(tmp_path: Path, case: str) -> None:
    declarations, true, wrong, *expected = CASES[case]
    verdicts, reasons = check_case(tmp_path, declarations, true, wrong)
    assert verdicts == (expected[0] if expected else [Verdict.PROVED, Verdict.REFUTED]), reasons
