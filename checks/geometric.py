"""Geometric sums with a symbolic number of terms, in closed form.

Σ_{k=a}^{b} C·r^k = C·(r^{b+1} − r^a)/(r − 1) for r ≠ 1 and b ≥ a − 1 (the empty-sum convention:
with b = a − 1 both sides are 0). A term of the summand is geometric in k when it is a product of
k-free factors and powers ``base^(α·k + γ)`` with a k-free base; ``base^(α·k + γ) = base^γ·(base^α)^k``
holds for a positive base, for integer α, γ and a nonzero base, or for integer α and γ = 0. So shifted and reversed indices
(Σ_{k=1}^{t} β^{t−k}), constant factors and sums of several geometric terms are all covered.

The closed form says nothing where r = 1, a point where the sum is simply its number of terms. A
proof through it therefore needs r ≠ 1 from the context (0 < β < 1), or a separate check of every
real point where r = 1: when r depends on one declared scalar s through a polynomial equation
r(s) = 1 whose roots are all found, the difference is evaluated exactly at each root (the sums
then count terms). Otherwise the condition is a gap of the proof, named in its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sympy as sp

from derivcheck_steps import domains
from derivcheck_steps.context import Context
from derivcheck_steps.sums import _count_sign

METHOD = "geometric sums in closed form, Σ_{k=a}^{b} r^k = (r^{b+1} − r^a)/(r − 1)"


@dataclass
class ClosedForms:
    """An expression with its geometric sums replaced, and the ratios r whose r ≠ 1 the rewrite used."""

    expr: sp.Basic
    ratios: list[sp.Expr] = field(default_factory=list)
    changed: bool = False


def _split_power(f: sp.Expr, k: sp.Symbol, ctx: Context) -> tuple[sp.Expr, sp.Expr] | None:
    """``f = base^(α·k + γ)`` as (base^γ, base^α) when the split is an identity; None otherwise."""
    base, ex = f.as_base_exp()
    if k in base.free_symbols:
        return None
    ex = sp.expand(ex)
    alpha = sp.diff(ex, k)
    if k in alpha.free_symbols or alpha == 0:
        return None
    gamma = sp.expand(ex - alpha * k)
    if gamma == 0 and alpha.is_integer:  # (base^α)^k = base^(αk) for integers α, k
        return sp.Integer(1), base**alpha
    if domains.holds_by_context(domains.Condition("positive", base), ctx):
        return base**gamma, base**alpha
    if alpha.is_integer and gamma.is_integer and domains.holds_by_context(domains.Condition("nonzero", base), ctx):
        return base**gamma, base**alpha
    return None


def _geometric_term(term: sp.Expr, k: sp.Symbol, ctx: Context) -> tuple[sp.Expr, sp.Expr] | None:
    """``term = C·r^k`` as (C, r), r possibly 1 (a k-free term); None if the term is not geometric in k."""
    const, moving = term.as_independent(k, as_Add=False)
    coeff, ratio = const, sp.Integer(1)
    for f in sp.Mul.make_args(moving):
        if k not in f.free_symbols:
            coeff *= f
            continue
        split = _split_power(f, k, ctx)
        if split is None:
            return None
        coeff, ratio = coeff * split[0], ratio * split[1]
    return coeff, ratio


def _close(s: sp.Sum, ctx: Context, ratios: list[sp.Expr]) -> sp.Basic | None:
    if len(s.limits) != 1:
        return None
    k, lo, hi = s.limits[0]
    if _count_sign(sp.expand(hi - lo + 1), []) != "nonnegative":
        return None  # a possibly reversed range: SymPy's and the empty-sum conventions may differ
    closed, kept, used = sp.Integer(0), [], []
    for term in sp.Add.make_args(sp.expand(s.function)):
        geo = _geometric_term(term, k, ctx)
        if geo is None:
            kept.append(term)
            continue
        coeff, r = geo
        if r == 1:
            closed += coeff * (hi - lo + 1)
            continue
        closed += coeff * (r ** (hi + 1) - r**lo) / (r - 1)
        used.append(r)
    if not used:
        return None
    ratios.extend(r for r in used if r not in ratios)
    return closed + (sp.Sum(sp.Add(*kept), (k, lo, hi)) if kept else 0)


def closed_forms(e: sp.Basic, ctx: Context) -> ClosedForms:
    """``e`` with every geometric sum (single index, known nonnegative number of terms) in closed form."""
    ratios: list[sp.Expr] = []

    def visit(node: sp.Basic) -> sp.Basic:
        if not node.args or not node.has(sp.Sum):
            return node
        node = node.func(*(visit(a) for a in node.args))
        if isinstance(node, sp.Sum):
            closed = _close(node, ctx, ratios)
            if closed is not None:
                return closed
        return node

    out = visit(e)
    return ClosedForms(out, ratios, out != e)


def _degenerate_points(r: sp.Expr, ctx: Context) -> list[tuple[sp.Symbol, sp.Expr]] | None:
    """Every real point (s, value) of one declared scalar s where r = 1, or None if they cannot all be listed."""
    syms = [s for s in r.free_symbols if s in ctx.scalars]
    if len(syms) != 1 or r.free_symbols != {syms[0]}:
        return None
    s = syms[0]
    num, _den = sp.fraction(sp.together(r - 1))
    try:
        poly = sp.Poly(sp.expand(num), s)
    except sp.polys.polyerrors.PolynomialError:
        return None
    if poly.degree() < 1:
        return None
    roots = sp.roots(poly)
    if sum(roots.values()) != poly.degree():
        return None
    return [(s, root) for root in roots if root.is_real is not False]


def settle_ratios(
    e: sp.Basic, ratios: list[sp.Expr], ctx: Context, is_zero: Callable[[sp.Basic], bool]
) -> tuple[list[str], list[str]]:
    """For each ratio r: how r ≠ 1 is settled (the context, or ``e = 0`` checked where r = 1), and the gaps left."""
    settled, gaps = [], []
    for r in ratios:
        if domains.holds_by_context(domains.Condition("nonzero", r - 1), ctx):
            settled.append(f"{r} ≠ 1 by the context")
            continue
        points = _degenerate_points(r, ctx)
        if points is not None and all(_zero_at(e, s, v, is_zero) for s, v in points):
            where = ", ".join(f"{s} = {v}" for s, v in points) or "no real point"
            settled.append(f"{r} = 1 only at {where}, where the difference is 0 too")
            continue
        gaps.append(f"{r} ≠ 1")
    return settled, gaps


def _zero_at(e: sp.Basic, s: sp.Symbol, value: sp.Expr, is_zero: Callable[[sp.Basic], bool]) -> bool:
    at = e.xreplace({s: value})
    if at.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return False
    return is_zero(at)
