"""Multiplicative Gaussian noise and the minibatch gradient (handwritten solution, sections 3.2 and 2.1.1).

Main results: for ỹ⁽ⁱ⁾ = Σ_j (1 + π_j⁽ⁱ⁾) w_j x_j⁽ⁱ⁾ with π_j⁽ⁱ⁾ ~ N(0, σ²) i.i.d.,
E_π[ỹ⁽ⁱ⁾] = Σ_j w_j x_j⁽ⁱ⁾, Var_π[ỹ⁽ⁱ⁾] = σ² Σ_j w_j² (x_j⁽ⁱ⁾)², and the expected loss has the
penalty σ²/2 Σ_j w_j² · (1/N) Σ_i (x_j⁽ⁱ⁾)², equal to dropout's for every w and data set exactly
when σ² = (1 − p)/p, i.e. σ = √((1 − p)/p) for σ > 0. For the minibatch gradient
g_B = (1/B) Σ_b (∇L + ε_b), ε_b ~ N(0, σ²) i.i.d.: E[g_B] = ∇L and Var[g_B] = σ²/B.

Assumptions: σ > 0, 0 < p < 1; noise independent across examples and features.

Reference: handwritten solution §3.2 and §2.1.1.
"""

from __future__ import annotations

import sympy as sp

from checks import Context, derivation, solve
from checks.randomness import E, Normal, Var

ctx = Context("multiplicative Gaussian noise")
N, n = ctx.dims("N n")
i, j = ctx.index("i", N), ctx.index("j", n)
x = ctx.indexed("x", i, j, latex="x_{{{1}}}^{{({0})}}")
w = ctx.indexed("w", j, latex="w_{{{0}}}")
t = ctx.indexed("t", i, latex="t^{{({0})}}")
sigma = ctx.scalar("sigma", positive=True, latex=r"\sigma")
p = ctx.scalar("p", interval=(0, 1))
pi = ctx.random("pi", i, j, dist=Normal(0, sigma**2), latex=r"\pi_{{{1}}}^{{({0})}}")

y = sp.Sum((1 + pi[i, j]) * w[j] * x[i, j], (j, 1, n))
clean = sp.Sum(w[j] * x[i, j], (j, 1, n))
mean_sq = sp.Sum(w[j] ** 2 * sp.Sum(x[i, j] ** 2, (i, 1, N)) / N, (j, 1, n))

noise = derivation("Linear regression with multiplicative Gaussian noise", ctx, section="3.2", doc=__doc__)
noise.chain(E(y)).eq(clean, by="linearity of E, E[1 + π] = 1")
noise.chain(Var(y)).eq(sigma**2 * sp.Sum(w[j] ** 2 * x[i, j] ** 2, (j, 1, n)), by="independence; Var[1 + π] = σ²")
(
    noise.chain(E(sp.Sum((y - t[i]) ** 2, (i, 1, N)) / (2 * N)))
    .eq(sp.Sum((E(y) - t[i]) ** 2 + Var(y), (i, 1, N)) / (2 * N), by="linearity of E; bias–variance lemma")
    .eq(sp.Sum((clean - t[i]) ** 2, (i, 1, N)) / (2 * N) + sigma**2 / 2 * mean_sq, by="E[ỹ] and Var[ỹ] from above")
)
(
    noise.chain(sp.Eq(sigma**2 / 2, (1 - p) / (2 * p)))
    .iff(sp.Eq(sigma**2, (1 - p) / p), by="multiply by 2: the penalties agree for every w and data set")
    .iff(sp.Eq(sigma, sp.sqrt((1 - p) / p)), by=solve(sigma, "σ > 0: take the positive root"))
)

bctx = Context("minibatch gradient")
(B,) = bctx.dims("B")
b = bctx.index("b", B)
G = bctx.scalar("G", latex=r"\nabla\mathcal{L}")
bsigma = bctx.scalar("sigma", positive=True, latex=r"\sigma")
eps = bctx.random("epsilon", b, dist=Normal(0, bsigma**2), latex=r"\epsilon_{{{0}}}")
g_B = sp.Sum(G + eps[b], (b, 1, B)) / B
minibatch = derivation("Minibatch gradient noise", bctx, section="2.1.1", doc=__doc__)
minibatch.chain(E(g_B)).eq(G, by="linearity of E, E[ε] = 0")
minibatch.chain(Var(g_B)).eq(bsigma**2 / B, by="independence over the batch")
