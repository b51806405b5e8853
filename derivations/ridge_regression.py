"""Closed-form ridge regression (handwritten solution, section 1.2.2).

Main result: for data X (N×n), targets t (N) and λ > 0, the minimiser of
‖Xw − t‖² + λ‖w‖² is w* = (XᵀX + λI)⁻¹Xᵀt, the unique solution of the normal equation
(XᵀX + λI)w = Xᵀt.

Assumptions: λ > 0, which makes XᵀX + λI positive definite and hence invertible.
The factor 1/(2N) of the homework's loss is dropped, as the solution does.

Reference: handwritten solution §1.2.2; the expansion follows it line by line.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from derivcheck_steps import Context, derivation, differentiate, solve

ctx = Context("ridge regression")
N, n = ctx.dims("N n")
X = ctx.matrix("X", N, n)
w = ctx.vector("w", n)
t = ctx.vector("t", N)
lam = ctx.scalar("lambda", positive=True, latex=r"\lambda")
I_n = sp.Identity(n)
A = X.T * X + lam * I_n
ctx.invertible(A, because="λ > 0 makes XᵀX + λI positive definite")
w_star = A.I * X.T * t

loss = (X * w - t).T * (X * w - t) + lam * w.T * w
gradient = 2 * X.T * X * w - 2 * X.T * t + 2 * lam * w

ridge = derivation("Closed-form ridge regression", ctx, section="1.2.2", doc=__doc__)
(
    ridge.chain(loss)
    .eq((w.T * X.T - t.T) * (X * w - t) + lam * w.T * w, by="transpose of a difference")
    .eq(w.T * X.T * X * w - w.T * X.T * t - t.T * X * w + t.T * t + lam * w.T * w, by="expand")
    .eq(w.T * X.T * X * w - 2 * t.T * X * w + t.T * t + lam * w.T * w, by="a 1×1 matrix equals its transpose")
    .implies(sp.Eq(gradient, sp.ZeroMatrix(n, 1)), by=differentiate(w, "set the gradient in w to zero"))
    .iff(sp.Eq(A * w, X.T * t), by="divide by 2 and collect w")
    .iff(sp.Eq(w, w_star), by=solve(w, "multiply by (XᵀX + λI)⁻¹"))
)
# Built unevaluated: SymPy would cancel A·A⁻¹ on construction and leave nothing to check.
ridge.claim(
    sp.Eq(sp.MatMul(A, w_star, evaluate=False), X.T * t, evaluate=False),
    by="the closed form satisfies the normal equation",
)


def _lstsq_agrees(rng: np.random.Generator) -> tuple[bool, str]:
    worst = 0.0
    for rows, cols in ((5, 3), (8, 4), (3, 6)):
        Xv, tv, lv = rng.normal(size=(rows, cols)), rng.normal(size=(rows, 1)), float(rng.uniform(0.1, 2))
        closed = np.linalg.solve(Xv.T @ Xv + lv * np.eye(cols), Xv.T @ tv)
        aug = np.vstack([Xv, np.sqrt(lv) * np.eye(cols)])
        ls = np.linalg.lstsq(aug, np.vstack([tv, np.zeros((cols, 1))]), rcond=None)[0]
        worst = max(worst, float(np.max(np.abs(closed - ls))))
    return worst < 1e-10, f"max |closed form − lstsq([X; √λ I], [t; 0])| = {worst:.1e} over 3 shapes"


def _gradient_descent_agrees(rng: np.random.Generator) -> tuple[bool, str]:
    Xv, tv, lv = rng.normal(size=(20, 4)), rng.normal(size=(20, 1)), 0.5
    hess = 2 * (Xv.T @ Xv + lv * np.eye(4))
    step = 1.0 / np.linalg.eigvalsh(hess).max()
    wv = np.zeros((4, 1))
    for _ in range(5000):
        wv -= step * (2 * Xv.T @ (Xv @ wv - tv) + 2 * lv * wv)
    closed = np.linalg.solve(Xv.T @ Xv + lv * np.eye(4), Xv.T @ tv)
    err = float(np.max(np.abs(wv - closed)))
    return err < 1e-8, f"gradient descent with weight decay (5000 steps) ends {err:.1e} from the closed form"


ridge.experiment("equals numpy's least-squares solution of the augmented system", _lstsq_agrees)
ridge.experiment("gradient descent with weight decay converges to it", _gradient_descent_agrees)
