"""Random instances of a Context: values for every declared symbol that respect its assumptions.

Every value is an exact rational, so a point that shows a disagreement in floats can be
re-evaluated exactly. The first instances are *simple* (small integers, halves, sizes 1 to 3)
so that a counterexample is one a person can redo by hand; later ones are random rationals
with small denominators and sizes drawn from each dimension's range.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy as sp

from checks.context import Context, ScalarDecl

SIMPLE_REAL = (2, -1, 1, 3, -2, Fraction(1, 2))
SIMPLE_POSITIVE = (1, 2, 3, Fraction(1, 2))
SIMPLE_NONZERO = (1, -1, 2, -2, 3)


@dataclass
class Instance:
    """One point: exact values (SymPy numbers, object arrays) and their float twins."""

    exact: dict[sp.Basic, object]
    floats: dict[sp.Basic, object]
    simple: bool

    def describe(self, symbols: set[sp.Basic] | None = None) -> dict[str, str]:
        """Symbol name -> value as text, limited to ``symbols`` when given (for reports)."""
        out: dict[str, str] = {}
        for sym, val in self.exact.items():
            if symbols is not None and sym not in symbols:
                continue
            out[str(sym)] = _text(val)
        return dict(sorted(out.items()))


def _text(val: object) -> str:
    if isinstance(val, np.ndarray):
        if val.ndim == 2 and val.shape[1] == 1:
            return "[" + ", ".join(str(v) for v in val[:, 0]) + "]ᵀ"
        return "[" + "; ".join(", ".join(str(v) for v in row) for row in val.reshape(val.shape[0], -1)) + "]"
    return str(val)


def _rat(x: Fraction | int) -> sp.Rational:
    x = Fraction(x)
    return sp.Rational(x.numerator, x.denominator)


def _scalar_value(decl: ScalarDecl, rng: np.random.Generator, simple: bool) -> sp.Rational:
    low, high = decl.low, decl.high
    if high is not None:
        lo = low if low is not None else high - 4
        span = high - lo
        if simple:
            k = int(rng.integers(1, 4))
            return _rat(lo + span * Fraction(k, 4))
        return _rat(lo + span * Fraction(int(rng.integers(1, 64)), 64))
    if simple:
        pool = SIMPLE_POSITIVE if low is not None else (SIMPLE_NONZERO if decl.nonzero else SIMPLE_REAL)
        val = Fraction(pool[int(rng.integers(len(pool)))])
        if low is not None and low > 0:
            val += low
        if decl.nonnegative and val < 0:
            val = -val
        return _rat(val)
    if low is not None:
        val = low + Fraction(int(rng.integers(1, 96)), 32)
    else:
        val = Fraction(int(np.round(rng.normal() * 32)), 16)
        if decl.nonzero and val == 0:
            val = Fraction(1, 16)
        if decl.nonnegative:
            val = abs(val)
    return _rat(val)


def _array(shape: tuple[int, ...], rng: np.random.Generator, simple: bool) -> np.ndarray:
    if simple:
        ints = rng.integers(-2, 3, size=shape)
    else:
        ints = np.round(rng.normal(size=shape) * 16).astype(int)
    out = np.empty(shape, dtype=object)
    for k, v in np.ndenumerate(ints):
        out[k] = sp.Rational(int(v), 1 if simple else 16)
    return out


def _floats(val: object) -> object:
    if isinstance(val, np.ndarray):
        return val.astype(float)
    return float(val)


def _spread(value: sp.Rational, decl: ScalarDecl | None, rng: np.random.Generator) -> sp.Rational:
    """Rescale by a random power of two (unbounded scalars only): magnitudes from 1/256 to 256."""
    if decl is not None and decl.high is not None:
        return value
    low = decl.low if decl is not None and decl.low is not None else None
    scale = sp.Integer(2) ** int(rng.integers(-8, 9))
    if low is not None:
        return _rat(low) + (value - _rat(low)) * scale
    return value * scale


def draw_instance(ctx: Context, rng: np.random.Generator, *, simple: bool, spread: bool = False) -> Instance:
    """Draw one instance of every declared symbol of ``ctx``; ``spread`` varies magnitudes widely."""
    exact: dict[sp.Basic, object] = {}
    for dim, (low, high) in ctx.dims_.items():
        lo, hi = (max(low, 1), min(high, 3)) if simple else (low, high)
        if lo > hi:
            lo, hi = low, high
        exact[dim] = sp.Integer(int(rng.integers(lo, hi + 1)))
    for ix, idecl in ctx.indices.items():  # a free index (an example i) takes one value in range
        exact[ix] = sp.Integer(int(rng.integers(1, int(exact[idecl.upper]) + 1)))
    for sym, decl in ctx.scalars.items():
        exact[sym] = _scalar_value(decl, rng, simple)
        if spread:
            exact[sym] = _spread(exact[sym], decl, rng)
    dims = dict(exact)
    for mat, (rows, cols) in ctx.matrices.items():
        shape = (int(rows.subs(dims)), int(cols.subs(dims)))
        exact[mat] = _array(shape, rng, simple)
    for base, decl in ctx.data.items():
        shape = tuple(int(exact[ctx.indices[ix].upper]) for ix in decl.indices)
        arr = _array(shape, rng, simple)
        if spread:
            arr = arr * (sp.Integer(2) ** int(rng.integers(-6, 7)))
        if decl.centred_over is not None:
            axis = decl.indices.index(decl.centred_over)
            mean = arr.sum(axis=axis, keepdims=True) / sp.Integer(arr.shape[axis])
            arr = arr - mean
        exact[base] = arr
    floats = {k: (int(v) if k in ctx.dims_ or k in ctx.indices else _floats(v)) for k, v in exact.items()}
    return Instance(exact, floats, simple)


def _facts_hold(ctx: Context, inst: Instance) -> bool:
    from checks.errors import EvaluationError
    from checks.evaluate import EXACT, as_scalar, evaluate

    for fact in ctx.facts:
        try:
            v = as_scalar(evaluate(fact.expr, inst.exact, EXACT))
        except EvaluationError:
            return False
        if (fact.kind == "nonzero" and v == 0) or (fact.kind == "positive" and not v > 0):
            return False
    return True


def draw_instances(ctx: Context, seed: int, count: int, simple: int, spread: bool = False) -> list[Instance]:
    """``simple`` simple instances then random ones, ``count`` in all, each satisfying the context's facts."""
    rng = np.random.default_rng(seed)
    out: list[Instance] = []
    for attempt in range(count * 10):
        inst = draw_instance(ctx, rng, simple=attempt < simple * 3 and len(out) < simple, spread=spread)
        if _facts_hold(ctx, inst):
            out.append(inst)
        if len(out) == count:
            break
    return out
