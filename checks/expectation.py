"""Exact E, Var and Cov of polynomials in i.i.d. random families under sums with symbolic bounds.

The algorithm (no SymPy stats involved):

1. Expand an expression into *terms*: a product of factors under a list of bound indices
   (Σ over 1..n each), renaming bound indices apart so that (Σ_j a_j)² becomes Σ_j Σ_k a_j a_k.
2. For E of a term, decide for every pair of random factors of one family whether they are the
   same variable: where that depends on bound indices j, k, split the sum into j = k (substitute)
   and j ≠ k (a constraint). Once every pair is decided, independent variables factor and each
   variable contributes its declared moment E[X^r].
3. Remove each constraint j ≠ k by inclusion–exclusion, Σ_{j≠k} f = Σ_{j,k} f − Σ_j f|_{k=j},
   leaving ordinary sums again.
4. A normal form (monomials under sums, bound indices canonically renamed, constant sums
   folded) decides equality: two expressions are equal for every n exactly when their normal
   forms are.

Bound indices run over the declared index ranges; free indices (an example i) are kept symbolic.
Anything outside this fragment raises ``Undecidable`` with the reason, which a step reports as
UNKNOWN.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field, replace

import sympy as sp

from checks.context import Context
from checks.randomness import Cov, E, Var


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


class Engine:
    """Exact expectation algebra for one context."""

    def __init__(self, ctx: Context, apart: frozenset[frozenset[sp.Basic]] = frozenset()) -> None:
        self.ctx = ctx
        self.apart = apart  # pairs of free indices assumed distinct (one side of a case split)
        self._counter = itertools.count()

    def fresh(self) -> sp.Symbol:
        return sp.Symbol(f"_b{next(self._counter)}", integer=True, positive=True)

    def is_random(self, e: sp.Basic) -> bool:
        return any(self.ctx.family_of(a.base) is not None for a in e.atoms(sp.Indexed))

    # -- 1. terms ----------------------------------------------------------------------------
    def terms(self, e: sp.Basic) -> list[Term]:
        if isinstance(e, sp.Add):
            return [t for a in e.args for t in self.terms(a)]
        if isinstance(e, sp.Mul):
            out = [Term((), sp.Integer(1))]
            for a in e.args:
                out = [x.times(y) for x in out for y in self.terms(a)]
            return out
        if isinstance(e, sp.Pow) and e.exp.is_Integer and e.exp > 0 and (
            e.base.has(sp.Sum, E, Var, Cov) or self.is_random(e.base) and isinstance(e.base, sp.Add)
        ):
            out = [Term((), sp.Integer(1))]
            for _ in range(int(e.exp)):
                out = [x.times(y) for x in out for y in self.terms(e.base)]
            return out
        if isinstance(e, sp.Sum):
            return self._sum_terms(e)
        if isinstance(e, E):
            return self.expect(self.terms(e.args[0]))
        if isinstance(e, Var):
            return self._var(e.args[0])
        if isinstance(e, Cov):
            a, b = e.args
            return self.expect(self._prod(a, b)) + [Term(t.bound, -t.expr, t.distinct) for t in self._prod_expect(a, b)]
        if e.has(sp.Sum, E, Var, Cov):
            raise Undecidable(f"{type(e).__name__} of a sum or an expectation is outside the exact engine")
        return [Term((), e)]

    def _var(self, x: sp.Basic) -> list[Term]:
        sq = [a.times(b) for a in self.terms(x) for b in self.terms(x)]
        mean_sq = [a.times(b) for a in self.expect(self.terms(x)) for b in self.expect(self.terms(x))]
        return self.expect(sq) + [Term(t.bound, -t.expr, t.distinct) for t in mean_sq]

    def _prod(self, a: sp.Basic, b: sp.Basic) -> list[Term]:
        return [x.times(y) for x in self.terms(a) for y in self.terms(b)]

    def _prod_expect(self, a: sp.Basic, b: sp.Basic) -> list[Term]:
        return [x.times(y) for x in self.expect(self.terms(a)) for y in self.expect(self.terms(b))]

    def _sum_terms(self, e: sp.Sum) -> list[Term]:
        (var, lo, hi), *rest = e.limits
        body = sp.Sum(e.function, *rest) if rest else e.function
        if lo != 1:
            raise Undecidable(f"sum over {var} must start at 1, not {lo}")
        new = self.fresh()
        out = []
        for t in self.terms(body.xreplace({var: new})):
            if new in t.expr.free_symbols:
                out.append(Term(((new, hi),) + t.bound, t.expr, t.distinct))
            else:
                out.append(Term(t.bound, t.expr * hi, t.distinct))
        return out

    # -- 2. expectation -----------------------------------------------------------------------
    def expect(self, terms: list[Term]) -> list[Term]:
        out: list[Term] = []
        for t in terms:
            for part in sp.Add.make_args(sp.expand(t.expr)):
                out.extend(self._expect_monomial(Term(t.bound, part, t.distinct)))
        return out

    def _random_factors(self, expr: sp.Expr) -> tuple[list[tuple[sp.Indexed, int]], sp.Expr]:
        rand, det = [], sp.Integer(1)
        for f in sp.Mul.make_args(expr):
            base, power = (f.base, f.exp) if isinstance(f, sp.Pow) else (f, sp.Integer(1))
            if isinstance(base, sp.Indexed) and self.ctx.family_of(base.base) is not None:
                if not (power.is_Integer and power > 0):
                    raise Undecidable(f"power {power} of a random variable")
                rand.append((base, int(power)))
            elif self.is_random(f):
                raise Undecidable(f"non-polynomial function of a random variable: {f}")
            else:
                det *= f
        return rand, det

    def _known_distinct(self, a: sp.Basic, b: sp.Basic, distinct: frozenset) -> bool:
        if a.is_Integer and b.is_Integer:
            return a != b
        return frozenset((a, b)) in distinct or frozenset((a, b)) in self.apart

    def _expect_monomial(self, t: Term) -> list[Term]:
        rand, det = self._random_factors(t.expr)
        bound = {b for b, _ in t.bound}
        for (r1, _), (r2, _) in itertools.combinations(rand, 2):
            if r1.base != r2.base or r1 == r2:
                continue
            pairs = [(u, v) for u, v in zip(r1.indices, r2.indices, strict=True) if u != v]
            if any(self._known_distinct(u, v, t.distinct) for u, v in pairs):
                continue
            u, v = next(((u, v) for u, v in pairs if u in bound or v in bound), (None, None))
            if u is None:
                a, b = pairs[0]
                raise FreeCoincidence(a, b, f"cannot tell whether {r1} and {r2} are the same variable (indices "
                                      f"{', '.join(f'{a} vs {b}' for a, b in pairs)} may be equal)")
            equal = self._identify(t, u, v, bound)
            apart = Term(t.bound, t.expr, t.distinct | {frozenset((u, v))})
            return self._expect_monomial(equal) + self._expect_monomial(apart)
        # every pair decided: group identical variables, apply moments, check independence
        powers: dict[sp.Indexed, int] = defaultdict(int)
        for r, k in rand:
            powers[r] += k
        names = sorted({str(r.base) for r in powers})
        for a, b in itertools.combinations(names, 2):
            if not self.ctx.are_independent(a, b):
                raise Undecidable(f"families {a} and {b} are not declared independent")
        value = det
        for r, k in sorted(powers.items(), key=lambda kv: sp.default_sort_key(kv[0])):
            value *= self.ctx.family_of(r.base).dist.moment(k)
        return self._drop_constraints(Term(t.bound, value, t.distinct))

    def _identify(self, t: Term, u: sp.Symbol, v: sp.Symbol, bound: set) -> Term:
        """The term with indices u and v made equal (the bound one is replaced)."""
        gone, keep = (v, u) if v in bound else (u, v)
        new_bound = tuple((b, up) for b, up in t.bound if b != gone)
        distinct = frozenset(frozenset(keep if x == gone else x for x in pair) for pair in t.distinct)
        return Term(new_bound, t.expr.xreplace({gone: keep}), distinct)

    # -- 3. inclusion–exclusion -------------------------------------------------------------------
    def _drop_constraints(self, t: Term) -> list[Term]:
        if any(len(pair) == 1 for pair in t.distinct):
            return []  # j ≠ j: empty sum
        if not t.distinct:
            return [t]
        pair = min(t.distinct, key=lambda p: sorted(str(x) for x in p))
        u, v = sorted(pair, key=str)
        rest = Term(t.bound, t.expr, t.distinct - {pair})
        bound = {b for b, _ in t.bound}
        if u not in bound and v not in bound:
            raise Undecidable(f"constraint {u} ≠ {v} between free indices")
        equal = self._identify(rest, u, v, bound)
        return self._drop_constraints(rest) + [Term(x.bound, -x.expr, x.distinct) for x in self._drop_constraints(equal)]


# -- 4. normal form ---------------------------------------------------------------------------------
def _centred_zero(body: sp.Expr, index: sp.Symbol, ctx: Context) -> bool:
    """A monomial in which ``index`` appears once, in a centred data entry at its centred position."""
    factors = [f for f in sp.Mul.make_args(body) if index in f.free_symbols]
    if len(factors) != 1 or not isinstance(factors[0], sp.Indexed):
        return False
    f = factors[0]
    decl = ctx.data.get(f.base)
    if decl is None or decl.centred_over is None:
        return False
    pos = decl.indices.index(decl.centred_over)
    return f.indices[pos] == index and sum(i == index for i in f.indices) == 1


def normal_form(terms: list[Term], ctx: Context) -> dict[tuple, tuple[sp.Expr, Term]]:
    """Canonical monomial under sums -> (coefficient, the monomial as a Term); empty iff the sum is zero."""
    acc: dict[tuple, sp.Expr] = defaultdict(lambda: sp.Integer(0))
    shape: dict[tuple, Term] = {}
    for t in terms:
        if t.distinct:
            raise Undecidable("internal: constraint left in a term")
        for mono in sp.Add.make_args(sp.expand(t.expr)):
            bound = [(b, up) for b, up in t.bound]
            coeff = sp.Integer(1)
            body = sp.Integer(1)
            for f in sp.Mul.make_args(mono):
                if f.free_symbols & {b for b, _ in bound}:
                    body *= f
                else:
                    coeff *= f
            used = [(b, up) for b, up in bound if b in body.free_symbols]
            for b, up in bound:
                if b not in body.free_symbols:
                    coeff *= up
            if any(_centred_zero(body, b, ctx) for b, _ in used):
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
    names = [sp.Symbol(f"_c{k}", integer=True, positive=True) for k in range(len(used))]
    best, best_term = None, None
    perms = itertools.permutations(range(len(used))) if len(used) <= 5 else [tuple(range(len(used)))]
    for perm in perms:
        mapping = {used[p][0]: names[k] for k, p in enumerate(perm)}
        uppers = tuple(str(used[p][1]) for p in perm)
        renamed = body.xreplace(mapping)
        cand = (uppers, sp.srepr(renamed))
        if best is None or cand < best:
            best = cand
            best_term = Term(tuple((names[k], used[p][1]) for k, p in enumerate(perm)), renamed)
    return best, best_term


def terms_to_expr(terms: list[Term]) -> sp.Expr:
    """Deterministic terms as a SymPy expression with sums."""
    total = sp.Integer(0)
    for t in terms:
        e = t.expr
        if t.bound:
            e = sp.Sum(e, *[(b, 1, up) for b, up in t.bound])
        total += e
    return total


def exact_value(e: sp.Basic, ctx: Context) -> sp.Expr:
    """``e`` with every E, Var and Cov replaced by its exact value (as sums)."""
    engine = Engine(ctx)
    return terms_to_expr(engine.terms(e))


@dataclass(frozen=True)
class ExpectationProof:
    """The outcome of comparing two sides exactly: ``residual`` = lhs − rhs in the case ``equal``/``apart``."""

    proved: bool
    residual: sp.Expr
    equal: tuple[tuple[sp.Basic, sp.Basic], ...] = ()  # index pairs identified in the failing case
    apart: frozenset[frozenset[sp.Basic]] = frozenset()  # index pairs distinct in the failing case
    cases: int = 1
    sides: tuple[sp.Expr, sp.Expr] | None = None  # exact values of lhs and rhs (sums) in the failing case


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
    engine = Engine(ctx, apart)
    try:
        left, right = engine.terms(lhs), engine.terms(rhs)
    except FreeCoincidence as split:
        return _split_cases(lhs, rhs, ctx, apart, split.u, split.v)
    nf = normal_form(left + [Term(t.bound, -t.expr, t.distinct) for t in right], ctx)
    if not nf:
        return ExpectationProof(True, sp.Integer(0))
    residual = terms_to_expr([Term(t.bound, c * t.expr) for c, t in nf.values()])
    return ExpectationProof(False, residual, apart=apart, sides=(terms_to_expr(left), terms_to_expr(right)))


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
