"""The exact expectation engine: E, Var and Cov of polynomials in i.i.d. random families under sums with symbolic bounds.

The algorithm (no SymPy stats involved):

1. Expand an expression into *terms*: a product of factors under a list of bound indices
   (Σ over 1..n each), renaming bound indices apart so that (Σ_j a_j)² becomes Σ_j Σ_k a_j a_k.
   A flattened ``Sum`` lists its limits innermost first; an inner bound may name an outer index
   (Σ_{j=1}^{n} Σ_{k=1}^{j}). Each E[·] stays pending until its whole term is built, so that an
   expectation inside sums (Σ_i Σ_j E[x_i x_j]) knows which of its indices are bound.
2. For E of a term, decide for every pair of random factors of one family whether they are the
   same variable: where that depends on bound indices j, k, split the sum into j = k (substitute)
   and j ≠ k (a constraint). Once every pair is decided, independent variables factor and each
   variable contributes its declared moment E[X^r].
3. Remove each constraint j ≠ k by inclusion–exclusion, Σ_{j≠k} f = Σ_{j,k} f − Σ_j f|_{k=j},
   leaving ordinary sums again.
4. A normal form (``derivcheck_steps.sum_terms``) decides equality: two expressions are equal for every n
   exactly when their normal forms are. Centred data vanish only summed over the whole range.

Bound indices run over the declared index ranges (an upper bound must be ≥ 0: an empty sum is 0);
free indices (an example i, or an expression such as j + 1) are kept symbolic, and where two of
them may name one variable the cases are proved separately. A family declared without indices is
one random variable.
Anything outside this fragment raises ``Undecidable`` with the reason, which a step reports as
UNKNOWN.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

import sympy as sp

from derivcheck_steps.context import Context
from derivcheck_steps.joint_moments import joint_value
from derivcheck_steps.random_vectors import check_degree
from derivcheck_steps.randomness import Cov, E, Var
from derivcheck_steps.sum_terms import FreeCoincidence, Term, Undecidable

__all__ = ["Engine"]


class _Pending(sp.Function):
    """E[·] of one monomial, kept unevaluated until every enclosing sum's index is known.

    An expectation inside a sum (Σ_j E[x_i x_j]) can only split "j = i" from "j ≠ i" once j is
    known to be bound by that sum, so expectations are resolved after the whole term is built.
    """

    nargs = 1
    is_real = True


class Engine:
    """Exact expectation algebra for one context."""

    def __init__(self, ctx: Context, apart: frozenset[frozenset[sp.Basic]] = frozenset()) -> None:
        self.ctx = ctx
        self.apart = apart  # pairs of free indices assumed distinct (one side of a case split)
        self._counter = itertools.count()
        self._origin: dict[sp.Symbol, sp.Symbol] = {}  # bound index -> the index the author wrote
        self._families: dict[sp.Basic, object | None] = {}  # family() looked up once per variable

    def fresh(self, written: sp.Symbol | None = None) -> sp.Symbol:
        sym = sp.Symbol(f"_b{next(self._counter)}", integer=True, positive=True)
        if written is not None:
            self._origin[sym] = written
        return sym

    def show(self, e: sp.Basic) -> sp.Basic:
        """``e`` with bound indices shown under the names the author wrote (for messages)."""
        return e.xreplace(self._origin)

    def family(self, e: sp.Basic) -> object | None:
        """The random family of a variable ``m[j]`` (or of a family declared without indices, ``t``)."""
        base = e.base if isinstance(e, sp.Indexed) else e if isinstance(e, sp.IndexedBase) else None
        if base is None:
            return None
        if base not in self._families:
            self._families[base] = self.ctx.family_of(base)
        return self._families[base]

    def is_random(self, e: sp.Basic) -> bool:
        return any(self.family(a) is not None for a in sp.preorder_traversal(e)
                   if isinstance(a, sp.Indexed | sp.IndexedBase))

    # -- 1. terms ----------------------------------------------------------------------------
    def value(self, e: sp.Basic) -> list[Term]:
        """The terms of ``e`` with every expectation resolved and every constraint removed."""
        return [r for t in self.terms(e) for r in self._resolve(t)]

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
            return self._expect(e.args[0])
        if isinstance(e, Var):
            x = e.args[0]
            return self._expect(x * x) + self._neg(self._times(self._expect(x), self._expect(x)))
        if isinstance(e, Cov):
            a, b = e.args
            return self._expect(a * b) + self._neg(self._times(self._expect(a), self._expect(b)))
        if e.has(sp.Sum, E, Var, Cov):
            raise Undecidable(f"{type(e).__name__} of a sum or an expectation is outside the exact engine")
        return [Term((), e)]

    @staticmethod
    def _neg(terms: list[Term]) -> list[Term]:
        return [Term(t.bound, -t.expr, t.distinct) for t in terms]

    @staticmethod
    def _times(a: list[Term], b: list[Term]) -> list[Term]:
        return [x.times(y) for x in a for y in b]

    def _expect(self, x: sp.Basic) -> list[Term]:
        """E[x] by linearity: one pending expectation per monomial, under the monomial's sums."""
        out = []
        for t in self.terms(x):
            for part in sp.Add.make_args(sp.expand(t.expr)):
                out.append(Term(t.bound, _Pending(part), t.distinct))
        return out

    def _sum_terms(self, e: sp.Sum) -> list[Term]:
        # SymPy lists a flattened Sum's limits innermost first: the last one is the outermost sum
        *rest, (var, lo, hi) = e.limits
        body = sp.Sum(e.function, *rest) if rest else e.function
        count = sp.expand(hi - lo + 1)
        if count.is_negative:
            return []  # no integer lies in the range: an empty sum
        if not count.is_nonnegative:
            raise Undecidable(f"the sum over {var} from {lo} to {hi} may be empty (an empty sum is 0 here, "
                              "not SymPy's reversed-bounds value)")
        new = self.fresh(var)
        out = []  # Σ_{k=lo}^{hi} f(k) = Σ_{k'=1}^{count} f(k' + lo − 1)
        for t in self.terms(body.xreplace({var: new + lo - 1})):
            if new in t.expr.free_symbols or any(new in up.free_symbols for _, up in t.bound):
                out.append(Term(((new, count),) + t.bound, t.expr, t.distinct))
            else:
                out.append(Term(t.bound, t.expr * count, t.distinct))
        return out

    # -- 2. expectation -----------------------------------------------------------------------
    def _random_factors(self, expr: sp.Expr) -> tuple[list[tuple[sp.Basic, int]], sp.Expr]:
        rand, det = [], sp.Integer(1)
        for f in sp.Mul.make_args(expr):
            base, power = (f.base, f.exp) if isinstance(f, sp.Pow) else (f, sp.Integer(1))
            fam = self.family(base)
            if fam is not None:
                if isinstance(base, sp.IndexedBase) and fam.indices:
                    raise Undecidable(f"the random family {base} is indexed: write {base}[...] with its indices")
                if not (power.is_Integer and power > 0):
                    raise Undecidable(f"power {power} of a random variable")
                rand.append((base, int(power)))
            elif self.is_random(f):
                raise Undecidable(f"non-polynomial function of a random variable: {self.show(f)}")
            else:
                det *= f
        return rand, det

    def _exponential_moment(self, monomial: sp.Expr) -> sp.Expr | None:
        """E[c·exp(a X + b)] for one normal or Bernoulli variable X (c, a, b not random), else None.

        E[e^{aX}] is X's moment generating function at a: e^{aμ + a²σ²/2} for X ~ N(μ, σ²) and
        1 − p + p e^{a} for X ~ Ber(p). Any other random factor, or a law known only by its two
        moments, is left to the polynomial engine (which names it as outside the fragment).
        """
        factors = sp.Mul.make_args(monomial)
        random = [f for f in factors if self.is_random(f)]
        if len(random) != 1:
            return None
        f = random[0]
        if isinstance(f, sp.Pow) and isinstance(f.base, sp.exp) and f.exp.is_Integer:
            exponent = f.base.args[0] * f.exp
        elif isinstance(f, sp.exp):
            exponent = f.args[0]
        else:
            return None
        atoms = {a for a in exponent.atoms(sp.Indexed) if self.family(a) is not None}
        atoms |= {b for b in exponent.atoms(sp.IndexedBase) if self.family(b) is not None and not self.family(b).indices}
        if len(atoms) != 1:
            return None
        x = atoms.pop()
        dist = self.family(x).dist
        t = sp.Dummy("t")
        linear = sp.expand(exponent.xreplace({x: t}))
        a, b = linear.coeff(t, 1), linear.coeff(t, 0)
        if sp.expand(linear - a * t - b) != 0 or a.has(t) or self.is_random(a) or self.is_random(b):
            return None
        rest = sp.Mul(*(g for g in factors if g is not f))
        if dist.name == "Normal":
            mu, var = dist.params
            return rest * sp.exp(a * mu + b + a**2 * var / 2)
        if dist.name == "Bernoulli":
            (p,) = dist.params
            return rest * sp.exp(b) * (1 - p + p * sp.exp(a))
        return None

    @staticmethod
    def _normal_pair(u: sp.Basic, v: sp.Basic, bound: set) -> tuple[sp.Basic, sp.Basic]:
        """The condition u = v as (bound index, value) when it can be solved for a bound index with
        coefficient ±1 (j + 1 = k + 1 is j = k); otherwise (u, v) unchanged."""
        if u in bound or v in bound:
            return (u, v) if u in bound else (v, u)
        gap = sp.expand(u - v)
        for s in sorted(gap.free_symbols & bound, key=str):
            c = gap.coeff(s)
            if c in (1, -1) and s not in (gap - c * s).free_symbols:
                return s, sp.expand(-(gap - c * s) / c)
        return u, v

    def _known_distinct(self, a: sp.Basic, b: sp.Basic, distinct: frozenset, bound: set = frozenset()) -> bool:
        gap = sp.expand(a - b)
        if gap.is_Number:
            return gap != 0
        a, b = self._normal_pair(a, b, bound)
        return frozenset((a, b)) in distinct or frozenset((a, b)) in self.apart

    def _undecided_pair(self, rand: list, t: Term) -> tuple[sp.Basic, sp.Basic, str] | None:
        """Two index expressions that decide whether two factors are one variable, or None."""
        for (r1, _), (r2, _) in itertools.combinations(rand, 2):
            if r1 == r2 or not (isinstance(r1, sp.Indexed) and isinstance(r2, sp.Indexed)) or r1.base != r2.base:
                continue
            pairs = [(u, v) for u, v in zip(r1.indices, r2.indices, strict=True) if u != v]
            if any(self._known_distinct(u, v, t.distinct, {b for b, _ in t.bound}) for u, v in pairs):
                continue
            u, v = pairs[0]
            return u, v, (f"cannot tell whether {self.show(r1)} and {self.show(r2)} are the same variable "
                          f"(indices {', '.join(f'{a} vs {b}' for a, b in pairs)} may be equal)")
        return None

    def _resolve(self, t: Term) -> list[Term]:
        """Evaluate the pending expectations of a term, splitting its sums where indices may coincide."""
        pending = sorted((p for p in t.expr.atoms(_Pending) if not p.args[0].has(_Pending)), key=sp.default_sort_key)
        if not pending:
            return self._drop_constraints(t)
        node = pending[0]
        arg = sp.expand(node.args[0])
        if isinstance(arg, sp.Add):  # an inner expectation became a sum of terms: linearity again
            expr = sp.expand(t.expr.xreplace({node: sp.Add(*(_Pending(a) for a in arg.args))}))
            return [r for part in sp.Add.make_args(expr) for r in self._resolve(Term(t.bound, part, t.distinct))]
        value = self._exponential_moment(arg)
        if value is not None:  # E[c·e^{aX+b}]: X's moment generating function
            return self._resolve(Term(t.bound, t.expr.xreplace({node: value}), t.distinct))
        rand, det = self._random_factors(arg)
        split = self._undecided_pair(rand, t)
        if split is not None:
            u, v, message = split
            bound = {b for b, _ in t.bound}
            u, v = self._normal_pair(u, v, bound)
            if u not in bound and v not in bound:
                raise FreeCoincidence(u, v, message)
            apart = Term(t.bound, t.expr, t.distinct | {frozenset((u, v))})
            return self._resolve(self._identify(t, u, v)) + self._resolve(apart)
        powers: dict[sp.Basic, int] = defaultdict(int)
        for r, k in rand:
            powers[r] += k
        names = sorted({str(self.family(r).base) for r in powers})
        for name in names:
            check_degree(self.ctx.families[name], sum(k for r, k in powers.items() if str(self.family(r).base) == name))
        value = det * joint_value(dict(powers), self.family, self.ctx.are_independent, {b for b, _ in t.bound})
        return self._resolve(Term(t.bound, t.expr.xreplace({node: value}), t.distinct))

    def _upper(self, ix: sp.Basic, t: Term) -> sp.Expr | None:
        for b, up in t.bound:
            if b == ix:
                return up
        decl = self.ctx.indices.get(ix)
        return decl.upper if decl is not None else None

    def _identify(self, t: Term, u: sp.Basic, v: sp.Basic) -> Term:
        """The term restricted to u = v: the bound index among them is replaced by the other.

        Σ_{j=1}^{n} f(j) restricted to j = k is f(k) only when k ranges over 1..n too; any other
        pairing (different ranges, an index expression such as k + 1) is outside the engine.
        """
        bound = {b for b, _ in t.bound}
        gone, keep = (v, u) if v in bound else (u, v)
        if keep in bound and gone in self._upper(keep, t).free_symbols:
            gone, keep = keep, gone  # drop the inner index of a triangular sum (k ≤ j, k = j: keep j)
        top = self._upper(gone, t)
        if keep.is_Integer:
            same_range = keep >= 1 and bool((top - keep).is_nonnegative)
        else:  # keep's range lies inside gone's: the same upper bound, or gone runs up to keep
            same_range = isinstance(keep, sp.Symbol) and (self._upper(keep, t) == top or top == keep)
        if not same_range:
            raise Undecidable(f"the case {self.show(gone)} = {self.show(keep)} restricts the range of the sum "
                              f"over {self.show(gone)}")
        new_bound = tuple((b, up.xreplace({gone: keep})) for b, up in t.bound if b != gone)
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
        equal = self._identify(rest, u, v)
        return self._drop_constraints(rest) + [Term(x.bound, -x.expr, x.distinct) for x in self._drop_constraints(equal)]
