"""Prediction under an adversarial attack on a linear model (handwritten solution, section 1.1.2).

Main results: for f(x; w) = wᵀx, the input gradient is ∇ₓf = w; the gradient attack
x′ = x − εw gives f(x′) = wᵀx − ε‖w‖²; the sign-of-gradient (FGSM) attack
x′ = x − ε·sign(w) gives f(x′) = wᵀx − ε‖w‖₁, which is never above wᵀx.

Assumptions: w, x ∈ ℝⁿ, ε > 0.

Reference: handwritten solution §1.1.2 (the FGSM variant is Goodfellow et al. 2015).
"""

from __future__ import annotations

import sympy as sp

from derivcheck_steps import Context, derivation, differentiate

ctx = Context("linear model under attack")
(n,) = ctx.dims("n")
w = ctx.vector("w", n)
x = ctx.vector("x", n)
eps = ctx.scalar("epsilon", positive=True, latex=r"\epsilon")

attack = derivation("Prediction under the gradient attack", ctx, section="1.1.2", doc=__doc__)
attack.chain(w.T * x).eq(w, by=differentiate(x, "gradient of wᵀx in x"))
x_adv = x - eps * w
(
    attack.chain(w.T * x_adv)
    .eq(w.T * x - eps * w.T * w, by="distribute, with ‖w‖² = wᵀw")
)

# FGSM works entry by entry (sign is not a matrix function), so it is written with sums.
fctx = Context("linear model under the sign-of-gradient attack")
(m,) = fctx.dims("n")
j = fctx.index("j", m)
wj = fctx.indexed("w", j)
xj = fctx.indexed("x", j)
feps = fctx.scalar("epsilon", positive=True, latex=r"\epsilon")

fgsm = derivation("Prediction under the sign-of-gradient (FGSM) attack", fctx, section="1.1.2", doc=__doc__)
prediction = sp.Sum(wj[j] * (xj[j] - feps * sp.sign(wj[j])), (j, 1, m))
clean = sp.Sum(wj[j] * xj[j], (j, 1, m))
l1 = sp.Sum(sp.Abs(wj[j]), (j, 1, m))
(
    fgsm.chain(prediction)
    .eq(clean - feps * sp.Sum(wj[j] * sp.sign(wj[j]), (j, 1, m)), by="distribute the sum")
    .eq(clean - feps * l1, by="w_j sign(w_j) = |w_j|, so the sum is ‖w‖₁")
)
fgsm.claim(sp.Le(clean - feps * l1, clean, evaluate=False), by="ε‖w‖₁ ≥ 0: the attack never raises the prediction")

review = derivation("Section 1.1.2 as written in the handwritten solution", ctx, section="1.1.2", review=True,
                    doc="The solution's steps for the gradient attack, exactly as written.")
review.chain(w.T * x).eq(w, by=differentiate(x, "∂(wᵀx)/∂x = w"))
x_prime = ctx.define("x'", x_adv, latex="x'")
review.chain(w.T * x_prime).eq(w.T * (x - eps * w), by="x′ ← x − ε·w, so f(x′; w) = wᵀ(x − εw)")
