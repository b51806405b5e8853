"""Signs and zeros of exact real numbers, decided relative to the size of what is compared.

An irrational difference such as tanh 3 − (e⁶ − 1)/(e⁶ + 1) is evaluated by SymPy's evalf,
which tracks the accuracy it achieves. A result with correct leading digits settles the sign,
however small it is (sides of size e⁻¹⁰⁰ that differ by a factor 2 differ). A result without
a correct digit (evalf prints ``0.e-160``) only bounds the magnitude: it counts as zero when the
bound is below the sides' magnitude × 10^-(digits − 10), and otherwise the precision is raised
(50 → 100 → 200 → 400 digits). If even then nothing is settled the answer is ``None``
(undecided): never a counterexample from a precision-less number, never an absolute threshold.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from derivcheck_steps.radicals import is_zero_radical_sum

LEVELS = (50, 100, 200, 400)  # decimal digits tried in turn
ACCURATE_BITS = 8  # a result with at least this many correct bits has a known sign


def _evaluated(v: sp.Basic, digits: int) -> tuple[sp.Float, bool]:
    """v to ``digits`` digits, and whether its leading digits are correct."""
    r = v.evalf(digits, maxn=4 * digits)
    if not isinstance(r, sp.Float):
        re, im = r.as_real_imag()
        if im != 0 and not (isinstance(im, sp.Float) and abs(im) < sp.Float(10) ** (-digits)):
            raise ValueError(f"{v} is not real")
        r = re
    if not isinstance(r, sp.Float):
        return sp.Float(0), False
    return r, r == 0 or r._prec >= ACCURATE_BITS


def magnitude(v: object, digits: int = LEVELS[0]) -> sp.Float:
    """|v| when its leading digits can be computed, else 0 (it cannot serve as a scale)."""
    if isinstance(v, (int, np.integer, float)):
        return sp.Float(abs(v))
    if v.is_Rational:
        return sp.Float(abs(v), digits)
    try:
        r, ok = _evaluated(v, digits)
    except (ValueError, TypeError):
        return sp.Float(0)
    return abs(r) if ok else sp.Float(0)


def sign(v: object, scale: object = 0) -> int | None:
    """The sign of the real number ``v`` (-1, 0, 1), or None when it cannot be settled.

    ``scale`` is the magnitude of the quantities ``v`` was computed from (the two sides of a
    comparison): an unresolved ``v`` counts as 0 only if it is negligible relative to it.
    """
    if isinstance(v, (int, np.integer)):
        return int(bool(v > 0)) - int(bool(v < 0))
    if isinstance(v, float):
        return None if not np.isfinite(v) else (v > 0) - (v < 0)
    if v.is_Rational:
        return int(bool(v > 0)) - int(bool(v < 0))
    scale = sp.Float(scale) if isinstance(scale, (int, float)) else scale
    for digits in LEVELS:
        try:
            r, ok = _evaluated(v, digits)
        except (ValueError, TypeError):
            return None
        if ok:
            return int(bool(r > 0)) - int(bool(r < 0))
        if scale > 0 and 2 * abs(r) <= scale * sp.Float(10, digits) ** (10 - digits):
            return 0  # equal to digits − 10 significant digits of the sides
    return None


def compare_exact(lhs: object, rhs: object) -> int | None:
    """The sign of lhs − rhs for exact scalars or arrays (any nonzero entry counts), None if undecided.

    For arrays the scale is the largest entry of either side, so the answer is "equal up to the
    precision reached, relative to the matrices' size" or a confirmed nonzero entry.
    """
    if isinstance(lhs, np.ndarray) or isinstance(rhs, np.ndarray):
        a, b = np.asarray(lhs, dtype=object), np.asarray(rhs, dtype=object)
        if a.shape != b.shape:
            raise ValueError(f"shapes differ: {a.shape} vs {b.shape}")
        scale = max([magnitude(x) for x in (*a.flat, *b.flat)], default=sp.Float(0))
        signs = [sign(x - y, scale) for x, y in zip(a.flat, b.flat, strict=True)]
        if any(s for s in signs):
            return next(s for s in signs if s)
        return None if any(s is None for s in signs) else 0
    d = lhs - rhs
    return sign(d, max(magnitude(lhs), magnitude(rhs)))


def confirmed_nonzero(v: object) -> bool:
    """Whether an exact value (scalar or array: any entry) is confirmed nonzero; undecided is not.

    The same answer as ``bool(sign(v))`` entry by entry, but a sum of radicals that cancels
    exactly (``2^(1/3)·3^(2/3) − 18^(1/3)``) is recognised as zero at once, where evalf would
    raise its precision to 400 digits without a correct digit (``derivcheck_steps.radicals``).
    """
    if isinstance(v, np.ndarray):
        return any(confirmed_nonzero(x) for x in v.flat)
    if isinstance(v, sp.Add) and is_zero_radical_sum(v):
        return False
    return bool(sign(v))
