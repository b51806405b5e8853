"""Random instances of a Context: values for every declared symbol that respect its assumptions.

Every value is an exact rational, so a point that shows a disagreement in floats can be
re-evaluated exactly. The first instances are *simple* (small integers, halves, thirds, sizes 1
to 3) so that a counterexample is one a person can redo by hand; later ones are random.
Blind spots are avoided on purpose:

- signs: the scalars whose sign is free take every sign pattern in turn (the t-th simple or
  plain random instance gives the k-th such scalar the sign of bit k of t + offset), so
  √(xy) = √x√y meets x, y < 0; indexed data of free sign is all ≤ 0 at every other instance
  without landmark values (mixed signs at the others), and so are the entries of vectors and of
  matrices without a property that −|·| would break, so √(w_i²) = w_i and |A_kj| = A_kj meet
  negative entries;
- sizes: simple instances take sizes 1 to 3, random ones 2 to the dimension's high end, and
  every third random instance draws each dimension above that range, up to at least
  ``LARGE_SIZE`` (an identity in n true for n ≤ 4 only is caught);
- values: every other random instance takes small-height rationals with odd denominators
  (±1/3, ±1/6, ±2/5, ±3/7, ...) from a cycle ordered by denominator, the others dyadic ones; matrix
  entries alternate denominators 16 and 15 — so boundaries such as x = 1/3 are met;
- declared facts and invertible matrices hold at every instance (the others are redrawn);
- data with a declared domain (σ_j > 0, p_j ∈ (0, 1)) are drawn inside it (:mod:`derivcheck_steps.data_domains`).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy as sp

from derivcheck_steps.constraints import enforce
from derivcheck_steps.context import Context, ScalarDecl
from derivcheck_steps.data_domains import draw_entries, entries_in_domain
from derivcheck_steps.property_draws import draw_with_properties

SIMPLE_REAL = (2, 1, 3, Fraction(1, 2), Fraction(1, 3))  # magnitudes; the sign comes from the pattern
SIMPLE_POSITIVE = (1, 2, 3, Fraction(1, 2), Fraction(1, 3))
SIMPLE_NONZERO = (1, 2, 3)
LANDMARKS = tuple(sorted({Fraction(k, d) for d in (3, 5, 6, 7, 9) for k in range(1, 2 * d) if Fraction(k, d).denominator == d}))
UNIT_LANDMARKS = tuple(f for f in LANDMARKS if f < 1)  # for a scalar in an interval: lo + span·f
LARGE_SIZE = 12
_RANK = {3: 0, 6: 1, 5: 2, 7: 3, 9: 4}  # landmark cycles meet thirds, then sixths, fifths, sevenths, ninths


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


def _free_sign(decl: ScalarDecl) -> bool:
    return decl.low is None and decl.high is None and not decl.nonnegative


def _nonpositive(arr: np.ndarray) -> np.ndarray:
    """Every entry as −|entry|."""
    return np.array([-abs(v) for v in arr.flat], dtype=object).reshape(arr.shape)


def _free_sign_data(decl: object) -> bool:
    """Indexed data whose entries may take either sign (no domain, or only ≠ 0), not centred."""
    if getattr(decl, "centred_over", None) is not None:
        return False
    return getattr(decl, "low", None) is None and getattr(decl, "high", None) is None and not getattr(decl, "nonnegative", False)


def _scalar_value(decl: ScalarDecl, rng: np.random.Generator, simple: bool, landmark: Fraction | None = None,
                  negative: bool = False) -> sp.Rational:
    """A value of a scalar; ``landmark`` (a small-height rational) is used when given, ``negative`` sets a free sign."""
    low, high = decl.low, decl.high
    if high is not None:
        lo = low if low is not None else high - 4
        span = high - lo
        if landmark is not None:
            return _rat(lo + span * (landmark if landmark < 1 else UNIT_LANDMARKS[0]))
        if simple:
            k = int(rng.integers(1, 4))
            return _rat(lo + span * Fraction(k, 4))
        return _rat(lo + span * Fraction(int(rng.integers(1, 64)), 64))
    if landmark is not None:
        val = landmark
    elif simple:
        pool = SIMPLE_POSITIVE if low is not None or decl.nonnegative else (SIMPLE_NONZERO if decl.nonzero else SIMPLE_REAL)
        val = Fraction(pool[int(rng.integers(len(pool)))])
    elif low is not None:
        val = Fraction(int(rng.integers(1, 96)), 32)
    else:
        val = abs(Fraction(int(np.round(rng.normal() * 32)), 16))
        if decl.nonzero and val == 0:
            val = Fraction(1, 16)
    if low is not None:
        return _rat(low + val)
    return _rat(-val if negative and _free_sign(decl) else val)


def _array(shape: tuple[int, ...], rng: np.random.Generator, simple: bool, denominator: int = 16) -> np.ndarray:
    if simple:
        ints, denominator = rng.integers(-2, 3, size=shape), 1
    else:
        ints = np.round(rng.normal(size=shape) * denominator).astype(int)
    out = np.empty(shape, dtype=object)
    for k, v in np.ndenumerate(ints):
        out[k] = sp.Rational(int(v), denominator)
    return out


def _floats(val: object) -> object:
    if isinstance(val, np.ndarray):
        return val.astype(float)
    return float(val)


def _integer_value(decl: ScalarDecl, rng: np.random.Generator, simple: bool, negative: bool) -> sp.Integer:
    """A value of an integer scalar in its domain: 0..3 when simple, else 0..12 (from 1 when positive or
    nonzero; ``negative`` flips the sign of one with a free sign)."""
    low = 1 if (decl.low is not None or decl.nonzero) else 0
    n = int(rng.integers(low, (3 if simple else 12) + 1))
    return sp.Integer(-n if negative and _free_sign(decl) else n)


def _spread(value: sp.Rational, decl: ScalarDecl | None, rng: np.random.Generator) -> sp.Rational:
    """Rescale by a random power of two (unbounded scalars only): magnitudes from 1/256 to 256."""
    if decl is not None and decl.high is not None:
        return value
    low = decl.low if decl is not None and decl.low is not None else None
    scale = sp.Integer(2) ** int(rng.integers(-8, 9))
    if low is not None:
        return _rat(low) + (value - _rat(low)) * scale
    return value * scale


@dataclass(frozen=True)
class _Plan:
    """How the t-th instance is drawn: simple or random, large sizes, landmark values, sign pattern."""

    simple: bool
    large: bool = False
    landmarks: dict | None = None  # scalar -> small-height rational
    signs: int = 0  # bit k: the k-th free-sign scalar is negative
    denominator: int = 16
    negative_data: bool = False  # every entry of free-sign data ≤ 0 (√(w_i²) = w_i must meet w_i < 0)


def draw_instance(ctx: Context, rng: np.random.Generator, *, simple: bool, spread: bool = False,
                  plan: _Plan | None = None) -> Instance:
    """Draw one instance of every declared symbol of ``ctx``; ``spread`` varies magnitudes widely."""
    plan = plan or _Plan(simple, signs=int(rng.integers(0, 1 << 16)))
    exact: dict[sp.Basic, object] = {}
    for dim, (low, high) in ctx.dims_.items():
        # random instances avoid size 1 (where many mistakes vanish: a 1×1 transpose, a mean of
        # one row); the simple ones, sizes 1 to 3, cover it
        lo, hi = (max(low, 1), min(high, 3)) if simple else (max(low, 2) if high >= 2 else low, high)
        if plan.large:
            lo, hi = high + 1, max(high + 1, LARGE_SIZE)
        if lo > hi:
            lo, hi = low, high
        exact[dim] = sp.Integer(int(rng.integers(lo, hi + 1)))
    for ix, idecl in ctx.indices.items():  # a free index (an example i) takes one value in range
        exact[ix] = sp.Integer(int(rng.integers(1, int(exact[idecl.upper]) + 1)))
    free = [s for s, decl in ctx.scalars.items() if _free_sign(decl)]
    for sym, decl in ctx.scalars.items():
        landmark = plan.landmarks.get(sym) if plan.landmarks else None
        negative = landmark is None and sym in free and bool(plan.signs >> free.index(sym) & 1)
        exact[sym] = _scalar_value(decl, rng, simple, landmark, negative)
        if spread and landmark is None:
            exact[sym] = _spread(exact[sym], decl, rng)
        if decl.integer:
            exact[sym] = _integer_value(decl, rng, simple, negative)
    dims = dict(exact)
    for mat, (rows, cols) in ctx.matrices.items():
        shape = (int(rows.xreplace(dims)), int(cols.xreplace(dims)))  # sizes are numbers by now
        exact[mat] = _array(shape, rng, simple, plan.denominator)
        props = ctx.properties.get(mat) or (frozenset({"symmetric"}) if mat in ctx.symmetric else None)
        if props:  # declared symmetric, diagonal, definite, orthogonal…: every instance has the property
            exact[mat] = draw_with_properties(exact[mat], props, rng)
        if plan.negative_data and (props or frozenset()) <= {"symmetric", "diagonal"}:  # −|·| keeps these
            exact[mat] = _nonpositive(exact[mat])
    for base, decl in ctx.data.items():
        shape = tuple(int(exact[ctx.indices[ix].upper]) for ix in decl.indices)
        if decl.restricted:  # σ_j > 0, p_j ∈ (0, 1): every entry inside its declared domain
            arr = draw_entries(decl, shape, rng, simple, plan.denominator)
        else:
            arr = _array(shape, rng, simple, plan.denominator)
        if plan.negative_data and _free_sign_data(decl):
            arr = _nonpositive(arr)
        if spread and decl.high is None:  # a power of two keeps a sign, not an interval
            arr = arr * (sp.Integer(2) ** int(rng.integers(-6, 7)))
        if decl.centred_over is not None:
            axis = decl.indices.index(decl.centred_over)
            mean = arr.sum(axis=axis, keepdims=True) / sp.Integer(arr.shape[axis])
            arr = arr - mean
        exact[base] = arr
    if ctx.constraints:  # Σ y = 1, ‖u‖ = 1, one-hot: every instance lies on the constraint
        enforce(ctx, exact, rng, simple)
    for decl in ctx.data.values():  # data read before a statement narrowed its domain: the same values
        for alias in decl.aliases:
            exact[alias] = exact[decl.base]
    floats = {k: (int(v) if k in ctx.dims_ or k in ctx.indices else _floats(v)) for k, v in exact.items()}
    return Instance(exact, floats, simple)


def _facts_hold(ctx: Context, inst: Instance) -> bool:
    from derivcheck_steps.errors import EvaluationError
    from derivcheck_steps.evaluate import EXACT, FLOAT, as_scalar, evaluate

    if not entries_in_domain(ctx, inst.exact):  # a constraint moved an entry out of its declared domain
        return False
    for fact in ctx.facts:
        try:
            v = as_scalar(evaluate(fact.expr, inst.exact, EXACT))
        except EvaluationError:
            return False
        if (fact.kind == "nonzero" and v == 0) or (fact.kind == "positive" and not v > 0):
            return False
    for inv in ctx.invertibles:  # a declared invertible matrix is invertible at every instance
        try:
            a = evaluate(inv.matrix, inst.floats, FLOAT)
            if np.linalg.cond(a) < 1e10:
                continue
            if sp.Matrix(evaluate(inv.matrix, inst.exact, EXACT).tolist()).det() == 0:
                return False
        except EvaluationError:
            return False
    return True


def _cycles(ctx: Context, rng: np.random.Generator) -> dict:
    """Per scalar, landmark rationals by denominator (``_RANK``), shuffled within one; free-sign
    scalars take both signs of each. Every cycle meets the thirds first."""
    out = {}
    for sym, decl in ctx.scalars.items():
        pool = list(UNIT_LANDMARKS if decl.high is not None else LANDMARKS)
        if _free_sign(decl):
            pool += [-f for f in pool]
        keys = rng.random(len(pool))
        first: dict[Fraction, int] = {}
        for k, f in enumerate(pool):  # each value's key is that of its first place in the pool
            first.setdefault(f, k)
        out[sym] = sorted(pool, key=lambda f: (_RANK[f.denominator], keys[first[f]]))
    return out


def draw_instances(ctx: Context, seed: int, count: int, simple: int, spread: bool = False) -> list[Instance]:
    """``simple`` simple instances then random ones, ``count`` in all, each satisfying the context's facts."""
    rng = np.random.default_rng(seed)
    cycles = _cycles(ctx, rng)
    offset = int(rng.integers(0, 1 << 16))
    out: list[Instance] = []
    randoms = pattern = 0
    for attempt in range(count * 10):
        is_simple = attempt < simple * 3 and len(out) < simple
        landmarks = None
        if not is_simple and randoms % 2 == 1:  # landmark values carry their own signs
            landmarks = {s: c[(randoms // 2) % len(c)] for s, c in cycles.items()}
        else:  # simple and plain random instances go through the sign patterns in turn
            pattern += 1
        # every other instance without landmarks has its free-sign data all ≤ 0 (the others mixed signs)
        negative_data = landmarks is None and pattern % 2 == 0
        plan = _Plan(is_simple, signs=offset + pattern, negative_data=negative_data)
        if not is_simple:
            plan = _Plan(False, large=randoms % 3 == 2, landmarks=landmarks, signs=offset + pattern,
                         denominator=15 if randoms % 2 else 16, negative_data=negative_data)
            randoms += 1
        inst = draw_instance(ctx, rng, simple=is_simple, spread=spread, plan=plan)
        if _facts_hold(ctx, inst):
            out.append(inst)
        if len(out) == count:
            break
    return out
