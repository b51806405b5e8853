"""A normal form for finite sums with symbolic bounds: distribute, pull constants out, rename.

``Σ_j (a_j + c b_j)`` becomes ``Σ_j a_j + c Σ_j b_j`` with bound indices renamed by depth, so
that sums written with different index names compare equal. Also rewrites ``x·sign(x)`` to
``|x|`` for real x, the identity behind the sign-of-gradient attack.

Bounds convention: Σ_{k=a}^{b} f is the sum over the integers a ≤ k ≤ b, so a sum whose upper bound
is below its lower bound is *empty* (0), as readers of ML derivations mean it — not SymPy's
Karr convention (Σ_{k=n+2}^{n} 1 = −1). ``empty_sum_convention`` puts every sum in a form where
the two conventions agree, or says which sum it cannot (a bound such as N − 3 whose order is not
known), so that no SymPy evaluation of a sum ever applies Karr's rule to a reversed range.
"""

from __future__ import annotations

import sympy as sp


def _bound_name(depth: int) -> sp.Symbol:
    return sp.Symbol(f"_s{depth}", integer=True, positive=True)


def _sign_products(e: sp.Basic) -> sp.Basic:
    """Rewrite x·sign(x) as |x| for real x (valid at x = 0 too: both sides vanish)."""
    if not isinstance(e, sp.Mul):
        return e
    factors = list(e.args)
    for s in [f for f in factors if isinstance(f, sp.sign)]:
        arg = s.args[0]
        if arg in factors and arg.is_real:
            factors.remove(arg)
            factors.remove(s)
            factors.append(sp.Abs(arg))
    return sp.Mul(*factors)


def expand_sums(e: sp.Basic, depth: int = 0) -> sp.Basic:
    """The normal form described in the module docstring."""
    out = _expand(e, depth)
    return _renamed_by_depth(out, depth) if depth == 0 else out


def _renamed_by_depth(e: sp.Basic, depth: int) -> sp.Basic:
    """Every sum's index renamed by its nesting depth in the final form.

    Pulling factors out moves a sum: Σ_i Σ_j r_i r_j² becomes (Σ r_j²)(Σ r_i), the first sum now
    at depth 0 but named for depth 1; renaming again makes it compare equal to a Σ_j r_j² written at
    depth 0 ((Σ_i r_i)² = Σ_i Σ_j r_i r_j too). A sum's index is bound, so renaming is an identity.
    """
    if not e.args or not e.has(sp.Sum):
        return e
    if isinstance(e, sp.Sum) and len(e.limits) == 1:
        (var, lo, hi), new = e.limits[0], _bound_name(depth)
        return sp.Sum(_renamed_by_depth(e.function.xreplace({var: new}), depth + 1), (new, lo, hi))
    return e.func(*(_renamed_by_depth(a, depth) for a in e.args))


def _expand(e: sp.Basic, depth: int = 0) -> sp.Basic:
    if isinstance(e, sp.Sum):
        return _expand_sum(e, depth)
    if not e.args or not e.has(sp.Sum, sp.sign):
        return e
    out = e.func(*(_expand(a, depth) for a in e.args))
    out = sp.expand(out)
    if isinstance(out, sp.Add):
        return sp.Add(*(_sign_products(t) for t in out.args))
    return _sign_products(out)


def _expand_sum(e: sp.Sum, depth: int) -> sp.Basic:
    # SymPy lists a flattened Sum's limits innermost first: the last one is the outermost sum, and
    # an inner bound may name it (Σ_{j=1}^{n} Σ_{k=1}^{j}), so it is renamed inside the inner limits too
    *rest, (var, lo, hi) = e.limits
    body = sp.Sum(e.function, *rest) if rest else e.function
    new = _bound_name(depth)
    body = body.xreplace({var: new})
    body = sp.expand(_expand(body, depth + 1))
    terms = body.args if isinstance(body, sp.Add) else (body,)
    total = sp.Integer(0)
    for term in terms:
        term = _sign_products(term)
        factors = term.args if isinstance(term, sp.Mul) else (term,)
        const = [f for f in factors if new not in f.free_symbols]
        inner = [f for f in factors if new in f.free_symbols]
        if not inner:
            total += sp.Mul(*const) * (hi - lo + 1)
        else:
            total += sp.Mul(*const) * sp.Sum(sp.Mul(*inner), (new, lo, hi))
    return total


def _count_sign(count: sp.Expr, outer: list[tuple[sp.Symbol, sp.Expr, sp.Expr]]) -> str:
    """"nonnegative", "negative" or "unknown": the sign of a sum's term count over its enclosing ranges.

    A count linear in an enclosing index takes its extremes at that index's bounds, so checking
    both bounds (innermost enclosing index first) decides the sign over the whole range.
    """
    for k, (var, lo, hi) in enumerate(outer):
        if var in count.free_symbols:
            slope = sp.diff(count, var)
            if var in slope.free_symbols:
                return "unknown"
            ends = {_count_sign(count.xreplace({var: end}), outer[k + 1:]) for end in (lo, hi)}
            return ends.pop() if len(ends) == 1 else "unknown"
    if count.is_nonnegative:
        return "nonnegative"
    if count.is_negative:
        return "negative"
    return "unknown"


def empty_sum_convention(e: sp.Basic) -> tuple[sp.Basic, list[str]]:
    """``e`` with every provably empty sum replaced by 0, and the sums whose emptiness is unknown.

    After this, every remaining sum with an empty list of unknowns has upper − lower + 1 ≥ 0 over
    its enclosing ranges, where SymPy's evaluation of sums agrees with the empty-sum convention.
    """
    unknown: list[str] = []

    def visit(node: sp.Basic, outer: list[tuple[sp.Symbol, sp.Expr, sp.Expr]]) -> sp.Basic:
        if isinstance(node, sp.Sum):
            scopes = list(outer)
            for var, lo, hi in reversed(node.limits):  # outermost first
                sign = _count_sign(sp.expand(hi - lo + 1), scopes)
                if sign == "negative":
                    return sp.Integer(0)
                if sign == "unknown":
                    unknown.append(f"the sum over {var} from {lo} to {hi} (is {hi} ≥ {lo} − 1?)")
                scopes = [(var, lo, hi), *scopes]
            return sp.Sum(visit(node.function, scopes), *node.limits)
        if not node.args or not node.has(sp.Sum):
            return node
        return node.func(*(visit(a, outer) for a in node.args))

    return visit(e, []), unknown
