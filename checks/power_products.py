"""Sums of products of powers with symbolic exponents, decided by adding exponents.

N^(α+β) = G^(α+β) (C/6)^β with N = G (C/6)^(β/(α+β)) is an identity because, written over
positive bases, every term is a coefficient times Π bᵢ^eᵢ and the exponents add up. SymPy's
``simplify`` gets there too, slowly (powsimp, factor_terms and gcd_terms on every subterm: half a
second for the Chinchilla optimum). This form does it directly:

- each term of the expanded sum is split into a rational coefficient and factors base^exponent;
- a base known to be positive is taken apart: (xy)^a = x^a y^a, (x^b)^a = x^(ab) and a rational
  number into its primes (6^a = 2^a 3^a), each valid for positive x, y and real a, b;
- every other factor (a base not known positive, a function) stays whole, compared as written;
- the exponents of each base are added and put in canonical rational form (``cancel``), and terms
  with the same factors are collected.

The difference is proved zero only when every collected coefficient is exactly 0; each rewrite
above is an identity under the stated conditions, so the proof is a symbolic argument. A nonzero
result proves nothing (bases such as 2 and 4 = 2² are multiplicatively related in ways a
different split would show), so it is not offered as a form.
"""

from __future__ import annotations

from collections import defaultdict

import sympy as sp

METHOD = "powers of positive bases combined (exponents added)"

Factors = dict[sp.Basic, sp.Expr]  # base -> total exponent


def _primes(q: sp.Rational, exponent: sp.Expr, into: Factors) -> None:
    """Add the positive rational q^exponent to ``into`` as powers of its primes."""
    for prime, k in sp.factorint(q.p).items():
        into[sp.Integer(prime)] += k * exponent
    for prime, k in sp.factorint(q.q).items():
        into[sp.Integer(prime)] -= k * exponent


def _split(base: sp.Expr, exponent: sp.Expr, into: Factors, opaque: list[sp.Basic]) -> None:
    """Add base^exponent to ``into``, a positive base taken apart, any other kept whole in ``opaque``."""
    if base.is_Rational and base.is_positive:
        _primes(base, exponent, into)
    elif base.is_positive and exponent.is_real:
        # (xy)^a = x^a y^a needs every factor positive; (x^b)^a = x^(ab) needs x > 0 and b real
        # ((x²)^(1/2) is |x|, not x); otherwise the positive base is kept whole
        if isinstance(base, sp.Mul) and all(part.is_positive for part in base.args):
            for part in base.args:
                _split(part, exponent, into, opaque)
        elif isinstance(base, sp.Pow) and base.base.is_positive and base.exp.is_real:
            _split(base.base, base.exp * exponent, into, opaque)
        elif isinstance(base, sp.exp) and base.args[0].is_real:
            into[sp.E] += base.args[0] * exponent
        else:
            into[base] += exponent
    else:
        opaque.append(base**exponent)


Term = tuple[int, Factors, tuple]  # sign, the exponent of each base, the factors kept whole


def _term(term: sp.Expr) -> Term | None:
    """One term of the sum as a :data:`Term` (its rational coefficient taken into primes); None
    when its coefficient is not a nonzero rational."""
    factors: Factors = defaultdict(lambda: sp.Integer(0))
    opaque: list[sp.Basic] = []
    coeff = sp.Integer(1)
    for f in sp.Mul.make_args(term):
        if f.is_Rational:
            coeff *= f
        elif isinstance(f, sp.Pow):
            _split(f.base, f.exp, factors, opaque)
        elif isinstance(f, sp.exp):
            factors[sp.E] += f.args[0]
        else:
            _split(f, sp.Integer(1), factors, opaque)
    if coeff == 0:
        return None
    _primes(abs(coeff), sp.Integer(1), factors)
    canonical = {b: sp.cancel(sp.together(sp.expand(e))) for b, e in factors.items()}
    powers = {b: e for b, e in canonical.items() if e != 0}
    return (1 if coeff > 0 else -1), powers, tuple(sorted(opaque, key=sp.default_sort_key))


def _ratio(a: Term, b: Term) -> sp.Rational | None:
    """a / b when it is a rational number: the same factors kept whole, the exponents of each prime
    differing by an integer and those of every other base equal; None otherwise."""
    if a[2] != b[2]:
        return None
    out = sp.Integer(a[0] * b[0])
    for base in set(a[1]) | set(b[1]):
        diff = sp.cancel(a[1].get(base, 0) - b[1].get(base, 0))
        if diff == 0:
            continue
        if not (diff.is_Integer and base.is_Integer and base.is_prime):
            return None
        out *= base**diff
    return out


def cancels(e: sp.Expr) -> bool:
    """Whether ``e`` (a scalar) is zero by the rule of the module docstring (False: not shown)."""
    if getattr(e, "is_Matrix", False) or e.has(sp.Sum, sp.Integral, sp.Derivative, sp.Indexed):
        return False
    if not any(isinstance(p, sp.Pow) and not p.exp.is_Number for p in sp.preorder_traversal(e)):
        return False  # nothing to add: the ordinary forms decide it
    groups: list[tuple[Term, sp.Rational]] = []  # (first term, sum of the terms / it)
    for term in sp.Add.make_args(sp.expand_mul(e)):
        split = _term(term)
        if split is None:
            return False
        for k, (first, total) in enumerate(groups):
            ratio = _ratio(split, first)
            if ratio is not None:
                groups[k] = (first, total + ratio)
                break
        else:
            groups.append((split, sp.Integer(1)))
    return all(total == 0 for _, total in groups)


def form(e: sp.Expr) -> sp.Expr:
    """0 when :func:`cancels` shows ``e`` is zero; raises ValueError otherwise (no form to offer)."""
    if cancels(e):
        return sp.Integer(0)
    raise ValueError("the powers do not cancel")
