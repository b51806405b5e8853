"""Compute-optimal model size under the parametric loss L(N, D) = E + A/N^α + B/D^β (section 2.2).

Main results (Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models"): with the
compute budget C = 6ND, minimising L over N at fixed C gives N_opt(C) = G (C/6)^{β/(α+β)} and
D_opt(C) = G⁻¹ (C/6)^{α/(α+β)} with G = (αA/(βB))^{1/(α+β)}. The exponent β/(α+β) lies in (0, 1)
for α, β > 0, so the optimal model size grows with compute, but more slowly than compute itself.

Assumptions: E, A, B, α, β, N, D, C > 0.

Reference: handwritten solution §2.2 (which argues from the paper's figures); Hoffmann et al. 2022,
fitted constants E = 1.69, A = 406.4, B = 410.7, α = 0.34, β = 0.28.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from derivcheck_steps import Context, derivation, differentiate, solve
from derivcheck_steps.figures import Figure, Series

ctx = Context("Chinchilla parametric loss")
N = ctx.scalar("N", positive=True)
C = ctx.scalar("C", positive=True)
E0 = ctx.scalar("E", positive=True)
A = ctx.scalar("A", positive=True)
B = ctx.scalar("B", positive=True)
alpha = ctx.scalar("alpha", positive=True, latex=r"\alpha")
beta = ctx.scalar("beta", positive=True, latex=r"\beta")

D = C / (6 * N)  # the data that the budget C = 6ND leaves for a model of N parameters
loss = E0 + A / N**alpha + B / D**beta
G = (alpha * A / (beta * B)) ** (1 / (alpha + beta))
N_opt = G * (C / 6) ** (beta / (alpha + beta))
D_opt = (C / 6) ** (alpha / (alpha + beta)) / G

model_size = derivation("Compute-optimal model size", ctx, section="2.2", doc=__doc__)
(
    model_size.chain(loss)
    .eq(sp.Eq(-alpha * A * N ** (-alpha - 1) + beta * B * (C / 6) ** (-beta) * N ** (beta - 1), 0),
        by=differentiate(N, "at fixed C, set dL/dN to zero (D = C/(6N))"))
    .iff(sp.Eq(N ** (alpha + beta), alpha * A / (beta * B) * (C / 6) ** beta),
         by="multiply by N^(α+1)/(βB (C/6)^(−β))")
    .iff(sp.Eq(N, N_opt), by=solve(N, "take the (α+β)-th root (N > 0)"))
)
model_size.claim(sp.Eq(C / (6 * N_opt), D_opt, evaluate=False), by="D_opt = C/(6 N_opt) = G⁻¹ (C/6)^(α/(α+β))")
model_size.claim(sp.Gt(beta / (alpha + beta), 0, evaluate=False), by="the exponent is positive")
model_size.claim(sp.Lt(beta / (alpha + beta), 1, evaluate=False), by="the exponent is below one")
model_size.claim(sp.Gt(sp.diff(N_opt, C), 0, evaluate=False), by="dN_opt/dC > 0: optimal model size grows with compute")

PAPER = {"E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.34, "beta": 0.28}


def _numeric_minimum(budget: np.ndarray) -> np.ndarray:
    """argmin over N of L(N, C/(6N)) for each budget C, by bisection on dL/dlog N (monotone: L is convex in log N).

    All budgets are bisected together, elementwise: the same arithmetic as one budget at a time.
    """
    e, a, b, al, be = (PAPER[k] for k in ("E", "A", "B", "alpha", "beta"))

    def slope(log_n: np.ndarray) -> np.ndarray:  # dL/dlog N
        n = np.exp(log_n)
        d = budget / (6 * n)
        return -al * a * n**-al + be * b * d**-be

    lo, hi = np.full_like(budget, np.log(1e3)), np.log(budget / 6)  # at least one token per parameter
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        up = slope(mid) > 0
        hi, lo = np.where(up, mid, hi), np.where(up, lo, mid)
    return np.exp(0.5 * (lo + hi))


def _closed_form_matches_minimisation(rng: np.random.Generator) -> tuple[bool, str, Figure]:
    del rng  # deterministic: the paper's constants and a fixed grid of budgets
    e, a, b, al, be = (PAPER[k] for k in ("E", "A", "B", "alpha", "beta"))
    g = (al * a / (be * b)) ** (1 / (al + be))
    budgets = np.logspace(18, 24, 13)
    closed = g * (budgets / 6) ** (be / (al + be))
    worst = float(np.max(np.abs(_numeric_minimum(budgets) / closed - 1)))
    budget = 1e21
    n_grid = np.geomspace(1e7, 1e12, 200)
    curve = e + a / n_grid**al + b / (budget / (6 * n_grid)) ** be
    n_star = g * (budget / 6) ** (be / (al + be))
    l_star = e + a / n_star**al + b / (budget / (6 * n_star)) ** be
    fig = Figure("Loss against model size at C = 1e21 FLOPs (Chinchilla fit)", "parameters N", "loss L(N, C/(6N))",
                 (Series("L(N, C/(6N))", tuple(map(float, n_grid)), tuple(map(float, curve))),
                  Series(f"closed form N_opt = {n_star:.3g}", (float(n_star),), (float(l_star),), "marker")),
                 logx=True)
    ok = worst < 1e-9
    return ok, (f"closed-form N_opt against bisection on dL/dlog N for 13 budgets C = 1e18…1e24: worst relative "
                f"difference {worst:.1e} (tolerance 1e-9); N_opt(1e21) = {n_star:.4g}"), fig


model_size.experiment("with the paper's constants the closed form matches a numeric minimisation, C = 1e18…1e24",
                      _closed_form_matches_minimisation)

review = derivation("Section 2.2 as answered in the handwritten solution", ctx, section="2.2", review=True,
                    doc="The solution's answer to 2.2(a), as claims under the parametric loss at a fixed compute budget.")
review.claim(sp.Gt(sp.diff(N_opt, C), 0, evaluate=False),
             by="the optimal model size is increasing with more compute")
review.claim(sp.Lt(sp.diff(loss, N), 0, evaluate=False), expect="REFUTED",
             by="increasing model size will significantly increase the model performance (at a fixed budget)",
             correct=sp.Eq(sp.diff(loss, N).subs(N, N_opt), 0, evaluate=False))
