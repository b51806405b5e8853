"""Exact E, Var and Cov of polynomials in i.i.d. random families: the public API.

``prove_equal_in_expectation`` decides lhs = rhs exactly for every size (splitting on free indices
that may name one variable), ``exact_value`` gives an expression's exact value, and ``side_form``
keeps each side's normal form so a chain computes it once. The term algebra behind them (sums,
pending expectations, inclusion–exclusion) is :mod:`derivcheck_steps.expectation_engine`.
Anything outside the engine's fragment raises ``Undecidable`` with the reason, which a step
reports as UNKNOWN.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import sympy as sp

from derivcheck_steps.context import Context
from derivcheck_steps.expectation_engine import Engine
from derivcheck_steps.joint_moments import correlated_law, has_joint_moments
from derivcheck_steps.sum_terms import FreeCoincidence, Term, Undecidable, normal_form, terms_to_expr

__all__ = ["Engine", "ExpectationProof", "FreeCoincidence", "Undecidable", "exact_value", "prove_equal_in_expectation"]


def exact_value(e: sp.Basic, ctx: Context) -> sp.Expr:
    """``e`` with every E, Var and Cov replaced by its exact value (as sums)."""
    engine = Engine(ctx)
    return terms_to_expr(engine.value(e))


@dataclass(frozen=True)
class ExpectationProof:
    """The outcome of comparing two sides exactly: ``residual`` = lhs − rhs in the case ``equal``/``apart``."""

    proved: bool
    residual: sp.Expr
    equal: tuple[tuple[sp.Basic, sp.Basic], ...] = ()  # index pairs identified in the failing case
    apart: frozenset[frozenset[sp.Basic]] = frozenset()  # index pairs distinct in the failing case
    cases: int = 1
    sides: tuple[sp.Expr, sp.Expr] | None = None  # exact values of lhs and rhs (sums) in the failing case
    law: str = ""  # the joint law the failing case assumes, where the declarations leave it open


def prove_equal_in_expectation(lhs: sp.Basic, rhs: sp.Basic, ctx: Context,
                               apart: frozenset[frozenset[sp.Basic]] = frozenset()) -> ExpectationProof:
    """Whether lhs = rhs exactly (for every size and every value of the free indices).

    When two free indices may or may not name the same random variable (E[m_j m_k] with j, k
    free), both cases are proved separately: the indices identified, and the indices distinct.
    The first failing case is returned with its residual and the condition it holds under.
    """
    known = {sp.KroneckerDelta(a, b, evaluate=False): sp.Integer(0) for pair in apart for a, b in (tuple(pair), tuple(pair)[::-1])}
    known |= {sp.KroneckerDelta(*pair): sp.Integer(0) for pair in map(tuple, apart)}
    lhs, rhs = lhs.xreplace(known), rhs.xreplace(known)
    delta = _free_delta(lhs, rhs)
    if delta is not None:
        return _split_cases(lhs, rhs, ctx, apart, *delta.args)
    try:
        left = side_form(lhs, ctx, apart)
    except FreeCoincidence as split:  # as computing the left side first always did
        return _split_cases(lhs, rhs, ctx, apart, split.u, split.v)
    try:
        right = side_form(rhs, ctx, apart)
    except Undecidable:  # as it always was: one engine for both sides, the right side's indices after the left's
        engine = Engine(ctx, apart)
        try:
            left, right = SideForm(engine.value(lhs), {}), SideForm(engine.value(rhs), {})
        except FreeCoincidence as split:
            return _split_cases(lhs, rhs, ctx, apart, split.u, split.v)
        nf = normal_form(left.terms + [Term(t.bound, -t.expr, t.distinct) for t in right.terms], ctx)
    else:
        nf = _difference(left.normal, right.normal)
    if not nf:
        return ExpectationProof(True, sp.Integer(0))
    engine = Engine(ctx, apart)
    residual = terms_to_expr([Term(t.bound, c * t.expr) for c, t in nf.values()])
    sides = (terms_to_expr(left.terms), terms_to_expr(right.terms))
    if has_joint_moments(residual):  # equal for some joint laws perhaps: refute only at one the declarations allow
        residual, law = correlated_law(residual, engine.family)
        if sp.simplify(residual) == 0:
            raise Undecidable("the sides agree only for some joint laws of variables not declared independent")
        sides = tuple(correlated_law(side, engine.family)[0] for side in sides)
        return ExpectationProof(False, residual, apart=apart, sides=sides, law=law)
    return ExpectationProof(False, residual, apart=apart, sides=sides)


@dataclass(frozen=True)
class SideForm:
    """One side's exact value: its terms, and their normal form (``derivcheck_steps.sum_terms.normal_form``)."""

    terms: list[Term]
    normal: dict[tuple, tuple[sp.Expr, Term]]


_SIDES: dict[tuple, tuple[Context, tuple, SideForm]] = {}
MAX_SIDES = 256  # sides kept (a chain's steps share them: each step's right side is the next one's left)


def _declarations(ctx: Context) -> tuple:
    """What the engine reads from a context: a side form is reused only while these are unchanged."""
    return (tuple(ctx.families.items()), tuple(ctx.data.items()), tuple(ctx.indices.items()),
            tuple(ctx.independent_groups), tuple(ctx.random_vectors))


def side_form(e: sp.Basic, ctx: Context, apart: frozenset[frozenset[sp.Basic]] = frozenset()) -> SideForm:
    """The exact value of ``e`` and its normal form, computed once per expression and context.

    The normal form is linear (a sum of canonical monomials), so the two sides of a step can be
    brought to it separately and compared; in a chain each step's right side is the next step's
    left side, which is then not computed again. Raises Undecidable (never kept) as the engine does.
    """
    key = (id(ctx), apart, e)
    hit = _SIDES.get(key)
    declared = _declarations(ctx)
    if hit is not None and hit[0] is ctx and hit[1] == declared:
        return hit[2]
    terms = Engine(ctx, apart).value(e)
    form = SideForm(terms, normal_form(terms, ctx))
    if len(_SIDES) >= MAX_SIDES:
        _SIDES.clear()
    _SIDES[key] = (ctx, declared, form)  # the context is kept alive with its id
    return form


def _difference(left: dict[tuple, tuple[sp.Expr, Term]], right: dict[tuple, tuple[sp.Expr, Term]]) -> dict:
    """The normal form of left − right from the two normal forms (the coefficients as normal_form gives them)."""
    out = {}
    for k in sorted(set(left) | set(right)):
        if k in left and k in right:
            (cl, term), (cr, _) = left[k], right[k]
            c = sp.Integer(0) if cl == cr else sp.factor(sp.cancel(cl - cr))
        elif k in left:
            c, term = left[k]
        else:
            cr, term = right[k]
            c = sp.factor(sp.cancel(-cr))
        if c != 0:
            out[k] = (c, term)
    return out


def _free_delta(*exprs: sp.Basic) -> sp.KroneckerDelta | None:
    """A Kronecker delta of free indices (not bound by a sum), to split on."""
    for e in exprs:
        bound = {lim[0] for s in e.atoms(sp.Sum) for lim in s.limits}
        for d in sorted(e.atoms(sp.KroneckerDelta), key=str):
            if not (d.free_symbols & bound):
                return d
    return None


def _split_cases(lhs: sp.Basic, rhs: sp.Basic, ctx: Context, apart: frozenset[frozenset[sp.Basic]],
                 a: sp.Basic, b: sp.Basic) -> ExpectationProof:
    """Prove lhs = rhs separately when a = b and when a ≠ b."""
    u, v = (b, a) if isinstance(b, sp.Symbol) else (a, b)  # u ↦ v in the case a = b
    if not isinstance(u, sp.Symbol) or not (lhs.has(u) or rhs.has(u)):
        raise Undecidable(f"cannot split the case {a} = {b}: neither is a free index of the step")
    moved = frozenset(frozenset(x.xreplace({u: v}) for x in pair) for pair in apart)
    if any(len(pair) == 1 for pair in moved):
        same = ExpectationProof(True, sp.Integer(0), cases=0)  # u = v contradicts an assumed u ≠ v
    else:
        same = prove_equal_in_expectation(lhs.xreplace({u: v}), rhs.xreplace({u: v}), ctx, moved)
    if not same.proved:
        return replace(same, equal=((u, v), *same.equal))
    other = prove_equal_in_expectation(lhs, rhs, ctx, apart | {frozenset((u, v))})
    if not other.proved:
        return other
    return ExpectationProof(True, sp.Integer(0), cases=same.cases + other.cases)
