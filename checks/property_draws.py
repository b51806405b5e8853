"""Instances of a square matrix with declared properties, for the samplers (see :mod:`derivcheck_steps.properties`).

Every value is an exact rational: symmetric (mirrored), diagonal, positive definite (``BᵀB + I/8``),
positive semidefinite (``BᵀB``, of lower rank at times), orthogonal (rational Householder
reflections: a product of two unless also symmetric), or invertible (redrawn by the sampler).
"""

from __future__ import annotations

import numpy as np
import sympy as sp


def _householder(v: np.ndarray) -> np.ndarray:
    """I − 2vvᵀ/(vᵀv): a rational orthogonal (and symmetric) matrix."""
    n = v.shape[0]
    vv = sum((x * x for x in v), sp.Integer(0))
    out = np.empty((n, n), dtype=object)
    for i in range(n):
        for j in range(n):
            out[i, j] = (1 if i == j else 0) - 2 * v[i] * v[j] / vv
    return out


def _nonzero_vector(rng: np.random.Generator, n: int) -> np.ndarray:
    while True:
        v = np.array([sp.Integer(int(x)) for x in rng.integers(-3, 4, size=n)], dtype=object)
        if any(x != 0 for x in v):
            return v


def _matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.array(sp.Matrix(a.tolist()) * sp.Matrix(b.tolist()), dtype=object)


def draw_with_properties(arr: np.ndarray, props: frozenset[str], rng: np.random.Generator) -> np.ndarray:
    """A square matrix with the declared properties, built from the freely drawn ``arr`` (exact rationals)."""
    n = arr.shape[0]
    eye = np.array(sp.eye(n).tolist(), dtype=object)
    if "orthogonal" in props:
        if "diagonal" in props:
            return np.array(sp.diag(*[sp.Integer(int(s)) for s in rng.choice([-1, 1], size=n)]).tolist(), dtype=object)
        q = _householder(_nonzero_vector(rng, n))
        if "symmetric" not in props and n > 1:  # a product of two reflections: orthogonal, not symmetric
            q = _matmul(q, _householder(_nonzero_vector(rng, n)))
        return q
    if "diagonal" in props:
        out = np.array(sp.zeros(n, n).tolist(), dtype=object)
        for i in range(n):
            v = arr[i, i]
            if "pd" in props:
                v = abs(v) + sp.Rational(1, 4)
            elif "psd" in props:
                v = abs(v) if rng.random() < 0.75 else sp.Integer(0)
            elif "invertible" in props and v == 0:
                v = sp.Integer(1)
            out[i, i] = v
        return out
    if props & {"pd", "psd"}:
        rank = n if "pd" in props or n == 1 else int(rng.integers(max(n - 1, 1), n + 1))
        b = arr[:rank, :]
        gram = np.array((sp.Matrix(b.tolist()).T * sp.Matrix(b.tolist())).tolist(), dtype=object)
        return gram + eye * sp.Rational(1, 8) if "pd" in props else gram
    if "symmetric" in props:
        out = arr.copy()
        for i in range(n):
            for j in range(i):
                out[i, j] = out[j, i]
        return out
    return arr  # invertible only: the sampler redraws a singular draw


__all__ = ["draw_with_properties"]
