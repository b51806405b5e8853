"""Monte Carlo cross-check of a step with E, Var, Cov: seeded, vectorised, only under what is declared.

The residual lhs − rhs is estimated K = 20 times from independent batches (each E, Var, Cov
node replaced by its plug-in batch estimate, so that Var[Y] and E[Y²] − E[Y]² agree batch by
batch); the plug-in bias (−Var/size, or Var/size for E[Y]·E[Y]) is removed by a split-half
jackknife, 2·full − mean(two halves), exact for statistics of degree 2 in batch means — it is not
small against the standard error under a low-noise law such as the two-point one. The batch
estimates give a mean, a standard error and a t statistic with K − 1 = 19 degrees of freedom.

Decision rule:
- |t| <= 4: agrees.
- |t| >= 6: a second, independent set of K batches must also give |t| >= 6; then "disagrees".
- otherwise: inconclusive; the batch size doubles, up to ``max_rounds`` rounds.

False refutation rate: P(|t₁₉| >= 6) ≈ 9.0e-6 for one set under a true identity *when the batch
means are normal*, so two independent sets both past 6 happen with probability below 1e-10 (at
most 3e-10 over the three laws of a ``Moments`` family) — well under the 1e-6 per check the
project requires. The t rule is only applied where its premises hold (``checks/laws.py``):

- no joint law is invented: an E, Var or Cov whose argument mixes two families not declared
  independent gets no Monte Carlo verdict ("none", with the reason);
- a ``Moments(mean, var)`` family ("any law with these moments") is sampled under several laws
  with those moments (normal, a symmetric two-point law, a skewed shifted exponential); the
  step agrees only if it agrees under each, and disagrees if it disagrees under one;
- rare events: a Bernoulli outcome must be expected at least ``RARE_MIN`` times per batch
  (batches grow to ``MAX_DRAWS`` draws to reach it), otherwise no verdict;
- heavy tails: from the pooled draws of each estimated integrand, the skewness and excess
  kurtosis of one batch mean (skewness/√size, kurtosis/size) must be small (≤ ``MAX_SKEW``,
  ≤ ``MAX_KURT``), and the K batch estimates must not look heavy-tailed themselves (sample excess
  kurtosis ≤ ``MAX_BATCH_KURT``; for normal batch means P(> 4) is below 1e-3); otherwise "none".
  E[X⁶⁰] (one draw dominates every batch) gets no verdict instead of a false alarm.

A Monte Carlo disagreement is evidence only: a REFUTED verdict still needs an exact counterexample.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import sympy as sp

from derivcheck_steps import mc_batches
from derivcheck_steps.context import Context
from derivcheck_steps.errors import EvaluationError
from derivcheck_steps.evaluate import FLOAT, Samples, evaluate
from derivcheck_steps.laws import Diagnostics, coverage_problem, dependence_problem, laws_for, sampler
from derivcheck_steps.randomness import Cov, E, Var

BATCHES = 20
AGREE_T = 4.0
REFUTE_T = 6.0


@dataclass
class MonteCarloResult:
    """Evidence of one Monte Carlo check."""

    status: str  # "agree", "disagree", "inconclusive" or "none"
    estimate: float = 0.0
    standard_error: float = 0.0
    t: float = 0.0
    samples: int = 0
    seed: int = 0
    seconds: float = 0.0
    reason: str = ""

    def as_dict(self) -> dict:
        return {
            "status": self.status, "estimate": self.estimate, "standard_error": self.standard_error,
            "z": self.t, "samples": self.samples, "seed": self.seed, "seconds": round(self.seconds, 4),
            "reason": self.reason,
        }


def _hooks(diag: Diagnostics | None = None) -> dict:
    def draws(arg: sp.Basic, env: dict) -> np.ndarray | float:
        return evaluate(arg, env, FLOAT, hooks)

    def e_hook(node: sp.Basic, env: dict, _bk: object) -> float:
        v = draws(node.args[0], env)
        if not isinstance(v, np.ndarray):
            return float(v)
        if diag is not None:
            diag.record(node, v, env)
        return float(np.mean(v))

    def var_hook(node: sp.Basic, env: dict, _bk: object) -> float:
        v = draws(node.args[0], env)
        if not isinstance(v, np.ndarray):
            return 0.0
        if diag is not None:
            diag.record(node, (v - v.mean()) ** 2, env)
        return float(np.var(v))

    def cov_hook(node: sp.Basic, env: dict, _bk: object) -> float:
        a, b = draws(node.args[0], env), draws(node.args[1], env)
        if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)):
            return 0.0
        if diag is not None:
            diag.record(node, (a - a.mean()) * (b - b.mean()), env)
        return float(np.cov(a, b, bias=True)[0, 1])

    hooks = {E: e_hook, Var: var_hook, Cov: cov_hook}
    return hooks


HOOKS = _hooks()  # without diagnostics: plug-in estimates only


def _draw(ctx: Context, env: dict, rng: np.random.Generator, size: int, law: str) -> dict:
    """One batch's draws of every random family, ``size`` rows each."""
    draws = {}
    for fam in ctx.families.values():
        shape = tuple(int(env[ctx.indices[ix].upper]) for ix in fam.indices)
        params = tuple(float(evaluate(p, env, FLOAT)) for p in fam.dist.params)
        draws[fam.base] = sampler(fam.dist, law)(params, rng, (size, *shape))
    return draws


def _batch(residual: tuple, env: dict, draws: dict, size: int, hooks: dict) -> tuple[float, float]:
    """One batch evaluated on its own: the jackknifed residual and the scale of the two sides."""

    def sides(part: slice, hk: dict) -> tuple[object, object]:
        local = dict(env)
        local.update({base: Samples(d[part]) for base, d in draws.items()})
        lhs, rhs = (evaluate(side, local, FLOAT, hk) for side in residual)
        return lhs, rhs

    half = size // 2
    full = sides(slice(None), hooks)
    _jackknife(full, [])  # a random variable outside E, Var or Cov: the error before the halves are evaluated
    return _jackknife(full, [sides(slice(0, half), HOOKS), sides(slice(half, size), HOOKS)])


def _jackknife(full: tuple[object, object], halves: list[tuple[object, object]]) -> tuple[float, float]:
    # split-half jackknife: the plug-in bias of Var, Cov and products of E's is c/size exactly
    # (degree 2 in the batch means), so 2·full − mean(halves) removes it; without this a
    # low-noise law (two-point: (x − x̄)² is nearly constant) turns the bias into many standard errors
    for lhs, rhs in (full, *halves):
        if isinstance(lhs, np.ndarray) or isinstance(rhs, np.ndarray):
            raise EvaluationError("a random variable appears outside E, Var or Cov")
    lhs, rhs = float(full[0]), float(full[1])
    halves = [(float(a), float(b)) for a, b in halves]
    jack = 2 * (lhs - rhs) - sum(a - b for a, b in halves) / 2
    return jack, abs(lhs) + abs(rhs)


GROUP_BYTES = 16 * 2**20  # draws evaluated together at most (the peak memory of a round stays small)


def _round(residual: tuple, ctx: Context, env: dict, rng: np.random.Generator, size: int, law: str,
           diag: Diagnostics | None) -> list[tuple[float, float]]:
    """The BATCHES batches of a round, drawn one after another: evaluated a group at a time where that
    gives the same numbers (``derivcheck_steps.mc_batches``), batch by batch otherwise."""
    size += size % 2  # two equal halves for the jackknife
    per_batch = 8 * size * sum(int(np.prod([int(env[ctx.indices[ix].upper]) for ix in fam.indices], dtype=np.int64))
                               for fam in ctx.families.values())
    group = max(1, min(BATCHES, GROUP_BYTES // max(per_batch, 1)))
    out: list[tuple[float, float]] = []
    for start in range(0, BATCHES, group):
        count = min(group, BATCHES - start)
        draws = [_draw(ctx, env, rng, size, law) for _ in range(count)]
        stacked = {base: np.concatenate([d[base] for d in draws]) for base in draws[0]} if draws[0] else {}
        del draws
        try:
            together = mc_batches.round_values(residual, env, stacked, count, size, diag)
        except mc_batches.NotBatched:
            hooks = _hooks(diag) if diag is not None else HOOKS
            out += [_batch(residual, env, {base: d[b * size:(b + 1) * size] for base, d in stacked.items()}, size, hooks)
                    for b in range(count)]
            continue
        out += [_jackknife((lhs, rhs), halves) for lhs, rhs, halves in together]
    return out


def _t_stat(batches: list[tuple[float, float]]) -> tuple[float, float, float]:
    arr = np.asarray([b[0] for b in batches])
    scale = max(1.0, float(np.mean([b[1] for b in batches])))
    mean = float(arr.mean())
    se = float(arr.std(ddof=1) / np.sqrt(len(arr)))
    if abs(mean) <= 1e-12 * scale and se <= 1e-12 * scale:
        return mean, se, 0.0  # equal in every batch up to rounding: the two sides are the same statistic
    if se == 0.0:
        return mean, se, float("inf")
    return mean, se, mean / se


def _one_law(residual: tuple, ctx: Context, env: dict, seed: int, law: str, batch_size: int,
             max_rounds: int) -> MonteCarloResult:
    """The decision rule under one law of the random families."""
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    samples, size = 0, batch_size
    mean = se = t = 0.0
    for _ in range(max_rounds):
        diag = Diagnostics(size)
        values = _round(residual, ctx, env, rng, size, law, diag)
        samples += size * BATCHES
        mean, se, t = _t_stat(values)
        problem = diag.problem([v[0] for v in values])
        if problem is not None:
            if not diag.may_improve:
                return MonteCarloResult("none", mean, se, t, samples, seed, time.perf_counter() - start,
                                        f"the t rule is not valid here: {problem}")
            size *= 2
            continue
        if abs(t) <= AGREE_T:
            return MonteCarloResult("agree", mean, se, t, samples, seed, time.perf_counter() - start)
        if abs(t) >= REFUTE_T:
            confirm = _round(residual, ctx, env, rng, size, law, None)
            samples += size * BATCHES
            m2, se2, t2 = _t_stat(confirm)
            if abs(t2) >= REFUTE_T and np.sign(t2) == np.sign(t):
                return MonteCarloResult("disagree", mean, se, t, samples, seed, time.perf_counter() - start,
                                        f"confirmed by an independent set: t = {t2:.1f}")
        size *= 2
    if problem is not None:
        return MonteCarloResult("none", mean, se, t, samples, seed, time.perf_counter() - start,
                                f"the t rule is not valid here: {problem}")
    return MonteCarloResult("inconclusive", mean, se, t, samples, seed, time.perf_counter() - start,
                            f"|t| = {abs(t):.1f} between {AGREE_T} and {REFUTE_T} after {samples} samples")


def check(lhs: sp.Basic, rhs: sp.Basic, ctx: Context, env: dict, seed: int,
          batch_size: int = 4000, max_rounds: int = 3) -> MonteCarloResult:
    """Estimate lhs − rhs at the instance ``env`` (floats) under every law the declarations allow."""
    start = time.perf_counter()
    residual = (lhs, rhs)
    problem = dependence_problem(residual, ctx)
    if problem is None:
        try:
            batch_size, problem = coverage_problem(residual, ctx, env, batch_size)
        except EvaluationError as exc:
            problem = str(exc)
    if problem is not None:
        return MonteCarloResult("none", seed=seed, seconds=time.perf_counter() - start,
                                reason=f"no Monte Carlo evidence: {problem}")
    results = []
    try:
        for k, law in enumerate(laws_for(residual, ctx)):
            r = _one_law(residual, ctx, env, seed + k, law, batch_size, max_rounds)
            if law != "declared":
                r.reason = f"under the {law} law: {r.reason}" if r.reason else f"under the {law} law"
            results.append(r)
            if r.status == "disagree":
                break
    except EvaluationError as exc:
        return MonteCarloResult("none", reason=str(exc), seed=seed, seconds=time.perf_counter() - start)
    for status in ("disagree", "none", "inconclusive"):
        bad = [r for r in results if r.status == status]
        if bad:
            chosen = bad[0]
            break
    else:
        chosen = max(results, key=lambda r: abs(r.t))
        if len(results) > 1:
            chosen.reason = "agrees under each law with these moments: " + ", ".join(
                f"{law} (t = {r.t:.1f})" for law, r in zip(laws_for(residual, ctx), results, strict=True))
    chosen.samples = sum(r.samples for r in results)
    chosen.seconds = time.perf_counter() - start
    return chosen
