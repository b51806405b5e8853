"""Exact zeros among sums of radicals of rationals, decided without numerical evaluation.

A point found by solving an equation with fractional exponents gives values such as
``4·2^(1/3)·3^(2/3)/3 − 4·18^(1/3)/3``: exactly zero, yet SymPy writes the two terms differently
and evalf cannot show a zero to any precision (it raises the precision to 400 digits and still
has no correct digit). Writing every term as ``c · Π p^(e_p)`` over primes ``p`` with
``0 ≤ e_p < 1`` (the integer part of each exponent moved into the rational ``c``) is an exact
rewriting for positive bases; terms with the same radical part are then added, and if every
coefficient cancels the sum is exactly zero.

Only a proof of zero is returned: anything else (a negative base under a fractional power, a
symbol, a function, a number too large to factor quickly) gives ``False`` and the caller falls
back to its evaluation with error bounds.
"""

from __future__ import annotations

from collections import defaultdict

import sympy as sp
from sympy.ntheory import factorint

FACTOR_LIMIT = 10**30  # integers above this are not factored (factorint could take long)

Monomial = tuple[sp.Rational, dict[int, sp.Rational]]  # c · Π p^e


def _rational(q: sp.Rational) -> Monomial | None:
    """A rational as a sign and its prime factorisation (exponents may be negative)."""
    if q == 0:
        return sp.Integer(0), {}
    if abs(q.p) > FACTOR_LIMIT or q.q > FACTOR_LIMIT:
        return None
    exps: dict[int, sp.Rational] = defaultdict(lambda: sp.Integer(0))
    for p, k in factorint(abs(q.p)).items():
        exps[p] += k
    for p, k in factorint(q.q).items():
        exps[p] -= k
    return sp.Integer(1 if q > 0 else -1), dict(exps)


def _monomial(e: sp.Basic) -> Monomial | None:
    """``e`` as ``c · Π p^e_p`` (c rational, p prime, e_p rational), or None if it is not of that form."""
    if e.is_Rational:
        return _rational(e)
    if isinstance(e, sp.Mul):
        coeff, exps = sp.Integer(1), defaultdict(lambda: sp.Integer(0))
        for f in e.args:
            m = _monomial(f)
            if m is None:
                return None
            coeff *= m[0]
            for p, k in m[1].items():
                exps[p] += k
        return coeff, dict(exps)
    if isinstance(e, sp.Pow) and e.exp.is_Rational:
        base = _monomial(e.base)
        if base is None:
            return None
        c, exps = base
        if c == 0:
            return None  # 0 to a power: a pole or zero, left to the evaluation
        if e.exp.q != 1 and c < 0:
            return None  # a fractional power of a negative number is not real
        return c**e.exp, {p: k * e.exp for p, k in exps.items()}
    return None


def _normal(m: Monomial) -> tuple[sp.Rational, tuple]:
    """The rational coefficient and the radical part (primes with exponents in [0, 1))."""
    coeff, exps = m
    radical = []
    for p, k in sorted(exps.items()):
        whole = k.p // k.q  # floor
        coeff *= sp.Integer(p) ** whole
        frac = k - whole
        if frac != 0:
            radical.append((p, frac))
    return coeff, tuple(radical)


def is_zero_radical_sum(v: sp.Basic) -> bool:
    """True when ``v`` is a sum of rational multiples of products of rational powers of positive
    rationals that cancels exactly; False when it does not cancel or is not of that form."""
    if not isinstance(v, sp.Basic) or not isinstance(v, sp.Add):
        return False
    totals: dict[tuple, sp.Rational] = defaultdict(lambda: sp.Integer(0))
    for term in v.args:
        m = _monomial(term)
        if m is None:
            return False
        coeff, radical = _normal(m)
        totals[radical] += coeff
    return all(c == 0 for c in totals.values())
