"""Equal sums compare equal: sums flattened, index-free factors pulled out, dummies renamed canonically.

A monomial with sums in it, ``x_r · Σ_i w_i x_i`` or ``Σ_i Σ_j A_ij x_i y_j``, is read as one sum
over a set of index tuples (each index between its bounds, a bound may name an enclosing index)
of one product (the body), times a factor free of every bound index (the coefficient):

- a product of sums is one sum over the product set ((Σ_i f_i)(Σ_j g_j) = Σ_{i,j} f_i g_j), so a
  factor moves freely into or out of a sum whose index it does not use;
- a Kronecker delta δ_{ab} under the sum over b, with a's range inside b's, sets b = a;
- bound indices are dummies: renamed canonically (indices sorted by what renaming cannot change, their
  bounds and the factors they sit in; the least rendering over orders of indices alike), so sums
  that differ by index names or nesting order have the same key;
- each index is shifted to start at 0 and a one-term sum is its term (Σ_{k=1}^{n} a_k = Σ_{j=0}^{n−1} a_{j+1});
- a written sum's end term that is exactly 0 is dropped (Σ_{k=0}^{n} k a_k = Σ_{k=1}^{n} k a_k), and
  a sum of sums is distributed (up to MAX_TERMS monomials);
- a sum inside a function or a denominator (e^{Σ_j z_j}, 1/Σ_j e^{z_j}) is an opaque factor with its
  indices renamed by depth.

The expression is zero when the coefficients of every key cancel. Each rewrite is an identity of
finite sums under the empty-sum convention; ``derivcheck_steps.sums.empty_sum_convention`` must
have found no sum of unknown emptiness first (``prove_zero`` checks it).
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict

import sympy as sp

Bound = tuple[sp.Symbol, sp.Expr, sp.Expr]  # (index, lower, upper)
Ranges = dict[sp.Basic, tuple[sp.Expr, sp.Expr]]

MAX_ORDERS = 120  # renamings tried among indices alike (more: one order, equal sums may then differ)


class _Fresh:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> sp.Dummy:
        self.count += 1
        return sp.Dummy(f"f{self.count}", integer=True)


MAX_TERMS = 400  # monomials after distributing products of sums of sums; more is out of scope


def _flatten(mono: sp.Expr, fresh: _Fresh) -> list[tuple[list[Bound], list[sp.Expr]]] | None:
    """A monomial as a sum of flat terms (the bounds of every sum in it, the body's factors): a sum
    whose body is a sum is distributed (Σ_i (a_i + b_i) = Σ_i a_i + Σ_i b_i); None past MAX_TERMS."""
    out: list[tuple[list[Bound], list[sp.Expr]]] = [([], [])]
    for f in sp.Mul.make_args(mono):
        if isinstance(f, sp.Pow) and isinstance(f.base, sp.Sum) and f.exp.is_Integer and f.exp > 0:
            parts = [f.base] * int(f.exp)
        else:
            parts = [f]
        for part in parts:
            if not isinstance(part, sp.Sum):
                if part.has(sp.Sum):  # a sum inside a function or a denominator: its indices renamed by depth
                    part = _renamed_inside(part)
                out = [(b, [*fs, part]) for b, fs in out]
                continue
            renames: dict[sp.Basic, sp.Basic] = {}
            inner: list[Bound] = []
            for var, lo, hi in part.limits:  # innermost first; a bound may name an outer index
                renames[var] = fresh()
                inner.append((renames[var], lo, hi))
            inner = [(v, lo.xreplace(renames), hi.xreplace(renames)) for v, lo, hi in inner]
            alternatives: list[tuple[list[Bound], list[sp.Expr]]] = []
            for term in sp.Add.make_args(_expand(part.function.xreplace(renames))):
                sub = _flatten(term, fresh)
                if sub is None:
                    return None
                alternatives += [(inner + b, fs) for b, fs in sub]
            if len(out) * len(alternatives) > MAX_TERMS:
                return None
            out = [(b1 + b2, f1 + f2) for b1, f1 in out for b2, f2 in alternatives]
    return out


def _expand(e: sp.Basic) -> sp.Basic:
    """Products and powers multiplied out; e^(a+b) and e^Σ kept whole (SymPy would make e^Σ a product)."""
    return sp.expand(e, power_exp=False)


def _renamed_inside(e: sp.Basic, depth: int = 0) -> sp.Basic:
    """Every sum's index in ``e`` renamed by its nesting depth (a bound index is a dummy)."""
    if not e.args or not e.has(sp.Sum):
        return e
    if isinstance(e, sp.Sum):
        names = {v: sp.Symbol(f"_a{depth + k}", integer=True) for k, v in enumerate(reversed(e.variables))}
        limits = [(names[v], lo.xreplace(names), hi.xreplace(names)) for v, lo, hi in e.limits]
        return sp.Sum(_renamed_inside(e.function.xreplace(names), depth + len(names)), *limits)
    return e.func(*(_renamed_inside(a, depth) for a in e.args))


def _contains(inner: tuple[sp.Expr, sp.Expr], outer: tuple[sp.Expr, sp.Expr]) -> bool:
    return bool(sp.expand(inner[0] - outer[0]).is_nonnegative) and bool(sp.expand(outer[1] - inner[1]).is_nonnegative)


def _drop_deltas(bounds: list[Bound], factors: list[sp.Expr], ranges: Ranges) -> tuple[list[Bound], list[sp.Expr]]:
    """Σ_b δ_{ab} f(b) = f(a) when a's range (free index, or another bound index) lies in b's."""
    changed = True
    while changed:
        changed = False
        for k, f in enumerate(factors):
            if not isinstance(f, sp.KroneckerDelta):
                continue
            names = {v: (lo, hi) for v, lo, hi in bounds}
            for b, a in (f.args[:2], f.args[1::-1]):
                if b not in names or a == b or any(b in (lo.free_symbols | hi.free_symbols) for _, lo, hi in bounds):
                    continue
                known = names.get(a) or ranges.get(a) or ((a, a) if a.is_Integer else None)
                if known is None or not _contains(known, names[b]):
                    continue
                if f.delta_range is not None and not _contains(known, f.delta_range):
                    continue  # SymPy's ranged delta is 0 outside its range
                bounds = [x for x in bounds if x[0] != b]
                factors = [g.xreplace({b: a}) for j, g in enumerate(factors) if j != k]
                changed = True
                break
            if changed:
                break
    return bounds, factors


def _from_zero(bounds: list[Bound], factors: list[sp.Expr]) -> tuple[list[Bound], list[sp.Expr]]:
    """Each index shifted to start at 0 (k = j + lo): Σ_{k=1}^{n} a_{k−1} and Σ_{j=0}^{n−1} a_j compare equal;
    a sum of one term (lo = hi, a product over a dimension of size 1) is that term."""
    while single := next((x for x in bounds if sp.expand(x[2] - x[1]) == 0), None):
        v, lo, _ = single
        one = {v: lo}
        bounds = [(u, a.xreplace(one), b.xreplace(one)) for u, a, b in bounds if u != v]
        factors = [f.xreplace(one) for f in factors]
    for pos in range(len(bounds)):
        v, lo, hi = bounds[pos]
        if lo == 0:
            continue
        move = {v: v + lo}
        bounds = [(u, a.xreplace(move), b.xreplace(move)) for u, a, b in bounds]
        bounds[pos] = (v, sp.Integer(0), sp.expand(hi - lo))
        factors = [_expand(f.xreplace(move)) if isinstance(f, sp.Add) else f.xreplace(move) for f in factors]
    return bounds, factors


def _traces_as_sums(e: sp.Basic) -> sp.Basic:
    """tr(M) as Σ_i M_ii (its only entry for a 1×1 M: xᵀw wᵀx = Σ_i Σ_j x_i w_i w_j x_j)."""
    def entries(t: sp.Trace) -> sp.Basic:
        m = t.arg
        if m.has(sp.Inverse, sp.MatPow, sp.FunctionMatrix) or not isinstance(m, sp.MatrixExpr):
            return t
        if m.shape[0] == 1:
            return m[0, 0]
        i = sp.Dummy("i", integer=True)
        return sp.Sum(m[i, i], (i, 0, m.shape[0] - 1))

    return e.replace(lambda x: isinstance(x, sp.Trace), entries) if e.has(sp.Trace) else e


def _signature(v: sp.Symbol, bounds: list[Bound], body: sp.Expr) -> str:
    """What renaming cannot change about index v: its bounds and the factors it sits in, with v written X
    and the other bound indices Y."""
    mask = {u: sp.Symbol("Y") for u, _, _ in bounds if u != v} | {v: sp.Symbol("X")}
    own = next(x for x in bounds if x[0] == v)
    where = sorted(sp.srepr(f.xreplace(mask)) for f in sp.Mul.make_args(body) if v in f.free_symbols)
    return repr((sp.srepr(own[1].xreplace(mask)), sp.srepr(own[2].xreplace(mask)), where))


def _orders(bounds: list[Bound], body: sp.Expr) -> list[tuple[int, ...]]:
    """The orders of the indices to try: sorted by signature, permuted within ties (up to MAX_ORDERS)."""
    sig = [_signature(v, bounds, body) for v, _, _ in bounds]
    ranked = sorted(range(len(bounds)), key=lambda p: sig[p])
    groups = [list(g) for _, g in itertools.groupby(ranked, key=lambda p: sig[p])]
    if math.prod(math.factorial(len(g)) for g in groups) > MAX_ORDERS:
        return [tuple(ranked)]
    return [tuple(itertools.chain(*combo)) for combo in itertools.product(*(itertools.permutations(g) for g in groups))]


def _key(bounds: list[Bound], body: sp.Expr) -> tuple[str, ...]:
    """The least of the term's renderings over canonical renamings of its bound indices."""
    names = [sp.Symbol(f"_k{k}", integer=True) for k in range(len(bounds))]
    best = None
    for perm in _orders(bounds, body):
        mapping = {bounds[p][0]: names[k] for k, p in enumerate(perm)}
        lims = tuple(f"{sp.srepr(bounds[p][1].xreplace(mapping))}..{sp.srepr(bounds[p][2].xreplace(mapping))}" for p in perm)
        cand = (*lims, sp.srepr(body.xreplace(mapping)))
        if best is None or cand < best:
            best = cand
    assert best is not None
    return best


def _peeled(bounds: list[Bound], factors: list[sp.Expr]) -> list[Bound]:
    """Each end term that is exactly 0 dropped from its range (Σ_{k=0}^{n} k a_k = Σ_{k=1}^{n} k a_k): an
    identity, the dropped term being 0 (an empty range stays empty: a vanishing body is not counted)."""
    body = sp.Mul(*factors)
    for pos in range(len(bounds)):
        v, lo, hi = bounds[pos]
        if any(v in (a.free_symbols | b.free_symbols) for u, a, b in bounds if u != v):
            continue
        for _ in range(2):
            if body.xreplace({v: lo}) == 0:
                lo += 1
            elif body.xreplace({v: hi}) == 0:
                hi -= 1
        bounds[pos] = (v, lo, hi)
    return bounds


def _terms(bounds: list[Bound], factors: list[sp.Expr]) -> list[tuple[tuple[str, ...], sp.Expr]]:
    """(canonical key, coefficient) of each monomial of a product under its sums: indices shifted to start
    at 0, products multiplied out; an index nothing uses counts its terms."""
    bounds, factors = _from_zero(bounds, factors)
    if any(isinstance(f, sp.Add) for f in factors):
        terms = sp.Add.make_args(_expand(sp.Mul(*factors)))
        return [_term(bounds, list(sp.Mul.make_args(t))) for t in terms]
    return [_term(bounds, factors)]


def _term(bounds: list[Bound], factors: list[sp.Expr]) -> tuple[tuple[str, ...], sp.Expr]:
    while True:
        used = set().union(*(f.free_symbols for f in factors), *(lo.free_symbols | hi.free_symbols for _, lo, hi in bounds))
        unused = [x for x in bounds if x[0] not in used]
        if not unused:
            break
        factors = factors + [hi - lo + 1 for _, lo, hi in unused]
        bounds = [x for x in bounds if x not in unused]
    bound = {v for v, _, _ in bounds}
    coeff = sp.Mul(*[f for f in factors if not (f.free_symbols & bound)])
    body = sp.Mul(*[f for f in factors if f.free_symbols & bound])
    return _key(bounds, body), coeff


def _peel_sums(e: sp.Basic) -> sp.Basic:
    """Every written sum with its vanishing end terms dropped, before expanding splits its body."""
    def peel(s: sp.Sum) -> sp.Basic:
        limits = [tuple(x) for x in s.limits]
        new = _peeled(list(limits), [s.function])
        return s if new == limits else sp.Sum(s.function, *new)

    return e.replace(lambda x: isinstance(x, sp.Sum), peel)


def flat_terms(e: sp.Expr, ranges: Ranges | None = None) -> dict[tuple[str, ...], sp.Expr] | None:
    """Canonical sum (key) -> total coefficient, zero keys dropped; None when out of scope."""
    ranges = ranges or {}
    fresh = _Fresh()
    acc: dict[tuple[str, ...], sp.Expr] = defaultdict(lambda: sp.Integer(0))
    for mono in sp.Add.make_args(_expand(_peel_sums(e))):
        flat = _flatten(mono, fresh)
        if flat is None:
            return None
        for alternative in flat:
            for key, coeff in _terms(*_drop_deltas(*alternative, ranges)):
                acc[key] += coeff
    out = {}
    for k, c in acc.items():
        c = _expand(c)
        if c != 0:
            out[k] = c
    return out


def sums_cancel(e: sp.Expr, ranges: Ranges | None = None) -> bool:
    """Whether ``e`` is zero by the canonical flattened form of its sums (module docstring), as it
    stands or with its denominators that hold sums cleared (:func:`denominators_cleared`)."""
    if not e.has(sp.Sum, sp.Trace):
        return False
    try:
        e = _traces_as_sums(e)
        if not e.has(sp.Sum):
            return False
        terms = flat_terms(e, ranges)
        if terms is not None and not terms:
            return True
        cleared = denominators_cleared(e)
        if cleared is None:
            return False
        terms = flat_terms(cleared, ranges)
    except (TypeError, ValueError, AttributeError, NotImplementedError, RecursionError):
        return False
    return terms is not None and not terms


def denominators_cleared(e: sp.Expr) -> sp.Expr | None:
    """``e`` times every denominator of it that holds a sum (each to its highest power), multiplied
    out; None when there is none.

    (2 Ax xᵀx − 2 (xᵀAx) x)/(xᵀx)² − (2/xᵀx)(Ax − (xᵀAx)/(xᵀx) x) has the denominators Σ_i x_i²
    and its square: times (Σ_i x_i²)² every sum is in a numerator, where products of sums flatten.
    ``e`` is defined only where its denominators are nonzero, and there ``e = 0`` exactly when
    ``e · D = 0``: a zero product proves ``e`` zero. Sums in denominators get their indices renamed
    by depth first, so that one sum written with two index names is one denominator.
    """
    def canonical(p: sp.Pow) -> sp.Basic:
        return sp.Pow(_renamed_inside(p.base), p.exp)

    def is_denominator(x: sp.Basic) -> bool:
        return isinstance(x, sp.Pow) and x.exp.is_Integer and x.exp < 0 and x.base.has(sp.Sum)

    e = e.replace(is_denominator, canonical)
    power: dict[sp.Basic, int] = {}
    for p in e.atoms(sp.Pow):
        if is_denominator(p):
            power[p.base] = max(power.get(p.base, 0), -int(p.exp))
    if not power:
        return None
    d = sp.Mul(*(b**k for b, k in sorted(power.items(), key=lambda bk: sp.default_sort_key(bk[0]))))
    return _expand(e * d)


def deltas_by_difference(e: sp.Basic) -> sp.Basic:
    """δ(a, b) as δ(a − b, 0) (sign chosen canonically), so δ(k − 1, l − 1) and δ(k, l) compare equal;
    SymPy's ranged deltas (0 outside a range) are left alone."""
    def canonical(x: sp.KroneckerDelta) -> sp.Basic:
        gap = sp.expand(x.args[0] - x.args[1])
        gap = min(gap, sp.expand(-gap), key=sp.default_sort_key)
        return sp.KroneckerDelta(gap, 0)

    return e.replace(lambda x: isinstance(x, sp.KroneckerDelta) and x.delta_range is None, canonical)
