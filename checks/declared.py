"""The records of a Context's declarations: a scalar's domain, an index range, indexed data, facts.

Split from :mod:`derivcheck_steps.context` (which re-exports them): plain frozen data, no logic beyond
checking an interval end.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from derivcheck_steps.errors import DeclarationError
from derivcheck_steps.quoting import quoted


def _bound(name: str, value: object) -> Fraction:
    """An interval end as an exact fraction; DeclarationError unless it is a finite number."""
    try:
        if isinstance(value, sp.Basic):
            if not (value.is_number and value.is_finite and value.is_real):
                raise ValueError
            exact = sp.nsimplify(value) if isinstance(value, sp.Float) else value
            if not isinstance(exact, sp.Rational):
                raise ValueError
            return Fraction(int(exact.p), int(exact.q))
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError
        if isinstance(value, bool):
            raise ValueError
        if isinstance(value, float):
            return Fraction(str(value))
        if isinstance(value, int | str | Fraction):
            return Fraction(value)
        raise TypeError(type(value).__name__)
    except (ValueError, TypeError, ZeroDivisionError, ArithmeticError):
        raise DeclarationError(
            f"scalar {name}: interval end {quoted(value)} is not a finite number; both ends of an interval must be "
            "finite numbers such as 0, 1/2 or 2.5, the lower first (a half-line is 'positive' or 'nonnegative')"
        ) from None


@dataclass(frozen=True)
class ScalarDecl:
    """A scalar symbol with its declared domain."""

    symbol: sp.Symbol
    low: Fraction | None = None  # open lower bound, if any
    high: Fraction | None = None  # open upper bound, if any
    nonzero: bool = False
    nonnegative: bool = False
    integer: bool = False  # drawn from the integers of its domain (a count: y! is defined)


@dataclass(frozen=True)
class IndexDecl:
    """A summation index ranging over ``1..upper``."""

    symbol: sp.Symbol
    upper: sp.Expr


@dataclass(frozen=True)
class DataDecl:
    """Deterministic indexed data, e.g. ``x[i, j]`` for ``x_j^{(i)}``."""

    base: sp.IndexedBase
    indices: tuple[sp.Symbol, ...]
    centred_over: sp.Symbol | None = None  # index whose sums of entries vanish


@dataclass(frozen=True)
class Invertible:
    """A declared invertibility fact and the reason it holds."""

    matrix: sp.Expr
    because: str


@dataclass(frozen=True)
class Fact:
    """A declared fact about an expression (``expr != 0`` or ``expr > 0``) and why it holds."""

    expr: sp.Expr
    kind: str  # "nonzero" or "positive"
    because: str
    stand_in: sp.Symbol  # a symbol with the same property, substituted for expr by provers
