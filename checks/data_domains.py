"""Domains of indexed data: σ_j > 0, w_i ≥ 0, p_i ∈ (0, 1) for every entry.

Declared with ``ctx.indexed("sigma", j, positive=True)`` (``% derivcheck: data \\sigma j positive``,
or stated by the text: "$\\sigma_j > 0$ for all $j$"). Three parts follow the declaration, so that
numeric evidence covers what it allows and no more:

- provers: the data's ``IndexedBase`` carries the sign as a SymPy assumption, so every entry
  ``σ[j]`` (inside sums too) is positive: √(σ_j²) = σ_j, log σ_j² = 2 log σ_j and σ_j ≠ 0 follow;
  an entry in an interval a < p_j < b is, for sign questions (:meth:`Context.with_facts`),
  a + (b − a)·u_j/(1 + u_j) with u_j > 0, so 1 − p_j > 0 follows for 0 < p_j < 1;
- samplers: every entry is drawn inside the domain (:func:`draw_entries`), and an instance with an
  entry outside it (a constraint moved it) is never used (:func:`entries_in_domain`);
- a statement after the declaration narrows it (:func:`restricted`): the data gets a new base with
  the narrower assumptions, and the old base (still named by expressions read earlier) becomes an
  alias taking the same values.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp

from derivcheck_steps.context import Context
from derivcheck_steps.declared import DataDecl, entry_domain
from derivcheck_steps.errors import DeclarationError

_SIMPLE_POSITIVE = (1, 2, 3, Fraction(1, 2), Fraction(1, 3))
_SIMPLE_NONNEGATIVE = (0, 1, 2, Fraction(1, 2), 3)  # zero is in the domain: meet it
_SIMPLE_NONZERO = (1, 2, 3, Fraction(1, 2))


def _fields(decl: DataDecl) -> dict:
    return {"low": decl.low, "high": decl.high, "nonzero": decl.nonzero, "nonnegative": decl.nonnegative}


def restricted(
    ctx: Context,
    base: sp.IndexedBase,
    *,
    positive: bool = False,
    nonnegative: bool = False,
    nonzero: bool = False,
    interval: tuple[object, object] | None = None,
) -> sp.IndexedBase:
    """``ctx.restrict_data``: the data's domain intersected with the stated one; returns the (new) base."""
    decl = ctx.data.get(base)
    if decl is None:
        raise DeclarationError(f"{base} is not declared data")
    name = str(base)
    stated = entry_domain(name, positive=positive, nonnegative=nonnegative, nonzero=nonzero, interval=interval)["fields"]
    old = _fields(decl)
    lows = [v for v in (old["low"], stated["low"]) if v is not None]
    highs = [v for v in (old["high"], stated["high"]) if v is not None]
    low, high = (max(lows) if lows else None), (min(highs) if highs else None)
    nonneg, nonz = old["nonnegative"] or stated["nonnegative"], old["nonzero"] or stated["nonzero"]
    if low is not None and high is not None and not low < high:
        raise DeclarationError(f"data {name}: entries {decl.domain_words()} cannot also be in ({low}, {high})")
    if low is not None and high is not None:
        domain = entry_domain(name, interval=(low, high), nonnegative=nonneg, nonzero=nonz)
    else:
        domain = entry_domain(name, positive=low is not None, nonnegative=nonneg, nonzero=nonz)
    if domain["fields"] == old:
        return base  # said before
    if decl.centred_over is not None:
        words = DataDecl(base, (), **domain["fields"]).domain_words()
        raise DeclarationError(f"data {name} is centred: its entries cannot also be {words}")
    if any(c.target == base for c in ctx.constraints):
        raise DeclarationError(f"data {name} has a constraint: declare its domain on its data line")
    new = sp.IndexedBase(name, **domain["assumptions"])
    ctx.data = {(new if k == base else k): v for k, v in ctx.data.items()}
    ctx.data[new] = DataDecl(new, decl.indices, None, **domain["fields"], aliases=(*decl.aliases, base))
    if base in ctx.latex_names:
        ctx.latex_names[new] = ctx.latex_names.pop(base)
    return new


def bounded_entries(e: sp.Basic, ctx: Context) -> sp.Basic:
    """``e`` with every entry of data in an interval a < p < b written a + (b − a)·u/(1 + u), u > 0 (for signs)."""
    swap = {}
    entries = e.atoms(sp.Indexed)
    for decl in ctx.data.values():
        if decl.low is None or decl.high is None:
            continue
        bases = (decl.base, *decl.aliases)
        u = sp.IndexedBase(f"_u_{decl.base}", positive=True)
        low, span = sp.Rational(decl.low), sp.Rational(decl.high - decl.low)
        for a in entries:
            if a.base in bases:
                v = u[a.indices]
                swap[a] = low + span * v / (1 + v)
    return e.xreplace(swap) if swap else e


def entries_in_domain(ctx: Context, exact: dict) -> bool:
    """Whether every drawn entry of data with a declared domain lies in it."""
    for base, decl in ctx.data.items():
        if not decl.restricted or base not in exact:
            continue
        if not all(decl.contains(v) for v in np.asarray(exact[base], dtype=object).reshape(-1)):
            return False
    return True


def _entry(decl: DataDecl, rng: np.random.Generator, simple: bool, denominator: int) -> Fraction:
    if decl.high is not None:
        low = decl.low if decl.low is not None else decl.high - 4
        f = Fraction(int(rng.integers(1, 4)), 4) if simple else Fraction(int(rng.integers(1, 2 * denominator)), 2 * denominator)
        return low + (decl.high - low) * f
    if simple:
        pool = _SIMPLE_POSITIVE if decl.low is not None else (_SIMPLE_NONNEGATIVE if decl.nonnegative else _SIMPLE_NONZERO)
        value = Fraction(pool[int(rng.integers(len(pool)))])
    elif decl.nonnegative and decl.low is None and rng.random() < 0.125:
        value = Fraction(0)
    else:
        value = Fraction(int(rng.integers(1, 3 * denominator + 1)), denominator)
    if decl.low is not None:
        return decl.low + value
    if not decl.nonnegative and rng.random() < 0.5:  # nonzero: both signs
        return -value
    return value


def draw_entries(
    decl: DataDecl, shape: tuple[int, ...], rng: np.random.Generator, simple: bool, denominator: int = 16
) -> np.ndarray:
    """Exact entries of data with a declared domain, each drawn inside it (small ones when ``simple``)."""
    out = np.empty(shape, dtype=object)
    for k in np.ndindex(*shape):
        v = _entry(decl, rng, simple, denominator)
        out[k] = sp.Rational(v.numerator, v.denominator)
    return out
