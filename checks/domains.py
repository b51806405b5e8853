"""Where an equation is defined, and whether cancelling or dividing by a factor changed its meaning.

An equation ``L = R`` over the reals holds at a point only where both sides are defined: every
denominator nonzero, every logarithm's argument positive, every fractional power's base
nonnegative. A proof that writes one equation's ``lhs − rhs`` as ``r ·`` the other's is an
identity of rational functions: it says nothing where a denominator of either equation (or of
``r``) vanishes. ``cancelled_factor_gaps`` names those places and, for each one, either proves
that the premise is false (or undefined) there, so the step is unaffected, or reports the
condition the context must supply (``x − 1 ≠ 0``).

Example: ``(x² − 1)/(x − 1) = 2 ⇔ x = 1`` has ratio 1, but the left equation is undefined at
x = 1 where the right one holds: the gap "x − 1 = 0" is reported and the step is not proved.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from derivcheck_steps.context import Context
from derivcheck_steps.declared import entry_stand_in
from derivcheck_steps.sums import _count_sign


@dataclass(frozen=True)
class Condition:
    """A requirement for an expression to be defined: ``expr`` nonzero, positive or nonnegative."""

    kind: str  # "nonzero", "positive" or "nonnegative"
    expr: sp.Expr

    def __str__(self) -> str:
        return {"nonzero": f"{self.expr} ≠ 0", "positive": f"{self.expr} > 0",
                "nonnegative": f"{self.expr} ≥ 0"}[self.kind]


def _factors(e: sp.Expr) -> list[sp.Expr]:
    """The non-constant irreducible factors of ``e``, each with a canonical sign."""
    if not e.free_symbols:
        return []
    try:
        _, factors = sp.factor_list(sp.together(e))
    except sp.polys.polyerrors.PolynomialError:
        return [e]
    out = []
    for f, _mult in factors:
        if f.free_symbols:
            out.append(f)
    return out


def conditions(e: sp.Basic) -> set[Condition]:
    """Every requirement for ``e`` to be a defined real number, from its written form."""
    return set(_conditions(e))


@lru_cache(maxsize=1024)
def _conditions(e: sp.Basic) -> frozenset[Condition]:
    """``conditions``, remembered: a step asks for the same equation's conditions several times."""
    out: set[Condition] = set()
    for node in sp.preorder_traversal(e):
        if isinstance(node, sp.Pow) and node.exp.is_number:
            if not node.exp.is_integer:
                kind = "positive" if node.exp.is_negative else "nonnegative"
                out.add(Condition(kind, node.base))
            elif node.exp.is_negative:
                out |= {Condition("nonzero", f) for f in _factors(node.base)}
        elif isinstance(node, sp.Pow) and node.exp.free_symbols:
            out.add(Condition("positive", node.base))
        elif isinstance(node, sp.log):
            out.add(Condition("positive", node.args[0]))
        elif isinstance(node, sp.tan):
            out.add(Condition("nonzero", sp.cos(node.args[0])))
        elif isinstance(node, sp.cot):
            out.add(Condition("nonzero", sp.sin(node.args[0])))
    return frozenset(out)


def holds_by_context(c: Condition, ctx: Context) -> bool:
    """Whether the declared assumptions and facts give the condition."""
    e = _signed_sums(ctx.with_facts(c.expr), ctx)  # facts first: an assumed fact may name data entries
    e = e.xreplace({a: entry_stand_in(a) for a in e.atoms(sp.Indexed, MatrixElement)})  # data are real (signed if declared)
    forms = (e, sp.factor(e))
    if c.kind == "nonzero":
        return any(f.is_nonzero or f.is_positive or f.is_negative for f in forms) or _power_minus_one(c.expr, ctx)
    if c.kind == "positive":
        return any(f.is_positive for f in forms)
    return any(f.is_nonnegative for f in forms)


def _signed_sums(e: sp.Expr, ctx: Context) -> sp.Expr:
    """``e`` with each sum of positive (nonnegative) terms over a range known nonempty (any range)
    replaced by a positive (nonnegative) symbol, so that log Σ_j e^{z_j} is seen to be defined.

    Declared data, vector and matrix entries are real; the sign of a summand is SymPy's, with the
    entries as real symbols and the context's facts.
    """
    if not e.has(sp.Sum):
        return e

    swap = {}
    for s in e.atoms(sp.Sum):
        if len(s.limits) != 1:
            continue
        body = s.function
        entries = {a: entry_stand_in(a) for a in body.atoms(sp.Indexed, MatrixElement)}
        body = ctx.with_facts(body.xreplace(entries))
        var, lo, hi = s.limits[0]
        if body.is_positive and _count_sign(sp.expand(hi - lo), []) == "nonnegative":
            swap[s] = sp.Dummy("sum", positive=True)
        elif body.is_nonnegative:
            swap[s] = sp.Dummy("sum", nonnegative=True)
    return e.xreplace(swap) if swap else e


def _power_minus_one(e: sp.Expr, ctx: Context) -> bool:
    """Whether ``e = c·(b^x − 1)`` (c a nonzero number) with b > 0, b ≠ 1 and x ≠ 0 by the context.

    For b > 0, b^x = 1 exactly when x·ln b = 0, i.e. x = 0 or b = 1: so 1 − β^t ≠ 0 for 0 < β < 1
    and t ≥ 1 (the denominator of a bias correction), which SymPy's assumptions do not see.
    """
    terms = sp.Add.make_args(sp.expand(e))
    if len(terms) != 2:
        return False
    num = [t for t in terms if t.is_number]
    power = [t for t in terms if not t.is_number]
    if len(num) != 1 or len(power) != 1 or num[0] == 0:
        return False
    coeff, p = power[0].as_coeff_Mul()
    if coeff != -num[0] or not isinstance(p, sp.Pow) or p.exp.is_number:
        return False
    b, x = p.base, p.exp
    return (holds_by_context(Condition("positive", b), ctx) and holds_by_context(Condition("nonzero", b - 1), ctx)
            and holds_by_context(Condition("nonzero", x), ctx))


def false_or_undefined_where_zero(q: sp.Expr, d: sp.Expr, ctx: Context) -> bool:
    """Whether the equation ``d = 0`` is false or undefined at every real point where ``q = 0``.

    Solves ``q = 0`` for one declared scalar in which ``q`` is a polynomial with a nonzero leading
    coefficient (so the roots found are all of them), and checks ``d`` at each real root.
    """
    for var in sorted(q.free_symbols, key=str):
        if var not in ctx.scalars:
            continue
        try:
            poly = sp.Poly(q, var)
        except sp.polys.polyerrors.PolynomialError:
            continue
        if poly.degree() < 1 or not holds_by_context(Condition("nonzero", poly.LC()), ctx):
            continue
        roots = sp.roots(poly)
        if sum(roots.values()) != poly.degree():
            continue  # not every root in radicals: the check would be incomplete
        if all(_false_or_undefined(d, var, root, ctx) for root in roots):
            return True
    return False


def _false_or_undefined(d: sp.Expr, var: sp.Symbol, root: sp.Expr, ctx: Context) -> bool:
    if root.is_real is False:
        return True  # var is real: no such point
    value = d.subs(var, root)
    if value.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return True
    value = sp.simplify(value)
    return value.has(sp.nan, sp.zoo) or holds_by_context(Condition("nonzero", value), ctx)


def _shared(c: Condition, others: set[Condition]) -> bool:
    return c in others or (c.kind == "nonzero" and Condition("nonzero", -c.expr) in others)


def gaps(premise: sp.Expr, conclusion: sp.Expr, conclusion_conds: set[Condition], premise_conds: set[Condition],
         extra: list[sp.Expr], ctx: Context) -> list[str]:
    """Places where "premise = 0 ⇒ conclusion = 0" is not covered by a rational identity.

    ``conclusion_conds`` (the conclusion's own requirements) and ``extra`` (factors of the
    ratio's denominator) must each hold wherever the premise holds: given by the context, shared
    with the premise (then the premise is undefined there too), or shown to make the premise
    false or undefined where they fail. Returns a description of each gap; empty if none.
    """
    needed = {c for c in conclusion_conds if not _shared(c, premise_conds)}
    needed |= {Condition("nonzero", f) for g in extra for f in _factors(g)}
    out = []
    for c in sorted(needed, key=lambda c: sp.default_sort_key(c.expr)):
        if holds_by_context(c, ctx) or _shared(c, premise_conds):
            continue
        if c.kind == "nonzero" and false_or_undefined_where_zero(c.expr, premise, ctx):
            continue
        out.append(str(c))
    return out
