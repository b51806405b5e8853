"""Audit family: random vectors and variables known by two moments, with the slips people make.

Seed claims that hold (ε ~ N(0, σ²I) in ℝ^d, u with only mean 0 and covariance σ²I, an estimator
T with only E[T] = θ + b and Var[T] = v) and, for each, wrong variants: a σ for a σ², a missing
square or an extra one, a trace squared, a normal's moment claimed for any law with these moments.
The oracle cannot sample a random vector, so each mutant carries its witness: a point (or a law
allowed by the declarations) where it fails, checked by hand in the text.
"""

from __future__ import annotations

import sympy as sp

from derivcheck_steps.audit_families import Case, Family, _cases
from derivcheck_steps.context import Context
from derivcheck_steps.model import derivation
from derivcheck_steps.random_vectors import random_vector
from derivcheck_steps.randomness import E, Moments, Normal, Var


def _eq(a: sp.Basic, b: sp.Basic) -> sp.Eq:
    return sp.Eq(a, b, evaluate=False)


def random_vectors() -> list[Case]:
    ctx = Context("random vectors")
    (d,) = ctx.dims("d")
    s = ctx.scalar("sigma", positive=True)
    w, x, A = ctx.vector("w", d), ctx.vector("x", d), ctx.matrix("A", d, d)
    eps = random_vector(ctx, "epsilon", d, Normal(0, s**2))
    u = random_vector(ctx, "u", d, Moments(0, s**2))
    eye, ww = sp.Identity(d), (w.T * w)[0, 0]
    dv = derivation("random vectors", ctx, id="family:random vectors")
    dv.claim(_eq(E(eps * eps.T), s**2 * eye), by="E[εεᵀ] = σ²I")
    dv.claim(_eq(E(w.T * eps), 0), by="linearity")
    dv.claim(_eq(E((w.T * eps) ** 2), s**2 * w.T * w), by="second moments")
    dv.claim(_eq(E(eps.T * A * eps), s**2 * sp.Trace(A)), by="trace trick")
    dv.claim(_eq(E((x + eps).T * (x + eps)), (x.T * x)[0, 0] + d * s**2), by="expand")
    dv.claim(_eq(Var(w.T * u), s**2 * w.T * w), by="covariance σ²I")
    one = "at d = 1, w = x = 1, A = 2, σ = 2: "
    return _cases(
        dv,
        {
            1: [
                ("σ for σ²", _eq(E(eps * eps.T), s * eye), one + "E[ε²] = 4 ≠ 2"),
                (
                    "every entry correlated",
                    _eq(E(eps * eps.T), s**2 * sp.OneMatrix(d, d)),
                    "at d = 2: the off-diagonal entry E[ε₁ε₂] = 0 ≠ σ²",
                ),
            ],
            2: [("a mean that is not zero", _eq(E(w.T * eps), s * ww), one + "0 ≠ 2")],
            3: [
                ("the norm not squared", _eq(E((w.T * eps) ** 2), s**2 * sp.sqrt(ww)), "at d = 1, w = 2, σ = 1: E[(2ε)²] = 4 ≠ 2"),
                ("σ for σ²", _eq(E((w.T * eps) ** 2), s * w.T * w), one + "4 ≠ 2"),
                ("squared twice", _eq(E((w.T * eps) ** 2), s**2 * ww**2), "at d = 1, w = 2, σ = 1: 4 ≠ 16"),
            ],
            4: [
                ("the trace squared", _eq(E(eps.T * A * eps), s**2 * sp.Trace(A) ** 2), one + "E[2ε²] = 8 ≠ 16"),
                ("AᵀA for A", _eq(E(eps.T * A * eps), s**2 * sp.Trace(A.T * A)), one + "8 ≠ 16"),
            ],
            5: [
                ("d dropped", _eq(E((x + eps).T * (x + eps)), (x.T * x)[0, 0] + s**2), "at d = 2, x = 0, σ = 1: 2 ≠ 1"),
                ("σ for σ²", _eq(E((x + eps).T * (x + eps)), (x.T * x)[0, 0] + d * s), one + "1 + 4 ≠ 1 + 2"),
            ],
            6: [
                (
                    "a normal's fourth moment for a law known by two",
                    _eq(E((w.T * u) ** 4), 3 * s**4 * ww**2),
                    "u with i.i.d. entries ±σ (mean 0, covariance σ²I): at d = 1, w = 1, E[u⁴] = σ⁴ ≠ 3σ⁴",
                )
            ],
        },
    )


def estimator_moments() -> list[Case]:
    ctx = Context("estimator known by two moments")
    th, b = ctx.scalar("theta"), ctx.scalar("b")
    v = ctx.scalar("v", positive=True)
    T = ctx.random("T", dist=Moments(th + b, v))
    dv = derivation("estimator", ctx, id="family:estimator moments")
    dv.claim(sp.Eq(E((T - th) ** 2), v + b**2), by="bias-variance")
    dv.claim(sp.Eq(Var(2 * T + th), 4 * v), by="Var[aX + c] = a²Var[X]")
    return _cases(
        dv,
        {
            1: [
                ("bias not squared", sp.Eq(E((T - th) ** 2), v + b), "at θ = 0, b = 2, v = 1: 5 ≠ 3"),
                (
                    "a normal's third moment for any law",
                    sp.Eq(E((T - th) ** 3), b**3 + 3 * b * v),
                    "T = θ + b + √v (Exp(1) − 1): E[(T − θ)³] = b³ + 3bv + 2v^{3/2} ≠ b³ + 3bv",
                ),
            ],
            2: [
                ("a not squared", sp.Eq(Var(2 * T + th), 2 * v), "at v = 1: Var[2T] = 4 ≠ 2"),
                ("the shift kept", sp.Eq(Var(2 * T + th), 4 * v + th**2), "at θ = 1, v = 1: 4 ≠ 5"),
            ],
        },
    )


def covariance() -> list[Case]:
    ctx = Context("random vector with covariance")
    (d,) = ctx.dims("d")
    w, A, S = ctx.vector("w", d), ctx.matrix("A", d, d), ctx.matrix("Sigma", d, d)
    x = random_vector(ctx, "x", d, Normal(0, 1), cov=S)
    dv = derivation("covariance", ctx, id="family:random vector with covariance")
    dv.claim(_eq(Var(w.T * x), w.T * S * w), by="Var[wᵀx] = wᵀΣw")
    dv.claim(_eq(E(x.T * A * x), sp.Trace(A * S)), by="trace trick")
    one = "at d = 1, Σ = 4 (L = 2), w = 1, A = 1: "
    return _cases(
        dv,
        {
            1: [("Σ squared", _eq(Var(w.T * x), w.T * S * S * w), one + "Var[x] = 4 ≠ 16")],
            2: [
                ("the trace squared", _eq(E(x.T * A * x), sp.Trace(A * S) ** 2), one + "E[x²] = 4 ≠ 16"),
                ("Σ taken as I", _eq(E(x.T * A * x), sp.Trace(A)), one + "4 ≠ 1"),
            ],
        },
    )


FAMILIES: dict[str, Family] = {
    "random vectors": random_vectors,
    "estimator moments": estimator_moments,
    "random vector with covariance": covariance,
}
