"""Decide whether a rational function of plain scalar symbols is identically zero, with python-flint.

A fast path before SymPy's canonical forms: a scalar expression built only from symbols,
rational numbers, sums, products and integer powers is a rational function; it is converted to
a numerator and a denominator in flint's exact multivariate polynomials over Q (``fmpq_mpoly``),
and it is identically zero exactly when its numerator is the zero polynomial. The answer is
exact: True is a symbolic proof (exact polynomial arithmetic), False means the difference is a
nonzero rational function, so no canonical form can make it zero and SymPy's slow forms (and
``simplify``) are pointless. Anything else (floats, π, functions, sums with an index, matrices,
indexed entries, symbolic exponents) gives None: out of scope, SymPy decides. Without
python-flint installed every answer is None.
"""

from __future__ import annotations

import math

import sympy as sp

try:  # an optional accelerator: without it derivcheck behaves exactly as before
    import flint
except ImportError:  # pragma: no cover - depends on the environment
    flint = None

METHOD = "exact polynomial arithmetic (python-flint)"
MAX_EXPONENT = 64  # a larger power would make the exact polynomials explode: leave it to SymPy
MAX_TERMS = 20_000  # likewise for the number of terms of an intermediate polynomial
MAX_PRODUCT = 1_000_000  # and for the term pairs of one product


class _OutOfScope(Exception):
    """The expression is not a rational function of plain symbols (or too large to expand)."""


def available() -> bool:
    """Whether python-flint can be imported."""
    return flint is not None


def decide_zero(e: sp.Basic) -> bool | None:
    """True if ``e`` is identically zero, False if certainly not, None if out of scope."""
    decided = decide(e)
    return None if decided is None else decided[0]


def decide(e: sp.Basic) -> tuple[bool, sp.Expr] | None:
    """(whether ``e`` is identically zero, its reduced form numerator/denominator), or None if out of scope."""
    if flint is None or not isinstance(e, sp.Expr) or getattr(e, "is_Matrix", False):
        return None
    symbols = sorted(e.free_symbols, key=sp.default_sort_key)
    if not all(type(s) in (sp.Symbol, sp.Dummy) and s.is_commutative for s in symbols):
        return None
    names = tuple(f"v{k}" for k in range(len(symbols))) or ("v0",)  # flint's names need not be SymPy's
    ctx = flint.fmpq_mpoly_ctx.get(names, "lex")
    gens = dict(zip(symbols, ctx.gens(), strict=False))
    try:
        num, den = _convert(e, ctx, gens)
    except _OutOfScope:
        return None
    if num == 0:
        return True, sp.Integer(0)
    g = num.gcd(den)  # the reduced fraction is what ``cancel`` would show as the residual
    return False, _to_sympy(num / g, symbols) / _to_sympy(den / g, symbols)


def _to_sympy(p, symbols: list) -> sp.Expr:  # noqa: ANN001 - a flint polynomial
    terms = []
    for exps, coeff in p.to_dict().items():
        c = sp.Rational(int(coeff.p), int(coeff.q))
        terms.append(sp.Mul(c, *(s**k for s, k in zip(symbols, exps, strict=False) if k)))
    return sp.Add(*terms)


def _convert(e: sp.Basic, ctx, gens: dict) -> tuple:  # noqa: ANN001 - flint types, imported optionally
    """(numerator, denominator) of ``e`` as flint polynomials; the denominator is never zero."""
    if isinstance(e, sp.Rational):  # Integer included
        return ctx.constant(flint.fmpq(int(e.p), int(e.q))), ctx.constant(1)
    if e in gens:
        return gens[e], ctx.constant(1)
    if isinstance(e, sp.Add):
        num, den = _convert(e.args[0], ctx, gens)
        for arg in e.args[1:]:
            n2, d2 = _convert(arg, ctx, gens)
            if d2 == den:  # the common case of polynomial terms: no cross-multiplication
                num = num + n2
            else:
                g = den.gcd(d2)  # the lcm as common denominator keeps the sizes down
                num, den = num * (d2 / g) + n2 * (den / g), den * (d2 / g)
            _guard(num, den)
        return num, den
    if isinstance(e, sp.Mul):
        num, den = ctx.constant(1), ctx.constant(1)
        for arg in e.args:
            n2, d2 = _convert(arg, ctx, gens)
            if len(num) * len(n2) > MAX_PRODUCT or len(den) * len(d2) > MAX_PRODUCT:
                raise _OutOfScope  # checked before multiplying: the product itself could take long
            num, den = num * n2, den * d2
            _guard(num, den)
        return num, den
    if isinstance(e, sp.Pow) and isinstance(e.exp, sp.Integer) and abs(int(e.exp)) <= MAX_EXPONENT:
        num, den = _convert(e.base, ctx, gens)
        k = int(e.exp)
        if k < 0:
            if num == 0:
                raise _OutOfScope  # 1/0: not a rational function
            num, den, k = den, num, -k
        if _power_terms(len(num), k) > MAX_TERMS or _power_terms(len(den), k) > MAX_TERMS:
            raise _OutOfScope  # (x₁ + … + x₁₀)^64 has ~10^11 terms: refuse before expanding
        num, den = num**k, den**k
        _guard(num, den)
        return num, den
    raise _OutOfScope


def _power_terms(terms: int, k: int) -> int:
    """An upper bound on the number of terms of a ``terms``-term polynomial to the power ``k``."""
    return math.comb(k + terms - 1, terms - 1) if terms > 1 else 1


def _guard(num, den) -> None:  # noqa: ANN001 - flint polynomials
    if len(num) > MAX_TERMS or len(den) > MAX_TERMS:
        raise _OutOfScope
