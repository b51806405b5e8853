"""Attack size under weight decay, one input dimension (handwritten solution, section 1.2.3).

Main results: with 1-D ridge weight w = xᵀt/(xᵀx + λ), the attack x₀ − εw drives the prediction
to zero at ε = x₀(xᵀx + λ)/(xᵀt); when the attacked point is the single training point this is
ε = (x² + λ)/t. dε/dλ = x₀/(xᵀt), positive exactly when the clean prediction f(x₀) is
positive: weight decay makes the attack need a larger ε only under that sign condition, and a
smaller one when f(x₀) < 0.

Assumptions: λ > 0; training inputs x_i and targets t_i (i = 1..N) with xᵀt ≠ 0 (otherwise
w = 0 and no ε moves the prediction); attacked point x₀ ≠ 0.

Reference: handwritten solution §1.2.3, whose boxed ε = (xᵀx + λ)/(xᵀt) is wrong by a factor
of x in the single-point case (see the review derivation).
"""

from __future__ import annotations

import sympy as sp

from derivcheck_steps import Context, derivation, differentiate, solve

# -- the single training point ---------------------------------------------------------
one = Context("1-D ridge, one training point")
x = one.scalar("x", nonzero=True)
t = one.scalar("t", nonzero=True)
lam = one.scalar("lambda", positive=True, latex=r"\lambda")
eps = one.scalar("epsilon", latex=r"\epsilon")
w1 = x * t / (x**2 + lam)  # (xᵀx + λ)⁻¹xᵀt with N = n = 1

single = derivation("Attack size for the single training point", one, section="1.2.3", doc=__doc__)
(
    single.chain(sp.Eq(w1 * (x - eps * w1), 0))
    .iff(sp.Eq(eps, (x**2 + lam) / t), by=solve(eps))
)

# -- N training points, attacked point x0 -----------------------------------------------
ctx = Context("1-D ridge, N training points")
(N,) = ctx.dims("N")
i = ctx.index("i", N)
xi = ctx.indexed("x", i, latex="x_{{{0}}}")
ti = ctx.indexed("t", i, latex="t_{{{0}}}")
x0 = ctx.scalar("x0", nonzero=True, latex="x_0")
lam_n = ctx.scalar("lambda", positive=True, latex=r"\lambda")
eps_n = ctx.scalar("epsilon", latex=r"\epsilon")
xx = sp.Sum(xi[i] ** 2, (i, 1, N))  # xᵀx
xt = sp.Sum(xi[i] * ti[i], (i, 1, N))  # xᵀt
ctx.assume(sp.Ne(xt, 0), because="xᵀt ≠ 0, else w = 0 and no attack changes the prediction")
w = xt / (xx + lam_n)
eps_star = x0 * (xx + lam_n) / xt
f_x0 = w * x0

general = derivation("Attack size for an attacked point x₀ and N training points", ctx, section="1.2.3", doc=__doc__)
general.chain(sp.Eq(w * (x0 - eps_n * w), 0)).iff(sp.Eq(eps_n, eps_star), by=solve(eps_n))
general.chain(eps_star).eq(x0 / xt, by=differentiate(lam_n, "dε/dλ"))
general.claim(x0 / xt > 0, given=[f_x0 > 0], by="dε/dλ = f(x₀)(xᵀx + λ)/(xᵀt)², so it has the sign of f(x₀)")
general.claim(x0 / xt < 0, given=[f_x0 < 0], by="otherwise: when f(x₀) < 0 weight decay shrinks ε")
general.claim(eps_star > x0 * xx / xt, given=[f_x0 > 0],
              by="ε(λ) − ε(0) = λ x₀/(xᵀt) > 0 when f(x₀) > 0: weight decay makes the attack harder")

# -- the solution as written --------------------------------------------------------------
review = derivation("Section 1.2.3 as written in the handwritten solution", one, section="1.2.3", review=True,
                    doc="The solution's steps in the 1-D single-point case, exactly as written.")
(
    review.chain(sp.Eq(w1 * (x - eps * w1), 0))
    .iff(sp.Eq(x - eps * w1, 0), by="divide by w* ≠ 0")
    .iff(sp.Eq(x, eps * w1), by="rearrange")
    .implies(sp.Eq(eps, (x**2 + lam) / (x * t)), by=solve(eps, "boxed: ε = (xᵀx + λ)/(xᵀt)"), expect="REFUTED",
             correct=sp.Eq(eps, (x**2 + lam) / t))
)
review.claim((x**2 + lam) / (x * t) > x**2 / (x * t), expect="REFUTED",
             by="as λ > 0, weight decay makes ε larger than xᵀx/(xᵀt)",
             correct=sp.Eq((x**2 + lam) / (x * t) - x**2 / (x * t), lam / (x * t), evaluate=False))
