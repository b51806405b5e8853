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
    """Deterministic indexed data, e.g. ``x[i, j]`` for ``x_j^{(i)}``, with the domain of every entry.

    The domain has the fields of :class:`ScalarDecl` (open bounds, nonzero, nonnegative): ``positive``
    is ``low = 0``; without any, the entries are any reals. ``aliases``: the bases this data had before
    a later statement narrowed its domain (expressions read earlier still name them; they take the
    same values).
    """

    base: sp.IndexedBase
    indices: tuple[sp.Symbol, ...]
    centred_over: sp.Symbol | None = None  # index whose sums of entries vanish
    low: Fraction | None = None  # open lower bound of every entry, if any
    high: Fraction | None = None  # open upper bound of every entry, if any
    nonzero: bool = False
    nonnegative: bool = False
    aliases: tuple[sp.IndexedBase, ...] = ()

    @property
    def restricted(self) -> bool:
        """Whether the entries have a declared domain (not all of ℝ)."""
        return self.low is not None or self.high is not None or self.nonzero or self.nonnegative

    def contains(self, value: sp.Basic) -> bool:
        """Whether an exact value lies in the declared domain of the entries."""
        checks = [self.low is None or value > sp.Rational(self.low), self.high is None or value < sp.Rational(self.high),
                  not self.nonnegative or value >= 0, not self.nonzero or value != 0]
        return all(c is sp.true or c is True for c in checks)

    def domain_words(self) -> str:
        """The domain as a reader says it: ``> 0``, ``≥ 0``, ``≠ 0``, ``in (0, 1)``, or ``real``."""
        if self.high is not None:
            return f"in ({self.low}, {self.high})"
        if self.low is not None:
            return "> 0" if self.low == 0 else f"> {self.low}"
        return "≥ 0" if self.nonnegative else ("≠ 0" if self.nonzero else "real")


def entry_domain(name: str, *, positive: bool = False, nonnegative: bool = False, nonzero: bool = False,
                 interval: tuple[object, object] | None = None) -> dict:
    """The domain fields of :class:`DataDecl` (low, high, nonzero, nonnegative) and the SymPy assumptions
    of the entries, from the keywords of ``Context.scalar``: ``{"fields": {...}, "assumptions": {...}}``."""
    low = high = None
    if interval is not None:
        if not isinstance(interval, (tuple, list)) or len(interval) != 2:
            raise DeclarationError(f"data {name}: interval=(low, high) takes two numbers, got {interval!r}")
        low, high = (_bound(name, v) for v in interval)
        if not low < high:
            raise DeclarationError(f"data {name}: empty interval ({low}, {high}): the lower end must be below the upper")
    if positive or (nonnegative and nonzero):
        low = max(low, Fraction(0)) if low is not None else Fraction(0)
    if low is not None and high is not None and not low < high:
        raise DeclarationError(f"data {name}: positive entries below {high}: an empty domain")
    nonneg = nonnegative or (low is not None and low >= 0)
    nonz = nonzero or (low is not None and low >= 0) or (high is not None and high <= 0)
    assumptions: dict[str, bool] = {"real": True}
    if low is not None and low >= 0:
        assumptions["positive"] = True
    elif high is not None and high <= 0:
        assumptions["negative"] = True
    elif nonneg:
        assumptions["nonnegative"] = True
    elif nonz:
        assumptions["nonzero"] = True
    fields = {"low": low, "high": high, "nonzero": nonz, "nonnegative": nonneg}
    return {"fields": fields, "assumptions": assumptions}


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


def entry_stand_in(entry: sp.Basic, name: str = "entry") -> sp.Dummy:
    """A real symbol standing for a data, vector or matrix entry, with the sign the entry's declaration gives
    (a positive data entry stays positive when provers replace entries by symbols)."""
    for sign in ("positive", "negative", "nonnegative", "nonzero"):
        if getattr(entry, f"is_{sign}") is True:
            return sp.Dummy(name, real=True, **{sign: True})
    return sp.Dummy(name, real=True)
