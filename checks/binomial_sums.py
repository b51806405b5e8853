"""Binomial sums in closed form: the binomial theorem with a polynomial weight.

For an integer N ≥ 0 and a polynomial P, written in falling factorials P(j) = Σ_m c_m j^(m),

    Σ_{j=0}^{N} P(j) C(N, j) A^j B^(N−j) = Σ_m c_m N^(m) A^m (A + B)^(N−m),

since j^(m) C(N, j) = N^(m) C(N−m, j−m) (the binomial theorem for m = 0; the mean and factorial
moments of a binomial law for A = p, B = 1 − p). For N < m both sides of a term are 0 when
A + B ≠ 0, so each m > 0 term needs A + B ≠ 0 or N ≥ m from the assumptions; otherwise the sum is
left alone. A sum over k with C(N, k + s) is first shifted to j = k + s; its range must then be
exactly 0..N. Powers in the index split as x^(αj+γ) = (x^α)^j x^γ for an integer α, the remainder
x^γ kept only when that split is an identity (γ a nonnegative integer, or x ≠ 0, x > 0 for a
non-integer γ).
"""

from __future__ import annotations

import sympy as sp

METHOD = "binomial sums in closed form (binomial theorem, falling-factorial moments)"


def _split_power(f: sp.Pow, j: sp.Symbol, n: sp.Expr) -> tuple[sp.Expr, sp.Expr, sp.Expr] | None:
    """(A-part, B-part, remainder) with f = A-part^j · B-part^(n−j) · remainder, or None."""
    base, exp = f.base, sp.expand(f.exp)
    if j in base.free_symbols or not exp.is_polynomial(j) or sp.degree(exp, j) != 1:
        return None
    alpha = exp.coeff(j)
    if not alpha.is_Integer:
        return None
    left = sp.expand(exp - alpha * j) if alpha > 0 else sp.expand(exp - alpha * j + alpha * n)
    if left != 0 and not ((left.is_integer and left.is_nonnegative) or (left.is_integer and base.is_nonzero)
                          or base.is_positive):
        return None
    rest = base**left
    return (base**alpha, sp.Integer(1), rest) if alpha > 0 else (sp.Integer(1), base ** (-alpha), rest)


def _falling_coefficients(p: sp.Expr, j: sp.Symbol) -> list[sp.Expr]:
    """c_m with p(j) = Σ_m c_m j(j−1)…(j−m+1): Newton's forward differences at 0, over m!."""
    deg = sp.degree(p, j) if p.has(j) else 0
    values = [p.xreplace({j: k}) for k in range(deg + 1)]
    out = []
    for m in range(deg + 1):
        diff = sum((-1) ** (m - i) * sp.binomial(m, i) * values[i] for i in range(m + 1))
        out.append(sp.expand(diff / sp.factorial(m)))
    return out


def closed_form(s: sp.Sum) -> sp.Expr | None:
    """The closed form of one binomial sum (module docstring), or None when it is not one."""
    if len(s.limits) != 1:
        return None
    k, lo, hi = s.limits[0]
    body = s.function
    binoms = [f for f in sp.Mul.make_args(body) if isinstance(f, sp.binomial) and k in f.free_symbols]
    if len(binoms) != 1:
        return None
    n, top = binoms[0].args
    shift = sp.expand(top - k)
    if k in n.free_symbols or k in shift.free_symbols or not (n.is_integer and n.is_nonnegative):
        return None
    if sp.expand(lo + shift) != 0 or sp.expand(hi + shift - n) != 0:
        return None
    j = sp.Dummy("j", integer=True, nonnegative=True)
    a, b, const, poly = sp.Integer(1), sp.Integer(1), sp.Integer(1), sp.Integer(1)
    for f in sp.Mul.make_args(body.xreplace({k: j - shift})):
        if j not in f.free_symbols:
            const *= f
        elif isinstance(f, sp.binomial):
            if sp.expand(f.args[0] - n) != 0 or sp.expand(f.args[1] - j) != 0:
                return None
        elif isinstance(f, sp.Pow) and j in f.exp.free_symbols:
            split = _split_power(f, j, n)
            if split is None:
                return None
            a, b, const = a * split[0], b * split[1], const * split[2]
        elif f.is_polynomial(j):
            poly *= f
        else:
            return None
    total = sp.Integer(0)
    for m, c in enumerate(_falling_coefficients(sp.expand(poly), j)):
        if c == 0:
            continue
        if m > 0 and not (sp.expand(n - m).is_nonnegative or sp.factor(a + b).is_nonzero):
            return None
        total += c * sp.expand_func(sp.ff(n, m)) * a**m * (a + b) ** (n - m)
    return const * total


def closed_forms(e: sp.Basic) -> sp.Basic:
    """``e`` with every binomial sum in it replaced by its closed form."""
    try:
        return _visit(e)
    except (TypeError, ValueError, AttributeError, NotImplementedError, RecursionError, sp.PolynomialError):
        return e


def _visit(node: sp.Basic) -> sp.Basic:
    if not node.args or not node.has(sp.Sum):
        return node
    if isinstance(node, sp.Sum):
        closed = closed_form(node)
        if closed is not None:
            return closed
    return node.func(*(_visit(x) for x in node.args))
