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

from derivcheck_steps import Context, derivation, solve
from derivcheck_steps.derivations.dropout import feature_variance, regression_data
from derivcheck_steps.randomness import E, Normal, Var


def noise_context(centred: bool = False) -> tuple:
    """The §3.2 setting; with ``centred`` the features have mean zero over the data set."""
    ctx = Context("multiplicative Gaussian noise" + (", centred features" if centred else ""))
    N, n, i, j, x, w, t = regression_data(ctx, centred)
    sigma = ctx.scalar("sigma", positive=True, latex=r"\sigma")
    p = ctx.scalar("p", interval=(0, 1))
    pi = ctx.random("pi", i, j, dist=Normal(0, sigma**2), latex=r"\pi_{{{1}}}^{{({0})}}")
    return ctx, N, n, i, j, x, w, t, sigma, p, pi


ctx, N, n, i, j, x, w, t, sigma, p, pi = noise_context()
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


def review_derivation(centred: bool):
    """The solution's §3.2 steps as written; its Var[x_j] penalty is right only for centred features."""
    c, N_, n_, i_, j_, x_, w_, t_, s_, p_, pi_ = noise_context(centred)
    y_ = sp.Sum((1 + pi_[i_, j_]) * w_[j_] * x_[i_, j_], (j_, 1, n_))
    fit_ = sp.Sum((E(y_) - t_[i_]) ** 2, (i_, 1, N_)) / (2 * N_)
    title = "Section 3.2 as written" + (", with centred features" if centred else "")
    d = derivation(title, c, section="3.2", review=True,
                   doc="The handwritten solution's expansion of the expected loss under multiplicative Gaussian "
                   "noise (③ and ④), exactly as written."
                   + (" Features declared centred: Σ_i x_j⁽ⁱ⁾ = 0." if centred else ""))
    (
        d.chain(E(sp.Sum((y_ - t_[i_]) ** 2, (i_, 1, N_)) / (2 * N_)))
        .eq(fit_ + sp.Sum(Var(y_), (i_, 1, N_)) / (2 * N_), by="similar to ①: bias–variance lemma (③)")
        .eq(fit_ + sp.Sum(sp.Sum(Var((1 + pi_[i_, j_]) * w_[j_] * x_[i_, j_]), (j_, 1, n_)), (i_, 1, N_)) / (2 * N_),
            by="second term: independence over j")
        .eq(fit_ + s_**2 / 2 * sp.Sum(feature_variance(x_, i_, j_, N_) * w_[j_] ** 2, (j_, 1, n_)),
            by="Var[1 + π_j] = σ²: penalty written σ²/2 Σ_j Var[x_j] w_j² (④)", expect=None if centred else "REFUTED",
            correct=None if centred else fit_ + s_**2 / 2 * sp.Sum(
                w_[j_] ** 2 * sp.Sum(x_[i_, j_] ** 2, (i_, 1, N_)) / N_, (j_, 1, n_)))
    )
    return d


review = review_derivation(centred=False)
review_centred = review_derivation(centred=True)


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
