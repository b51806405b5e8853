"""Per-example vectors and entrywise matrix calculus.

``% derivcheck: vector x d per i`` declares one vector ``x_i ∈ ℝ^d`` for each ``i`` (also written
``x^{(i)}``). It is stored as data ``x[i, r]`` over ``i`` and a hidden entry index, and read as the
column ``FunctionMatrix(d, 1, (r, c) ↦ x[i, r + 1])``, so ``w^\\top x_i`` is a 1×1 product, ``x_i x_i^\\top``
a d×d matrix and ``\\sum_i s_i x_i`` the vector whose r-th entry is ``Σ_i s_i x[i, r + 1]``.

A sum of matrices, and a gradient or Hessian of a scalar written with entries (``Σ_k w_k x_{ik}``, or
with per-example vectors), is built entry by entry with SymPy's scalar derivative in ``w[r]``: exact,
no matrix calculus (whose rules do not reach entries inside sums). ``Σ_k f(k) δ(k, m)`` is collapsed
to ``f(m)`` only when ``m``'s range lies inside the sum's.
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

#: the row and column variables of every entrywise matrix (SymPy counts them from 0)
R = sp.Symbol("_r", integer=True, nonnegative=True)
C = sp.Symbol("_c", integer=True, nonnegative=True)
_ENTRY = "_entry"


class Entries(sp.FunctionMatrix):
    """A matrix given by its (r, c) entry. ``doit`` keeps the entries as written: SymPy's summation
    algorithms on them (hypergeometric terms of exp(Σ…)) take minutes and are never needed here."""

    def doit(self, **hints: object) -> Entries:
        return self

    def _shown(self) -> tuple[sp.Basic, str]:
        """The entry with rows and columns counted from 1 (r, c), and the ranges."""
        r, c = sp.Symbol("r", integer=True, positive=True), sp.Symbol("c", integer=True, positive=True)
        column = sp.Integer(0) if self.shape[1] == 1 else c - 1
        value = self.lamda.expr.xreplace({self.lamda.variables[0]: r - 1, self.lamda.variables[1]: column})
        return value, ("r" if self.shape[1] == 1 else "r,c")

    def _derivcheck_plain(self, printer: object) -> str:
        value, over = self._shown()
        return f"[{printer._print(value)}]_{over}"

    def _sympystr(self, printer: object) -> str:
        return self._derivcheck_plain(printer)

    def _latex(self, printer: object) -> str:
        value, over = self._shown()
        return rf"\left[{printer._print(value)}\right]_{{{over}}}"


def entry_index_name(name: str) -> str:
    """The hidden index over the entries of the per-example vector ``name``."""
    return f"_{name}{_ENTRY}"


def family_size(ctx: object, base: sp.Basic) -> sp.Expr | None:
    """The length d of a per-example vector family (``vector x d per i``), or None for other data."""
    decl = getattr(ctx, "data", {}).get(base)
    if decl is None or not decl.indices:
        return None
    last = decl.indices[-1]
    if not (last.name.startswith("_") and last.name.endswith(_ENTRY)):
        return None
    return ctx.indices[last].upper


def member(base: sp.IndexedBase, leading: tuple, size: sp.Expr) -> sp.MatrixExpr:
    """``x_i``: the column of the family ``base`` at the leading indices."""
    return Entries(size, 1, sp.Lambda((R, C), base[(*leading, R + 1)]))


def canonical(e: sp.Basic) -> sp.Basic:
    """``e`` with SymPy's dummy summation variables renamed by depth and counted from 1 (one spelling per sum)."""
    if not e.has(sp.Sum):
        return e

    def walk(x: sp.Basic, depth: int) -> sp.Basic:
        if isinstance(x, sp.Sum) and any(isinstance(lim[0], sp.Dummy) for lim in x.limits):
            body, limits = x.function, []
            for v, lo, hi in reversed(x.limits):  # outermost first
                if not isinstance(v, sp.Dummy):
                    limits.append((v, lo, hi))
                    continue
                if sp.expand(hi - lo) == 0:  # one term (a product of 1×1 factors): its value
                    body = body.xreplace({v: lo})
                    continue
                taken = body.atoms(sp.Symbol)
                n = depth + len(limits)
                while sp.Symbol(f"_s{n}", integer=True) in taken:
                    n += 1
                fresh = sp.Symbol(f"_s{n}", integer=True)
                body = body.xreplace({v: fresh + lo - 1})
                limits.append((fresh, sp.Integer(1), hi - lo + 1))
            body = walk(body, depth + len(limits))
            return sp.Sum(body, *reversed(limits)) if limits else body
        if not x.args or x.is_Atom:
            return x
        args = [walk(a, depth + (1 if isinstance(x, sp.Sum) else 0)) for a in x.args]
        return x.func(*args) if any(a is not b for a, b in zip(args, x.args, strict=True)) else x

    return walk(e, 0)


def entry(m: sp.MatrixExpr, i: sp.Basic, j: sp.Basic) -> sp.Basic:
    """``m[i, j]`` in canonical form; a product of 1×1 factors is the product of their entries."""
    if m.shape == (1, 1) and isinstance(m, sp.MatMul):
        factors = [a for a in m.args if isinstance(a, sp.MatrixExpr)]
        if all(f.shape == (1, 1) for f in factors):
            scalars = [a for a in m.args if not isinstance(a, sp.MatrixExpr)]
            return sp.Mul(*scalars, *(entry(f, 0, 0) for f in factors))
    if m.shape == (1, 1) and isinstance(m, sp.Transpose):
        return entry(m.arg, 0, 0)
    return canonical(m[i, j])


def entrywise(m: sp.MatrixExpr, entries: sp.Basic) -> sp.MatrixExpr:
    """The matrix of ``m``'s shape whose (R, C) entry is ``entries``."""
    return Entries(m.shape[0], m.shape[1], sp.Lambda((R, C), entries))


def matrix_sum(body: sp.MatrixExpr, ranges: list[tuple[sp.Symbol, sp.Basic, sp.Basic]]) -> sp.MatrixExpr:
    """``Σ_i body_i`` for a matrix-valued body: the matrix of the entrywise sums."""
    value = entry(body, R, C)
    for var, lo, hi in reversed(ranges):
        value = sp.Sum(value, (var, lo, hi))
    return entrywise(body, value)


def uses_entries(body: sp.Basic, var: sp.MatrixSymbol) -> bool:
    """Whether ``body`` is written with entries of ``var`` or with per-example vectors (then: entrywise calculus)."""
    return body.has(sp.FunctionMatrix) or any(isinstance(a, MatrixElement) and a.parent == var
                                              for a in sp.preorder_traversal(body))


def as_entries(body: sp.Basic) -> sp.Basic:
    """A scalar or 1×1 ``body`` as one scalar expression of entries."""
    if isinstance(body, sp.MatrixExpr):
        body = entry(body, 0, 0)
    return canonical(body.doit(deep=False) if isinstance(body, sp.MatrixExpr) else body)


def entry_gradient(body: sp.Basic, var: sp.MatrixSymbol, ctx: object) -> sp.MatrixExpr:
    """∇_var of the scalar ``body``: the column whose r-th entry is ∂ body / ∂ var[r]."""
    ranges = {R: (sp.Integer(0), var.shape[0] - 1)}
    return Entries(var.shape[0], 1, sp.Lambda((R, C), collapse_deltas(
        sp.diff(as_entries(body), var[R, 0]), ctx, ranges)))


def entry_hessian(body: sp.Basic, var: sp.MatrixSymbol, ctx: object) -> sp.MatrixExpr:
    """∇²_var of the scalar ``body``: (r, c) entry ∂² body / ∂ var[r] ∂ var[c]."""
    n = var.shape[0]
    ranges = {R: (sp.Integer(0), n - 1), C: (sp.Integer(0), n - 1)}
    first = collapse_deltas(sp.diff(as_entries(body), var[R, 0]), ctx, ranges)
    return Entries(n, n, sp.Lambda((R, C), collapse_deltas(sp.diff(first, var[C, 0]), ctx, ranges)))


def collapse_deltas(e: sp.Basic, ctx: object, ranges: dict | None = None) -> sp.Basic:
    """``Σ_{k=lo}^{hi} f(k) δ(k, a)`` -> ``f(a)`` when ``a``'s range (a declared index, or ``ranges``) is inside lo..hi."""
    if not e.has(sp.KroneckerDelta):
        return e
    known = {ix: (sp.Integer(1), decl.upper) for ix, decl in getattr(ctx, "indices", {}).items()}
    known.update(ranges or {})
    e = e.replace(lambda x: isinstance(x, sp.Sum) and len(x.limits) == 1 and x.function.has(sp.KroneckerDelta),
                  lambda x: _collapse_sum(x, known))
    return _unranged_deltas(e, known)


def _unranged_deltas(e: sp.Basic, known: dict) -> sp.Basic:
    """δ(a, b) for SymPy's ranged δ(a, b, (lo, hi)) (0 outside lo..hi) when a and b always lie in the range."""
    return e.replace(lambda x: isinstance(x, sp.KroneckerDelta) and x.delta_range is not None
                     and all(_within(a, *x.delta_range, known) for a in x.args[:2]),
                     lambda x: sp.KroneckerDelta(*x.args[:2]))


def _within(at: sp.Basic, lo: sp.Basic, hi: sp.Basic, known: dict) -> bool:
    """Whether ``at`` (a known-range symbol plus a constant) always lies in lo..hi."""
    free = [s for s in at.free_symbols if s in known]
    if len(free) != 1 or at.free_symbols != {free[0]}:
        return False
    s = free[0]
    shift = sp.expand(at - s)
    if not shift.is_Integer:
        return False
    a_lo, a_hi = known[s]
    below, above = sp.expand(a_lo + shift - lo), sp.expand(hi - a_hi - shift)
    return below.is_Integer and below >= 0 and above.is_Integer and above >= 0


def _collapse_sum(s: sp.Sum, known: dict) -> sp.Basic:
    (k, lo, hi), out, rest = s.limits[0], sp.Integer(0), []
    for term in sp.Add.make_args(sp.expand(s.function)):
        value = None
        for f in sp.Mul.make_args(term):
            if isinstance(f, sp.KroneckerDelta):
                gap = sp.expand(f.args[0] - f.args[1])
                c = gap.coeff(k)
                at = -(gap - c * k) / c if c in (1, -1) and not (gap - c * k).has(k) else None
                if at is not None and _within(at, lo, hi, known):
                    value = (term / f).subs(k, at)
                    break
        if value is None:
            rest.append(term)
        else:
            out += value
    return out + (sp.Sum(sp.Add(*rest), s.limits[0]) if rest else 0)


def is_1x1(v: sp.Basic) -> bool:
    """Whether ``v`` is a 1×1 matrix expression (``w^\\top x``)."""
    return isinstance(v, sp.MatrixExpr) and v.shape == (1, 1)


def one_by_one(a: sp.Basic, b: sp.Basic, op: str) -> tuple[sp.Basic, sp.Basic]:
    """A 1×1 product (``w^T x``) used as a scalar: the rule that makes ``a op b`` well formed.

    Beside a scalar in a sum, the scalar becomes ``c·I₁`` (the 1×1 stays a matrix, so gradients in
    ``w`` remain SymPy's matrix calculus); as a factor of a column (row) vector it moves to the side
    where the product is defined (``(w^T x) x`` is ``x (w^T x)``); anywhere else it is its entry.
    """
    if op in ("+", "-"):
        if is_1x1(a) and not isinstance(b, sp.MatrixExpr) and b != 0:
            return a, b * sp.Identity(1)
        if is_1x1(b) and not isinstance(a, sp.MatrixExpr) and a != 0:
            return a * sp.Identity(1), b
        return a, b
    if op == "*" and is_1x1(a) != is_1x1(b) and isinstance(a, sp.MatrixExpr) and isinstance(b, sp.MatrixExpr):
        m, other = (a, b) if is_1x1(a) else (b, a)
        if other.shape[1] == 1 and other.shape[0] != 1:
            return other, m  # a column times the 1×1: other · m
        if other.shape[0] == 1 and other.shape[1] != 1:
            return m, other
        return (entry(m, 0, 0), other) if m is a else (other, entry(m, 0, 0))
    if op == "/" and is_1x1(b):
        return a, entry(b, 0, 0)
    return a, b
