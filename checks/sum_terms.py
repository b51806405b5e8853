"""Terms under sums with symbolic bounds, and the normal form that decides their equality.

A ``Term`` is a monomial summed over bound indices (each 1..upper; an upper bound may name an
enclosing index, as in the triangular Σ_{j=1}^{n} Σ_{k=1}^{j}). The normal form sums out what can
be summed in closed form (an unused index contributes its range size; a polynomial in an index
is summed by Faulhaber's formulas, valid because every upper bound is ≥ 0, the empty-sum
convention), drops sums of centred data over the whole declared range, and renames the remaining
bound indices canonically, so that two expressions are equal for every size exactly when their
normal forms are.
"""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict
from dataclasses import dataclass, field

import sympy as sp

from derivcheck_steps.context import Context


class Undecidable(Exception):
    """The expression is outside what the exact engine handles."""


class FreeCoincidence(Undecidable):
    """Two free indices (or a free index and a number) may or may not name the same random variable."""

    def __init__(self, u: sp.Basic, v: sp.Basic, message: str) -> None:
        super().__init__(message)
        self.u, self.v = u, v


@dataclass(frozen=True)
class Term:
    """``expr`` summed over ``bound`` ((index, upper) pairs), with indices pairwise distinct per ``distinct``."""

    bound: tuple[tuple[sp.Symbol, sp.Expr], ...]
    expr: sp.Expr
    distinct: frozenset[frozenset[sp.Symbol]] = field(default_factory=frozenset)

    def times(self, other: Term) -> Term:
        return Term(self.bound + other.bound, self.expr * other.expr, self.distinct | other.distinct)



def _centred_zero(body: sp.Expr, index: sp.Symbol, upper: sp.Expr, ctx: Context) -> bool:
    """A monomial in which ``index`` appears once, in a centred data entry at its centred position.

    Centring says Σ_{i=1}^{N} x^{(i)} = 0 over the whole declared range of i: a sum over any other
    range (1..N−1) does not vanish.
    """
    factors = [f for f in sp.Mul.make_args(body) if index in f.free_symbols]
    if len(factors) != 1 or not isinstance(factors[0], sp.Indexed):
        return False
    f = factors[0]
    decl = ctx.data.get(f.base)
    if decl is None or decl.centred_over is None:
        return False
    pos = decl.indices.index(decl.centred_over)
    if upper != ctx.range_of(decl.centred_over):
        return False
    return f.indices[pos] == index and sum(i == index for i in f.indices) == 1


def _sum_out(body: sp.Expr, b: sp.Symbol, up: sp.Expr) -> sp.Expr | None:
    """Σ_{b=1}^{up} of the factors of ``body`` that depend on b, in closed form, when they are a
    polynomial in b (no data or random entry indexed by b); None otherwise. up ≥ 0 here, so
    SymPy's closed form is the empty-sum one."""
    part = sp.Mul(*[f for f in sp.Mul.make_args(body) if b in f.free_symbols])
    if any(b in a.free_symbols for a in part.atoms(sp.Indexed)) or not part.is_polynomial(b):
        return None
    rest = sp.Mul(*[f for f in sp.Mul.make_args(body) if b not in f.free_symbols])
    return rest * sp.expand(sp.summation(part, (b, 1, up)))


def _reduce(mono: sp.Expr, bound: list[tuple[sp.Symbol, sp.Expr]]) -> tuple[sp.Expr, sp.Expr, list]:
    """A monomial under sums as (coefficient, body, the sums still needed), innermost sums first:
    a sum whose index the body does not use becomes a factor (its size, which may depend on an
    enclosing index of a triangular sum); a polynomial in the index is summed in closed form."""
    body, bound = mono, list(bound)
    for b, up in reversed(list(bound)):
        later = [x for x, u in bound if x != b and b in u.free_symbols]
        if later:
            continue  # an inner sum's bound still names b
        if b not in body.free_symbols:
            body *= up
            bound.remove((b, up))
            continue
        closed = _sum_out(body, b, up)
        if closed is not None:
            body = closed
            bound.remove((b, up))
    names = {b for b, _ in bound}
    coeff = sp.Mul(*[f for f in sp.Mul.make_args(body) if not (f.free_symbols & names)])
    body = sp.Mul(*[f for f in sp.Mul.make_args(body) if f.free_symbols & names])
    return coeff, body, bound


def _monomials(mono: sp.Expr, bound: list) -> list[tuple[sp.Expr, sp.Expr, list]]:
    """``_reduce`` until every body is one monomial (a closed-form sum may be a polynomial)."""
    coeff, body, left = _reduce(mono, bound)
    parts = sp.Add.make_args(sp.expand(body))
    if len(parts) == 1:
        return [(coeff, body, left)]
    return [(coeff * c, b, rest) for part in parts for c, b, rest in _monomials(part, left)]


def normal_form(terms: list[Term], ctx: Context) -> dict[tuple, tuple[sp.Expr, Term]]:
    """Canonical monomial under sums -> (coefficient, the monomial as a Term); empty iff the sum is zero."""
    acc: dict[tuple, sp.Expr] = defaultdict(lambda: sp.Integer(0))
    shape: dict[tuple, Term] = {}
    for t in terms:
        if t.distinct:
            raise Undecidable("internal: constraint left in a term")
        for mono in sp.Add.make_args(sp.expand(t.expr)):
            for coeff, body, used in _monomials(mono, list(t.bound)):
                if any(_centred_zero(body, b, up, ctx) for b, up in used):
                    continue
                key, renamed = _canonical(body, used)
                acc[key] = acc[key] + coeff
                shape.setdefault(key, renamed)
    out = {}
    for k in sorted(acc):
        c = sp.factor(sp.cancel(acc[k]))
        if c != 0:
            out[k] = (c, shape[k])
    return out


def _canonical(body: sp.Expr, used: list[tuple[sp.Symbol, sp.Expr]]) -> tuple:
    return _canonical_of(body, tuple(used))


@functools.lru_cache(maxsize=4096)
def _canonical_of(body: sp.Expr, used: tuple[tuple[sp.Symbol, sp.Expr], ...]) -> tuple:
    """The canonical (key, Term) of a monomial: its bound indices renamed in the order that gives the
    least key (the same monomials recur from step to step: computed once)."""
    names = [sp.Symbol(f"_c{k}", integer=True, positive=True) for k in range(len(used))]
    best, best_term = None, None
    perms = itertools.permutations(range(len(used))) if len(used) <= 5 else [tuple(range(len(used)))]
    for perm in perms:
        mapping = {used[p][0]: names[k] for k, p in enumerate(perm)}
        uppers = tuple(str(used[p][1].xreplace(mapping)) for p in perm)
        renamed = body.xreplace(mapping)
        cand = (uppers, sp.srepr(renamed))
        if best is None or cand < best:
            best = cand
            best_term = Term(tuple((names[k], used[p][1].xreplace(mapping)) for k, p in enumerate(perm)), renamed)
    return best, best_term


def _outer_first(bound: tuple[tuple[sp.Symbol, sp.Expr], ...]) -> list[tuple[sp.Symbol, sp.Expr]]:
    """The sums ordered so that a bound naming another index comes inside it."""
    left, out = list(bound), []
    while left:
        names = {b for b, _ in left}
        ready = [(b, up) for b, up in left if not (up.free_symbols & (names - {b}))]
        if not ready:
            raise Undecidable("internal: circular sum bounds")
        out += ready
        left = [x for x in left if x not in ready]
    return out


def terms_to_expr(terms: list[Term]) -> sp.Expr:
    """Deterministic terms as a SymPy expression with sums."""
    total = sp.Integer(0)
    for t in terms:
        e = t.expr
        if t.bound:  # SymPy lists limits innermost first
            e = sp.Sum(e, *[(b, 1, up) for b, up in reversed(_outer_first(t.bound))])
        total += e
    return total


