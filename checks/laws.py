"""Which laws a Monte Carlo check may sample, and whether the t rule is valid for what it estimates.

Only what is declared is sampled: families are independent of each other only where
``ctx.independent`` says so; a ``Moments(mean, var)`` family is any law with those two moments,
so it is sampled under several (``MOMENT_LAWS``); a Bernoulli outcome too rare to be drawn
enough times, or an integrand whose batch means are far from normal, gives no verdict.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping

import numpy as np
import sympy as sp

from derivcheck_steps.context import Context
from derivcheck_steps.evaluate import FLOAT, evaluate
from derivcheck_steps.randomness import Cov, Distribution, E, Var

MOMENT_LAWS = ("normal", "two-point", "skewed")  # mean ± sd with prob. 1/2; mean + sd (Exp(1) − 1)
RARE_MIN = 30  # expected draws of a Bernoulli's rarer outcome per batch, at least
MAX_DRAWS = 4_000_000  # batch size × entries of a family, at most (memory)
MAX_SKEW = 0.5  # |skewness| of one batch mean, estimated from the pooled draws
MAX_KURT = 1.0  # excess kurtosis of one batch mean, estimated from the pooled draws
MAX_BATCH_KURT = 4.0  # sample excess kurtosis of the K batch estimates


def _families(e: sp.Basic, ctx: Context) -> set[str]:
    """The families ``e`` uses: entries ``m[j]`` and families declared without indices (a bare base)."""
    return {str(b) for b in e.atoms(sp.IndexedBase) if ctx.family_of(b) is not None}


def dependence_problem(sides: tuple, ctx: Context) -> str | None:
    """Why the joint law needed is not declared (two families in one E, Var, Cov), or None."""
    for side in sides:
        for node in sp.preorder_traversal(side):
            if isinstance(node, (E, Var, Cov)):
                fams = sorted(_families(node, ctx))
                for a, b in itertools.combinations(fams, 2):
                    if not ctx.are_independent(a, b):
                        return (f"{a} and {b} appear together in {node} but are not declared independent "
                                f"(ctx.independent({a!r}, {b!r})); their joint law is unknown")
    return None


def _degree(e: sp.Basic, base: sp.IndexedBase) -> float:
    """An upper bound on the degree of ``e`` in the entries of ``base`` (inf where not a polynomial)."""
    if e == base or isinstance(e, sp.Indexed) and e.base == base:
        return 1
    if not e.has(base):
        return 0
    if isinstance(e, (E, Var, Cov)):
        return 0  # a number: its own moments are counted at its own node
    if isinstance(e, sp.Add):
        return max(_degree(a, base) for a in e.args)
    if isinstance(e, sp.Mul):
        return sum(_degree(a, base) for a in e.args)
    if isinstance(e, sp.Pow) and e.exp.is_Integer and e.exp >= 0:
        return int(e.exp) * _degree(e.base, base)
    if isinstance(e, sp.Sum):
        return _degree(e.function, base)
    return float("inf")


def moment_problem(sides: tuple, ctx: Context) -> str | None:
    """Why agreement under sampled laws is no evidence: a moment beyond the declared mean and variance, or None.

    A ``Moments(mean, var)`` family fixes E[X] and E[X²] only; an E of degree 3 (or a Var of degree
    2) in it depends on the law, and agreeing under the sampled laws covers only those laws.
    """
    for side in sides:
        for node in sp.preorder_traversal(side):
            if not isinstance(node, (E, Var, Cov)):
                continue
            for fam in _used((node,), ctx):
                if fam.dist.name != "Moments":
                    continue
                k = max(_degree(a, fam.base) for a in node.args)
                k = 2 * k if isinstance(node, Var) else (sum(_degree(a, fam.base) for a in node.args)
                                                         if isinstance(node, Cov) else k)
                if k > 2:
                    return (f"{node} needs a moment of {fam.base} of degree {'> 2' if k == float('inf') else k}; "
                            "only its mean and variance are declared")
    return None


def _used(sides: tuple, ctx: Context) -> list:
    names = set().union(*(_families(s, ctx) for s in sides))
    return [ctx.families[n] for n in sorted(names)]


def coverage_problem(sides: tuple, ctx: Context, env: dict, size: int) -> tuple[int, str | None]:
    """A batch size at which every Bernoulli outcome is drawn ``RARE_MIN`` times per batch, or why none fits."""
    for fam in _used(sides, ctx):
        entries = int(np.prod([int(env[ctx.indices[ix].upper]) for ix in fam.indices]))
        if fam.dist.name != "Bernoulli":
            continue
        p = float(evaluate(fam.dist.params[0], env, FLOAT))
        q = min(p, 1 - p)
        need = int(np.ceil(RARE_MIN / q)) if q > 0 else None
        if need is not None and need * max(entries, 1) <= MAX_DRAWS:
            size = max(size, need)
            continue
        most = MAX_DRAWS // max(entries, 1)
        return size, (f"the rarer outcome of {fam.base} ~ Bernoulli({p:.3g}) would be drawn about "
                      f"{most * q:.2g} times in a batch of {most}; at least {RARE_MIN} are needed")
    return size, None


def laws_for(sides: tuple, ctx: Context) -> tuple[str, ...]:
    """The laws to sample: each of ``MOMENT_LAWS`` when a Moments family is used, else the declared one."""
    if any(f.dist.name == "Moments" for f in _used(sides, ctx)):
        return MOMENT_LAWS
    return ("declared",)


Sampler = Callable[[tuple, np.random.Generator, tuple], np.ndarray]


def sampler(dist: Distribution, law: str) -> Sampler:
    """Draws of ``dist`` (for a Moments family, under the named law with its mean and variance)."""
    if dist.name != "Moments" or law in ("declared", "normal"):
        return dist.sample

    def draw(params: tuple, rng: np.random.Generator, shape: tuple) -> np.ndarray:
        mean, var = params
        sd = np.sqrt(var)
        if law == "two-point":
            return mean + sd * np.where(rng.random(shape) < 0.5, -1.0, 1.0)
        return mean + sd * (rng.standard_exponential(shape) - 1.0)  # skewness 2, excess kurtosis 6

    return draw


class Diagnostics:
    """Central moments of each estimated integrand, pooled over a round's batches: are its batch means near normal?

    One entry per E/Var/Cov node and values of the indices bound around it; each batch adds its
    count, mean and central sums of powers 2, 3, 4, combined exactly about the pooled mean.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.sums: dict[tuple, list[tuple[float, float, float, float, float]]] = {}
        self.may_improve = True  # a bigger batch may fix it (not for infinite draws)

    def record(self, node: sp.Basic, values: np.ndarray, env: dict) -> None:
        """One batch's draws of the integrand at ``node`` (with the indices bound in ``env``)."""
        self.add(node, self.row_stats(np.asarray(values, dtype=float).reshape(1, -1))[0], env)

    def add(self, node: sp.Basic, row: tuple[float, float, float, float, float], env: Mapping) -> None:
        """One batch's (count, mean, central sums of powers 2, 3, 4), as :meth:`row_stats` gives them."""
        key = (id(node), *(v for v in env.values() if type(v) is int))  # bound indices are ints
        self.sums.setdefault(key, []).append(row)

    @staticmethod
    def row_stats(block: np.ndarray) -> list[tuple[float, float, float, float, float]]:
        """(count, mean, Σc², Σc³, Σc⁴) of each row of ``block``, c the row's draws less its mean: row by
        row the same floats as each row alone (NumPy reduces the contiguous last axis row by row)."""
        x = np.ascontiguousarray(block, dtype=float)
        with np.errstate(all="ignore"):
            mean = x.mean(axis=1, keepdims=True)
            c = x - mean
            c2 = c * c
            cols = (mean[:, 0], c2.sum(axis=1), (c2 * c).sum(axis=1), (c2 * c2).sum(axis=1))
        n = float(x.shape[1])
        return [(n, *map(float, r)) for r in zip(*cols, strict=True)]

    def _moments(self) -> list[tuple[float, float, float, float]]:
        out = []
        for rows in self.sums.values():
            n, mean, m2, m3, m4 = (np.asarray(col) for col in zip(*rows, strict=True))
            with np.errstate(all="ignore"):
                total = n.sum()
                d = mean - (n * mean).sum() / total
                s2 = (m2 + n * d**2).sum()
                s3 = (m3 + 3 * m2 * d + n * d**3).sum()
                s4 = (m4 + 4 * m3 * d + 6 * m2 * d**2 + n * d**4).sum()
            out.append((total, s2 / total, s3 / total, s4 / total))
        return out

    def problem(self, estimates: list[float]) -> str | None:
        """Why the t rule is not valid for this round, or None."""
        for total, v2, v3, v4 in self._moments():
            if not all(np.isfinite((v2, v3, v4))):
                self.may_improve = False
                return "draws of an integrand overflow"
            if v2 <= 0:
                continue  # a constant: nothing random to estimate
            skew = v3 / v2**1.5 / np.sqrt(self.size)
            kurt = (v4 / v2**2 - 3) / self.size
            if abs(skew) > MAX_SKEW or kurt > MAX_KURT:
                return (f"heavy tails: a batch mean of {self.size} draws has estimated skewness {skew:.2g} and "
                        f"excess kurtosis {kurt:.2g} (from {int(total)} pooled draws; at most {MAX_SKEW} and "
                        f"{MAX_KURT} for the t rule)")
        est = np.asarray(estimates, dtype=float)
        if np.all(np.isfinite(est)) and est.std() > 0:
            c = est - est.mean()
            g2 = float(np.mean(c**4) / np.mean(c**2) ** 2 - 3)
            if g2 > MAX_BATCH_KURT:
                return f"heavy tails: the {len(est)} batch estimates have excess kurtosis {g2:.1f} (> {MAX_BATCH_KURT})"
        return None
