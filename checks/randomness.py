"""Random families and unevaluated expectation operators: E[·], Var[·], Cov[·, ·].

A family such as ``m_j^{(i)} ~ Bernoulli(p)`` i.i.d. over (i, j) is an IndexedBase whose entries
are independent draws from one distribution; entries of *different* families are independent
only where the context says so (``ctx.independent("m", "pi")``).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb

import numpy as np
import sympy as sp


@dataclass(frozen=True)
class Distribution:
    """A distribution known by its raw moments and a sampler."""

    name: str
    params: tuple[sp.Expr, ...]

    def moment(self, k: int) -> sp.Expr:
        """E[X^k] for k >= 1."""
        if self.name == "Bernoulli":
            return self.params[0]
        if self.name == "Moments":
            mean, var = self.params
            if k == 1:
                return mean
            if k == 2:
                return mean**2 + var
            from derivcheck_steps.expectation import Undecidable

            raise Undecidable(f"moment {k} of a variable known only by its mean and variance")
        if self.name == "Normal":
            mu, var = self.params
            # E[(mu + s Z)^k] = sum_r C(k, r) mu^(k-r) s^r E[Z^r], E[Z^r] = (r-1)!! for even r
            total = sp.Integer(0)
            for r in range(0, k + 1, 2):
                total += comb(k, r) * mu ** (k - r) * var ** (r // 2) * sp.factorial2(r - 1)
            return sp.expand(total)
        raise ValueError(f"unknown distribution {self.name}")

    def sample(self, params: tuple[float, ...], rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
        """Draws as float64 of the given shape."""
        if self.name == "Bernoulli":
            return (rng.random(shape, dtype=np.float32) < params[0]).astype(np.float64)
        mu, var = params  # Normal, and Moments sampled as a normal with the same two moments
        return mu + np.sqrt(var) * rng.standard_normal(shape)

    def __str__(self) -> str:
        return f"{self.name}({', '.join(str(p) for p in self.params)})"


def _num(v: object) -> sp.Expr:
    """Python numbers as SymPy numbers (never parses text)."""
    if isinstance(v, int):
        return sp.Integer(v)
    if isinstance(v, float):
        return sp.Float(v)
    return v


def Bernoulli(p: sp.Expr) -> Distribution:  # noqa: N802 - reads like the distribution's name
    """Bernoulli(p): 1 with probability p, else 0."""
    return Distribution("Bernoulli", (_num(p),))


def Moments(mean: sp.Expr, variance: sp.Expr) -> Distribution:  # noqa: N802
    """Any distribution with this mean and variance (sampled as a normal for Monte Carlo)."""
    return Distribution("Moments", (_num(mean), _num(variance)))


def Normal(mean: sp.Expr, variance: sp.Expr) -> Distribution:  # noqa: N802
    """Normal with the given mean and *variance*."""
    return Distribution("Normal", (_num(mean), _num(variance)))


@dataclass(frozen=True)
class RandomFamily:
    """An i.i.d. family of random variables indexed by declared indices."""

    base: sp.IndexedBase
    indices: tuple[sp.Symbol, ...]
    dist: Distribution


class E(sp.Function):
    """Unevaluated expectation E[X]."""

    nargs = 1
    is_real = True


class Var(sp.Function):
    """Unevaluated variance Var[X] = E[X²] − E[X]²."""

    nargs = 1
    is_real = True


class Cov(sp.Function):
    """Unevaluated covariance Cov[X, Y] = E[XY] − E[X]E[Y]."""

    nargs = 2
    is_real = True
