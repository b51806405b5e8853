"""Linear regression with input dropout, and the bias–variance lemma (handwritten solution, section 3.1).

Main results: for ỹ⁽ⁱ⁾ = (1/p) Σ_j m_j⁽ⁱ⁾ w_j x_j⁽ⁱ⁾ with m_j⁽ⁱ⁾ ~ Bernoulli(p) i.i.d.,
E_m[ỹ⁽ⁱ⁾] = Σ_j w_j x_j⁽ⁱ⁾, Var_m[ỹ⁽ⁱ⁾] = (1−p)/p Σ_j w_j² (x_j⁽ⁱ⁾)², and
E_m[J] = 1/(2N) Σ_i (Σ_j w_j x_j⁽ⁱ⁾ − t⁽ⁱ⁾)² + (1−p)/(2p) Σ_j w_j² · (1/N) Σ_i (x_j⁽ⁱ⁾)²,
for every number of features n and examples N (proved for symbolic n and N).

Assumptions: 0 < p < 1; masks independent across examples and features; data fixed.

Reference: handwritten solution §3.1. Its penalty uses Var[x_j], the variance of feature j over
the data set: that is wrong unless the features are centred (see the review derivations).
"""

from __future__ import annotations

import sympy as sp

from derivcheck_steps import Context, derivation
from derivcheck_steps.randomness import Bernoulli, E, Moments, Var

# -- the bias–variance lemma -------------------------------------------------------------------
lctx = Context("bias-variance lemma")
(K,) = lctx.dims("K")
k = lctx.index("k", K)
mu = lctx.scalar("mu", latex=r"\mu")
s2 = lctx.scalar("s2", positive=True, latex=r"s^2")
target = lctx.scalar("t")
Y = lctx.random("Y", k, dist=Moments(mu, s2))
lemma = derivation("Bias–variance lemma", lctx, section="3.1", doc="E[(Y − t)²] = (E[Y] − t)² + Var[Y] for any Y with "
                   "finite variance and constant t.")
(
    lemma.chain(E((Y[k] - target) ** 2))
    .eq(E(Y[k] ** 2) - 2 * target * E(Y[k]) + target**2, by="expand the square; linearity of E")
    .eq((E(Y[k]) - target) ** 2 + Var(Y[k]), by="Var[Y] = E[Y²] − E[Y]²")
)


def regression_data(ctx: Context, centred: bool) -> tuple:
    """N examples x⁽ⁱ⁾ with n features, weights w_j and targets t⁽ⁱ⁾ (features centred if asked)."""
    N, n = ctx.dims("N n")
    i, j = ctx.index("i", N), ctx.index("j", n)
    x = ctx.indexed("x", i, j, latex="x_{{{1}}}^{{({0})}}")
    w = ctx.indexed("w", j, latex="w_{{{0}}}")
    t = ctx.indexed("t", i, latex="t^{{({0})}}")
    if centred:
        ctx.centred(x, i)
    return N, n, i, j, x, w, t


def dropout_context(centred: bool = False) -> tuple:
    """The dropout setting; with ``centred`` the features have mean zero over the data set."""
    ctx = Context("input dropout" + (", centred features" if centred else ""))
    N, n, i, j, x, w, t = regression_data(ctx, centred)
    p = ctx.scalar("p", interval=(0, 1))
    m = ctx.random("m", i, j, dist=Bernoulli(p), latex="m_{{{1}}}^{{({0})}}")
    return ctx, N, n, i, j, x, w, t, p, m


ctx, N, n, i, j, x, w, t, p, m = dropout_context()
y = sp.Sum(m[i, j] * w[j] * x[i, j], (j, 1, n)) / p
clean = sp.Sum(w[j] * x[i, j], (j, 1, n))
loss = sp.Sum((y - t[i]) ** 2, (i, 1, N)) / (2 * N)
penalty = (1 - p) / (2 * p) * sp.Sum(w[j] ** 2 * sp.Sum(x[i, j] ** 2, (i, 1, N)) / N, (j, 1, n))
fit = sp.Sum((clean - t[i]) ** 2, (i, 1, N)) / (2 * N)

dropout = derivation("Linear regression with input dropout", ctx, section="3.1", doc=__doc__)
dropout.chain(E(y)).eq(clean, by="linearity of E, E[m] = p")
(
    dropout.chain(Var(y))
    .eq(sp.Sum(Var(m[i, j] * w[j] * x[i, j] / p), (j, 1, n)), by="independence of the masks over j")
    .eq((1 - p) / p * sp.Sum(w[j] ** 2 * x[i, j] ** 2, (j, 1, n)), by="Var[m] = p(1 − p)")
)
(
    dropout.chain(E(loss))
    .eq(sp.Sum(E((y - t[i]) ** 2), (i, 1, N)) / (2 * N), by="linearity of E")
    .eq(sp.Sum((E(y) - t[i]) ** 2 + Var(y), (i, 1, N)) / (2 * N), by="bias–variance lemma")
    .eq(fit + penalty, by="E[ỹ] and Var[ỹ] from above")
)
right_variance = sp.Eq(Var(y), (1 - p) / p * sp.Sum(w[j] ** 2 * x[i, j] ** 2, (j, 1, n)))
dropout.claim(sp.Eq(Var(y), p / (1 - p) * sp.Sum(w[j] ** 2 * x[i, j] ** 2, (j, 1, n))),
              by="a common slip: p/(1 − p) for (1 − p)/p", expect="REFUTED", correct=right_variance)
dropout.claim(sp.Eq(Var(y), (1 - p) * sp.Sum(w[j] ** 2 * x[i, j] ** 2, (j, 1, n))),
              by="a common slip: the 1/p² dropped", expect="REFUTED", correct=right_variance)


def feature_variance(x_: sp.IndexedBase, i_: sp.Symbol, j_: sp.Symbol, N_: sp.Symbol) -> sp.Expr:
    """Var[x_j] over the data set: (1/N) Σ_i x_ij² − ((1/N) Σ_i x_ij)²."""
    return sp.Sum(x_[i_, j_] ** 2, (i_, 1, N_)) / N_ - (sp.Sum(x_[i_, j_], (i_, 1, N_)) / N_) ** 2


def review_derivation(centred: bool):
    """The solution's §3.1 steps as written; its Var[x_j] penalty is right only for centred features."""
    c, N_, n_, i_, j_, x_, w_, t_, p_, m_ = dropout_context(centred)
    y_ = sp.Sum(m_[i_, j_] * w_[j_] * x_[i_, j_], (j_, 1, n_)) / p_
    fit_ = sp.Sum((E(y_) - t_[i_]) ** 2, (i_, 1, N_)) / (2 * N_)
    title = "Section 3.1 as written" + (", with centred features" if centred else "")
    d = derivation(title, c, section="3.1", review=True,
                   doc="The handwritten solution's expansion of E_m[J], exactly as written."
                   + (" Features declared centred: Σ_i x_j⁽ⁱ⁾ = 0." if centred else ""))
    (
        d.chain(E(sp.Sum((y_ - t_[i_]) ** 2, (i_, 1, N_)) / (2 * N_)))
        .eq(sp.Sum(E(y_**2 - 2 * y_ * t_[i_] + t_[i_] ** 2), (i_, 1, N_)) / (2 * N_), by="expand the square")
        .eq(sp.Sum(E(y_**2), (i_, 1, N_)) / (2 * N_) - sp.Sum(E(2 * y_ * t_[i_]), (i_, 1, N_)) / (2 * N_)
            + sp.Sum(t_[i_] ** 2, (i_, 1, N_)) / (2 * N_), by="linearity of E")
        .eq(fit_ + sp.Sum(Var(y_), (i_, 1, N_)) / (2 * N_), by="E[ỹ²] = Var[ỹ] + E[ỹ]²; collect ①")
        .eq(fit_ + (1 - p_) / (2 * p_) * sp.Sum(feature_variance(x_, i_, j_, N_) * w_[j_] ** 2, (j_, 1, n_)),
            by="penalty written (1−p)/(2p) Σ_j Var[x_j] w_j²", expect=None if centred else "REFUTED",
            correct=None if centred else fit_ + (1 - p_) / (2 * p_) * sp.Sum(
                w_[j_] ** 2 * sp.Sum(x_[i_, j_] ** 2, (i_, 1, N_)) / N_, (j_, 1, n_)))
    )
    return d


review = review_derivation(centred=False)
review_centred = review_derivation(centred=True)
