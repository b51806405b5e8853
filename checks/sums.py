"""A normal form for finite sums with symbolic bounds: distribute, pull constants out, rename.

``Σ_j (a_j + c b_j)`` becomes ``Σ_j a_j + c Σ_j b_j`` with bound indices renamed by depth, so
that sums written with different index names compare equal. Also rewrites ``x·sign(x)`` to
``|x|`` for real x, the identity behind the sign-of-gradient attack.
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
    if isinstance(e, sp.Sum):
        return _expand_sum(e, depth)
    if not e.args or not e.has(sp.Sum, sp.sign):
        return e
    out = e.func(*(expand_sums(a, depth) for a in e.args))
    out = sp.expand(out)
    if isinstance(out, sp.Add):
        return sp.Add(*(_sign_products(t) for t in out.args))
    return _sign_products(out)


def _expand_sum(e: sp.Sum, depth: int) -> sp.Basic:
    (var, lo, hi), *rest = e.limits
    body = sp.Sum(e.function, *rest) if rest else e.function
    new = _bound_name(depth)
    body = body.xreplace({var: new})
    body = sp.expand(expand_sums(body, depth + 1))
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
