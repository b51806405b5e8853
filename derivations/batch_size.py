"""Batch size, learning rate and the critical batch size under the noisy quadratic model (section 2.1).

Main results (McCandlish et al. 2018, "An Empirical Model of Large-Batch Training"): with local
curvature H, true gradient G and per-example gradient covariance Σ, one SGD step of size ε with a
batch of B examples changes the expected loss by −ε|G|² + ½ε²(GᵀHG + tr(HΣ)/B). The best step is
ε_opt(B) = |G|²/(GᵀHG + tr(HΣ)/B) = ε_max/(1 + B_noise/B) with ε_max = |G|²/(GᵀHG) and
B_noise = tr(HΣ)/(GᵀHG), and dε_opt/dB > 0: a larger batch allows a larger learning rate.
Summed over training, steps and examples trade off as S = S_min(1 + B_noise/B) and
E = E_min(1 + B/B_noise) with E = B·S, so (S/S_min − 1)(E/E_min − 1) = 1 and the critical batch
size is B_crit = E_min/S_min = B_noise: for B ≪ B_crit the steps fall like 1/B (data parallelism
pays), for B ≫ B_crit they approach S_min (more parallelism buys nothing).

Assumptions: |G|² > 0, GᵀHG > 0 (positive curvature along the gradient), tr(HΣ) > 0, B > 0;
the loss is quadratic near the current point; the noise of a batch mean has covariance Σ/B.

Reference: handwritten solution §2.1.1 and §2.1.2 (which argue in prose); McCandlish et al. 2018.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from derivcheck_steps import Context, derivation, differentiate, solve
from derivcheck_steps.figures import Figure, Series
from derivcheck_steps.randomness import E, Normal

# -- 2.1.1: the optimal learning rate ------------------------------------------------------------
ctx = Context("noisy quadratic model")
eps = ctx.scalar("epsilon", positive=True, latex=r"\epsilon")
G2 = ctx.scalar("G2", positive=True, latex=r"|G|^2")
GHG = ctx.scalar("GHG", positive=True, latex=r"G^{\top} H G")
trHS = ctx.scalar("trHS", positive=True, latex=r"\operatorname{tr}(H\Sigma)")
B = ctx.scalar("B", positive=True)
L0 = ctx.scalar("L", latex=r"\mathcal{L}")
eps_max = G2 / GHG
B_noise = trHS / GHG
expected_loss = L0 - eps * G2 + eps**2 / 2 * (GHG + trHS / B)
eps_opt = G2 / (GHG + trHS / B)

learning_rate = derivation("Optimal learning rate against batch size", ctx, section="2.1.1", doc=__doc__)
(
    learning_rate.chain(expected_loss)
    .eq(sp.Eq(-G2 + eps * (GHG + trHS / B), 0), by=differentiate(eps, "set d/dε of the expected loss to zero"))
    .iff(sp.Eq(eps, eps_opt), by=solve(eps, "solve for ε (the coefficient GᵀHG + tr(HΣ)/B is positive)"))
    .iff(sp.Eq(eps, eps_max / (1 + B_noise / B)), by="divide through by GᵀHG: ε_max/(1 + B_noise/B)")
)
learning_rate.claim(sp.Gt(sp.diff(eps_opt, B), 0, evaluate=False),
                    by="dε_opt/dB = |G|² tr(HΣ)/(B(GᵀHG) + tr(HΣ))² > 0: larger batches allow larger steps")
learning_rate.claim(sp.Lt(eps_opt, eps_max, evaluate=False), by="ε_opt < ε_max for every finite B")

# the gradient-noise term, exactly, in one dimension: E[h g_B²] = h G² + h s²/B for symbolic B
nctx = Context("minibatch gradient in one dimension")
(Bn,) = nctx.dims("B")
b = nctx.index("b", Bn)
h = nctx.scalar("h", positive=True)
g = nctx.scalar("G")
s = nctx.scalar("s", positive=True)
xi = nctx.random("xi", b, dist=Normal(0, s**2), latex=r"\xi_{{{0}}}")
g_B = g + sp.Sum(xi[b], (b, 1, Bn)) / Bn
curvature_term = derivation("The curvature term of one noisy step", nctx, section="2.1.1",
                            doc="In one dimension, with g_B = G + (1/B) Σ_b ξ_b and ξ_b ~ N(0, s²) i.i.d., "
                                "E[h g_B²] = h G² + h s²/B: the term GᵀHG + tr(HΣ)/B of the expected loss.")
curvature_term.chain(E(h * g_B**2)).eq(h * g**2 + h * s**2 / Bn, by="E[ξ] = 0, independence: Var[mean] = s²/B")


# -- 2.1.2: steps against examples ---------------------------------------------------------------
tctx = Context("steps and examples")
S_min = tctx.scalar("S_min", positive=True, latex=r"S_{\min}")
Bt = tctx.scalar("B", positive=True)
Bnz = tctx.scalar("B_noise", positive=True, latex=r"B_{\mathrm{noise}}")
S = S_min * (1 + Bnz / Bt)
E_min = S_min * Bnz  # the fewest examples: E = B·S as B → 0
examples = Bt * S

tradeoff = derivation("Steps against examples and the critical batch size", tctx, section="2.1.2", doc=__doc__)
tradeoff.chain(examples).eq(E_min * (1 + Bt / Bnz),
                            by="E = B·S = S_min(B + B_noise) = E_min(1 + B/B_noise), with E_min = S_min B_noise, "
                               "so B_crit = E_min/S_min = B_noise")
tradeoff.chain((S / S_min - 1) * (examples / E_min - 1)).eq(1, by="(B_noise/B)(B/B_noise) = 1")
tradeoff.claim(sp.Eq(S - S_min * Bnz / Bt, S_min, evaluate=False),
               by="B ≪ B_crit: S ≈ S_min B_noise/B, steps fall like 1/B (noise dominated: parallel compute pays)")
tradeoff.claim(sp.Lt(S_min, S, evaluate=False), by="B ≫ B_crit: S → S_min from above (curvature dominated)")


# -- simulations -----------------------------------------------------------------------------------
DIM = 8
CURVATURES = np.geomspace(0.2, 5.0, DIM)  # H = diag(h)
NOISE = np.full(DIM, 100.0)  # Σ = diag(σ²): per-example gradient noise of the one-step sweep
BATCHES = (1, 2, 4, 8, 16, 32, 64, 128, 256)
RUNS = 32  # SGD runs per batch size in the steps-to-target experiment


def _one_step_sweep(rng: np.random.Generator) -> tuple[bool, str, Figure]:
    """Best learning rate per batch size by a sweep of one noisy SGD step; compare with ε_opt(B)."""
    theta = rng.normal(size=DIM) * 2.0
    grad = CURVATURES * theta
    g2, ghg, trhs = grad @ grad, grad @ (CURVATURES * grad), float(np.sum(CURVATURES * NOISE))
    grid = np.geomspace(g2 / (ghg + trhs) / 4, 4 * g2 / ghg, 400)  # spans ε_opt(1) … ε_max
    draws = 20000
    swept, predicted = [], []
    for batch in BATCHES:  # one batch size at a time: all at once would hold 9× the draws in memory for no gain
        noise = rng.normal(size=(draws, DIM)) * np.sqrt(NOISE / batch)  # the batch mean of per-example noise
        g_batch = grad + noise
        # exact loss after the step, averaged over draws, for every learning rate at once
        quad = np.mean(g_batch**2 @ CURVATURES)  # E[gᵀHg]
        lin = np.mean(g_batch @ grad)  # E[Gᵀg]
        loss_change = -grid * lin + 0.5 * grid**2 * quad
        swept.append(float(grid[np.argmin(loss_change)]))
        predicted.append(g2 / (ghg + trhs / batch))
    swept_a, predicted_a = np.array(swept), np.array(predicted)
    rel = np.abs(swept_a / predicted_a - 1)
    rising = bool(np.all(np.diff(swept_a) >= 0))
    ok = bool(rel.max() < 0.05 and rising)
    detail = (f"sweep over {len(grid)} step sizes × {len(BATCHES)} batch sizes ({draws} draws each): best ε within "
              f"{100 * rel.max():.1f}% of ε_opt(B) (tolerance 5%), rising with B: {rising}; "
              f"B_noise = {trhs / ghg:.1f}")
    fig = Figure("Best learning rate per batch size (noisy quadratic)", "batch size B", "learning rate ε",
                 (Series("sweep: best ε", tuple(map(float, BATCHES)), tuple(swept), "points"),
                  Series("ε_opt(B) = ε_max/(1 + B_noise/B)", tuple(map(float, BATCHES)), tuple(predicted))),
                 logx=True)
    return ok, detail, fig


NOISE_PER_LOSS = 20.0  # steps-to-target experiment: Σ(θ) = c·L(θ)·H, gradient noise proportional to the loss


def _steps_to_target(rng: np.random.Generator) -> tuple[bool, str, Figure]:
    """SGD with the greedy optimal step per batch size: steps to a target loss, fitted to S_min(1 + B_crit/B).

    The gradient noise is proportional to the loss, Σ(θ) = c·L(θ)·H (a common model of SGD noise),
    so that B_noise stays of the same order during training, as the model's derivation assumes.
    """
    curv = np.geomspace(0.1, 1.0, DIM)
    batches = (*BATCHES, 512)
    theta0 = rng.normal(size=DIM) / np.sqrt(curv)
    loss0 = 0.5 * theta0 @ (curv * theta0)
    target = loss0 * 0.01

    def cov(theta: np.ndarray) -> np.ndarray:
        return NOISE_PER_LOSS * 0.5 * (theta @ (curv * theta)) * curv

    # every run of every batch size advances together: theta[b, r] is run r at batch size batches[b]
    size = np.array(batches, dtype=float)[:, None]
    theta = np.broadcast_to(theta0, (len(batches), RUNS, DIM)).copy()
    reached = np.zeros((len(batches), RUNS), dtype=int)  # the step at which a run reached the target (0: not yet)
    for k in range(1, 100_000):
        active = reached == 0
        if not active.any():
            break
        grad = curv * theta
        sigma = NOISE_PER_LOSS * 0.5 * np.einsum("brd,d,brd->br", theta, curv, theta)[..., None] * curv  # cov(θ)
        step = np.sum(grad * grad, -1) / (np.sum(grad * curv * grad, -1) + np.sum(curv * sigma, -1) / size)
        moved = theta - step[..., None] * (grad + rng.normal(size=theta.shape) * np.sqrt(sigma / size[..., None]))
        theta = np.where(active[..., None], moved, theta)  # a finished run stays where it stopped
        reached[active & (0.5 * np.einsum("brd,d,brd->br", theta, curv, theta) <= target)] = k
    steps = [float(x) for x in reached.mean(axis=1)]
    steps_a, inv_b = np.array(steps), 1.0 / np.array(batches, dtype=float)
    # S = S_min + S_min B_crit (1/B), fitted with relative weights (the steps span two decades)
    slope, intercept = np.polyfit(inv_b, steps_a, 1, w=1.0 / steps_a)
    s_min, b_crit = float(intercept), float(slope / intercept)
    fitted = s_min * (1 + b_crit * inv_b)
    log_res = np.log(steps_a) - np.log(fitted)
    r2 = 1 - float(np.sum(log_res**2)) / float(np.sum((np.log(steps_a) - np.log(steps_a).mean()) ** 2))
    theta, seen = theta0.copy(), []  # the model's B_noise along the noiseless trajectory
    while 0.5 * theta @ (curv * theta) > target:
        grad = curv * theta
        ghg = grad @ (curv * grad)
        seen.append(float(np.sum(curv * cov(theta)) / ghg))
        theta = theta - (grad @ grad) / ghg * grad
    mean_noise = float(np.mean(seen))  # S(B) ≈ Σ_k (1 + B_noise,k/B): B_crit ≈ B_noise averaged over the steps
    ratio = b_crit / mean_noise
    ok = bool(r2 > 0.98 and 0.5 <= ratio <= 2.0)
    detail = (f"steps to reach 1% of the initial loss, mean of {RUNS} runs per B: fit S = S_min(1 + B_crit/B) with "
              f"R² (log scale) = {r2:.4f} (need > 0.98), S_min = {s_min:.1f}, B_crit = {b_crit:.1f}; the model's "
              f"B_noise averaged over the noiseless trajectory is {mean_noise:.1f} (ratio {ratio:.2f}, tolerance 0.5–2)")
    fig = Figure("Steps to reach the target loss", "batch size B", "steps S",
                 (Series(f"SGD (mean of {RUNS} runs)", tuple(map(float, batches)), tuple(steps), "points"),
                  Series(f"fit S_min(1 + B_crit/B), B_crit = {b_crit:.0f}", tuple(map(float, batches)),
                         tuple(map(float, fitted)))),
                 logx=True, logy=True)
    return ok, detail, fig


learning_rate.experiment("a sweep of one noisy SGD step finds the best ε rising with B as ε_opt(B) says",
                         _one_step_sweep)
tradeoff.experiment("SGD steps to a target loss follow S_min(1 + B_crit/B), with B_crit within the model's B_noise",
                    _steps_to_target)

# -- the solution's section 2.1 answers, as claims under the model ---------------------------------
rctx = Context("section 2.1 answers under the model")
rB = rctx.scalar("B", positive=True)
rsigma = rctx.scalar("sigma", positive=True, latex=r"\sigma")
rS_min = rctx.scalar("S_min", positive=True, latex=r"S_{\min}")
rBn = rctx.scalar("B_noise", positive=True, latex=r"B_{\mathrm{noise}}")
rG2 = rctx.scalar("G2", positive=True, latex=r"|G|^2")
rGHG = rctx.scalar("GHG", positive=True, latex=r"G^{\top} H G")
rtr = rctx.scalar("trHS", positive=True, latex=r"\operatorname{tr}(H\Sigma)")


def _steps(batch: sp.Expr) -> sp.Expr:
    return rS_min * (1 + rBn / batch)


review = derivation("Section 2.1 as answered in the handwritten solution", rctx, section="2.1", review=True,
                    doc="The solution's prose answers for 2.1.1 and 2.1.2, as claims under the noisy quadratic model "
                        "and the steps–examples trade-off; the one that contradicts the model is refuted.")
review.claim(sp.Lt(sp.diff(rsigma**2 / rB, rB), 0, evaluate=False),
             by="2.1.1: the minibatch gradient gets closer to the true gradient as B grows (Var = σ²/B falls)")
review.claim(sp.Gt(sp.diff(rG2 / (rGHG + rtr / rB), rB), 0, evaluate=False),
             by="2.1.1: so the optimal learning rate increases with the batch size")
review.claim(sp.Gt(_steps(2 * rB), _steps(rB), evaluate=False), expect="REFUTED",
             by="2.1.2(a): a larger batch (point B) means slower convergence",
             correct=sp.Lt(_steps(2 * rB), _steps(rB), evaluate=False))
review.claim(sp.Gt(_steps(2 * rB) / _steps(rB), sp.Rational(1, 2), evaluate=False),
             by="2.1.2(b): doubling B at most halves the steps, nearly so only when B ≪ B_noise (noise dominated)")
