"""Equality constraints on declared data: ``Σ_k y_k = 1``, ``‖u‖ = 1``, a one-hot ``y``.

A constraint is declared with ``% derivcheck: assume \\sum_{k=1}^{K} y_k = 1`` (or ``\\|u\\| = 1``,
``u^T u = 1``, ``\\sum_k u_k^2 = 1``) or as a property word (``vector y K one-hot``, ``data y k one-hot``).
Two consumers read it:

- the provers (:func:`apply_constraints`): sums are put in a normal form (constants pulled out,
  Kronecker deltas of a declared index summed away), then every sum equal to a constrained one
  (up to the name of its index) is replaced by its value, and in a product ``uᵀu`` is replaced by
  ``‖u‖²``'s value — substitution, so a step that needs the constraint is proved with it;
- the samplers (:func:`enforce`): every instance lies on the constraint (a shift for a sum, a
  rational point of the sphere for a unit norm, a standard basis vector for one-hot).

A constraint the sampler cannot draw on is a declaration error: numeric evidence never covers
points the declaration excludes, and a counterexample is never drawn off the constraint.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import sympy as sp
from sympy.matrices.expressions.matmul import MatMul

from derivcheck_steps.errors import DeclarationError
from derivcheck_steps.properties import rebuild

if TYPE_CHECKING:
    from derivcheck_steps.context import Context


@dataclass(frozen=True)
class Constraint:
    """``Σ_{index=lo}^{hi} body = value`` (kind "sum"), ``uᵀu = value`` ("norm") or one-hot ("onehot")."""

    kind: str
    target: sp.Basic  # the constrained IndexedBase or vector MatrixSymbol
    value: sp.Expr = sp.Integer(1)
    index: sp.Symbol | None = None
    lo: sp.Expr | None = None
    hi: sp.Expr | None = None
    body: sp.Expr | None = None
    squares: bool = False  # the sum is of squares: Σ u_k² = value (a norm of indexed data)


def _entry_target(body: sp.Basic, index: sp.Symbol) -> tuple[sp.Basic, bool] | None:
    """The base of ``y_k`` or ``y_k²`` (indexed data, or a vector's entry) and whether it is squared."""
    squared = isinstance(body, sp.Pow) and body.exp == 2
    core = body.base if squared else body
    if isinstance(core, sp.Indexed) and core.indices == (index,):
        return core.base, squared
    if isinstance(core, sp.matrices.expressions.matexpr.MatrixElement) and core.args[2] == 0 \
            and sp.expand(core.args[1] - (index - 1)) == 0 and isinstance(core.args[0], sp.MatrixSymbol):
        return core.args[0], squared
    return None


def constraint_of(relation: sp.Basic, ctx: Context) -> Constraint | None:
    """The constraint an equation ``assume``s, or None if it is not one of the supported forms."""
    if not isinstance(relation, sp.Equality):
        return None
    for lhs, rhs in ((relation.lhs, relation.rhs), (relation.rhs, relation.lhs)):
        if getattr(rhs, "is_Matrix", False) or rhs.free_symbols - set(getattr(ctx, "dims_", {})) or not rhs.is_real:
            continue
        if isinstance(lhs, sp.Sum) and len(lhs.limits) == 1:
            index, lo, hi = lhs.limits[0]
            found = _entry_target(lhs.function, index)
            if found is None:
                continue
            target, squared = found
            if squared and not _rational_root(rhs):
                raise DeclarationError(f"assume: Σ {target}² = {rhs} needs a value with a rational square root")
            _check_range(target, lo, hi, ctx)
            if squared and isinstance(target, sp.MatrixSymbol) and target.shape[1] == 1 and lo == 1 \
                    and sp.expand(hi - target.shape[0]) == 0:  # Σ_k u_k² over all of u: the norm uᵀu, as the reader
                return Constraint("norm", target, rhs)  # now reads ‖u‖² (a 1×1 product as a scalar)
            return Constraint("sum", target, rhs, index, lo, hi, lhs.function, squared)
        if isinstance(lhs, sp.Trace):
            lhs = lhs.arg
        if isinstance(lhs, MatMul) and len(lhs.args) == 2 and lhs.args[0] == sp.Transpose(lhs.args[1]) \
                and isinstance(lhs.args[1], sp.MatrixSymbol) and lhs.args[1].shape[1] == 1:
            if not _rational_root(rhs):
                raise DeclarationError(f"assume: ‖{lhs.args[1]}‖² = {rhs} needs a value with a rational square root")
            return Constraint("norm", lhs.args[1], rhs)
    return None


def _rational_root(v: sp.Expr) -> bool:
    r = sp.sqrt(v)
    return bool(r.is_Rational and r > 0)


def _check_range(target: sp.Basic, lo: sp.Expr, hi: sp.Expr, ctx: Context) -> None:
    """The sum must run over every entry: 1..K for a K-vector or data over an index of range K."""
    if isinstance(target, sp.MatrixSymbol):
        size = target.shape[0]
    else:
        decl = getattr(ctx, "data", {}).get(target)
        if decl is None or len(decl.indices) != 1:
            raise DeclarationError(f"assume: {target} is not data declared over one index")
        size = ctx.indices[decl.indices[0]].upper
    if lo != 1 or sp.expand(hi - size) != 0:
        raise DeclarationError(f"assume: a constraint sums over every entry of {target} (1 to {size}), not {lo} to {hi}")


def one_hot(target: sp.Basic, ctx: Context) -> Constraint:
    """The one-hot constraint of a vector or of data over one index (which also sums to 1)."""
    if isinstance(target, sp.MatrixSymbol):
        if target.shape[1] != 1:
            raise DeclarationError(f"one-hot: {target} is not a vector")
    else:
        decl = getattr(ctx, "data", {}).get(target)
        if decl is None or len(decl.indices) != 1:
            raise DeclarationError(f"one-hot: {target} is not data declared over one index")
    return Constraint("onehot", target)


def sum_form(c: Constraint, ctx: Context) -> Constraint:
    """A one-hot constraint as the sum constraint it implies (Σ y = 1), for the provers."""
    if c.kind != "onehot":
        return c
    j = sp.Dummy("j", integer=True, positive=True)
    if isinstance(c.target, sp.MatrixSymbol):
        return Constraint("sum", c.target, sp.Integer(1), j, sp.Integer(1), c.target.shape[0], c.target[j - 1, 0])
    decl = ctx.data[c.target]
    return Constraint("sum", c.target, sp.Integer(1), j, sp.Integer(1), ctx.indices[decl.indices[0]].upper, c.target[j])


def centred_sums(ctx: Context) -> list[Constraint]:
    """Centred data with one index (``centred x i``) as the sum constraint it declares, Σ_{i=1}^{N} x_i = 0,
    for the provers (the sampler centres such data itself)."""
    out = []
    for base, decl in getattr(ctx, "data", {}).items():
        if getattr(decl, "centred_over", None) is not None and len(decl.indices) == 1:
            j = sp.Dummy("j", integer=True, positive=True)
            out.append(Constraint("sum", base, sp.Integer(0), j, sp.Integer(1), ctx.indices[decl.indices[0]].upper, base[j]))
    return out


# -- provers ----------------------------------------------------------------------------------------


def _settle_deltas(e: sp.Basic, ctx: Context) -> sp.Basic:
    """``Σ_{s=1}^{K} f(s) δ(s, m)`` as ``f(m)`` for a declared index m over 1..K."""
    if not e.args:
        return e
    e = rebuild(e, [_settle_deltas(a, ctx) for a in e.args])
    if isinstance(e, sp.Sum) and len(e.limits) == 1:
        s, lo, hi = e.limits[0]
        factors = e.function.args if isinstance(e.function, sp.Mul) else (e.function,)
        for f in factors:
            if isinstance(f, sp.KroneckerDelta) and s in f.args:
                other = f.args[0] if f.args[1] == s else f.args[1]
                decl = getattr(ctx, "indices", {}).get(other)
                if decl is not None and lo == 1 and sp.expand(hi - decl.upper) == 0:
                    return (e.function / f).xreplace({s: other})
    return e


def _canonical_dummies(e: sp.Basic, depth: int = 0) -> sp.Basic:
    """Each sum's index renamed by its nesting depth alone (``_s0`` outermost), wherever the sum came from:
    a sum pulled out of another (a constant factor) then reads as one written outside."""
    if isinstance(e, sp.Sum) and len(e.limits) == 1:
        var, lo, hi = e.limits[0]
        new = sp.Symbol(f"_s{depth}", integer=True, positive=True)
        body = _canonical_dummies(e.function.xreplace({var: new}), depth + 1)
        return sp.Sum(body, (new, lo, hi))
    if not e.args or not e.has(sp.Sum):
        return e
    return rebuild(e, [_canonical_dummies(a, depth) for a in e.args])


def _same_sum(node: sp.Sum, c: Constraint) -> bool:
    if len(node.limits) != 1:
        return False
    s, lo, hi = node.limits[0]
    if lo != c.lo or sp.expand(hi - c.hi) != 0:
        return False
    if c.body is None:
        return False
    d = sp.Dummy("d", integer=True, positive=True)
    return sp.expand(node.function.xreplace({s: d}) - c.body.xreplace({c.index: d})) == 0


def _norm_products(e: sp.Basic, norms: list[Constraint]) -> sp.Basic:
    if not e.args or isinstance(e, sp.MatrixSymbol):
        return e
    e = rebuild(e, [_norm_products(a, norms) for a in e.args])
    if isinstance(e, MatMul):
        args, scale = list(e.args), sp.Integer(1)
        out: list[sp.Basic] = []
        for f in args:
            hit = next((c for c in norms if out and (out[-1], f) == (sp.Transpose(c.target), c.target)), None)
            if hit is not None:
                out.pop()
                scale *= hit.value
            else:
                out.append(f)
        if scale != 1 or len(out) != len(args):
            mats = [f for f in out if isinstance(f, sp.MatrixExpr)]
            scal = sp.Mul(*(f for f in out if not isinstance(f, sp.MatrixExpr))) * scale
            return scal * (MatMul(*mats).doit(deep=False) if mats else sp.Identity(1))
    return e


def apply_constraints(expr: sp.Basic, ctx: Context, *, keep: frozenset = frozenset()) -> sp.Basic:
    """``expr`` with every constrained sum or squared norm replaced by its value (see the module docstring)."""
    from derivcheck_steps.sums import expand_sums

    cons = [sum_form(c, ctx) for c in [*getattr(ctx, "constraints", []), *centred_sums(ctx)] if c.target not in keep]
    if not cons:
        return expr
    if isinstance(expr, sp.Rel):  # each side on its own: an equation must never evaluate to True here
        return rebuild(expr, [apply_constraints(a, ctx, keep=keep) for a in expr.args])
    present = expr.atoms(sp.IndexedBase, sp.MatrixSymbol)
    summable = expr.has(sp.Sum) and not expr.has(sp.Derivative) and not getattr(expr, "is_Matrix", False)
    if summable and any(c.kind == "sum" for c in cons):
        # every sum's index named by its depth, in every form, so the two sides of a step (one rewritten by
        # the constraint, one not) name the same sum alike: renaming a bound index changes nothing
        expr = _canonical_dummies(expr)
    cons = [c for c in cons if c.target in present]
    sums = [c for c in cons if c.kind == "sum"]
    norms = [c for c in cons if c.kind == "norm"]
    if sums and summable:
        normal = _settle_deltas(expand_sums(_settle_deltas(expr, ctx)), ctx)
        hits = [n for n in normal.atoms(sp.Sum) if any(_same_sum(n, c) for c in sums)]
        if hits:  # only a form that uses the constraint replaces the written one
            expr = _canonical_dummies(normal.xreplace({n: next(c.value for c in sums if _same_sum(n, c)) for n in hits}))
    if norms:
        from derivcheck_steps.properties import expanded, matrix_parts

        expr = matrix_parts(expr, lambda m: _norm_products(expanded(m), norms))
        expr = _norm_products(expr, norms)
    return expr


# -- samplers ---------------------------------------------------------------------------------------


def _unit(rng: np.random.Generator, n: int, simple: bool) -> list[sp.Rational]:
    """A rational point of the unit sphere in n dimensions (inverse stereographic projection)."""
    if n == 1:
        return [sp.Integer(int(rng.choice([-1, 1])))]
    if simple and rng.random() < 0.5:
        out = [sp.Integer(0)] * n
        out[int(rng.integers(n))] = sp.Integer(int(rng.choice([-1, 1])))
        return out
    t = [sp.Rational(int(rng.integers(-4, 5)), int(rng.integers(1, 4))) for _ in range(n - 1)]
    s = sum((x * x for x in t), sp.Integer(0))
    out = [2 * x / (s + 1) for x in t] + [(s - 1) / (s + 1)]
    perm = rng.permutation(n)
    return [out[int(k)] for k in perm]


def _signed_data(ctx: Context, target: object) -> bool:
    """Whether ``target`` is data declared with nonnegative entries (its sum constraint is met by rescaling)."""
    decl = ctx.data.get(target) if isinstance(target, sp.IndexedBase) else None
    return decl is not None and decl.nonnegative


def enforce(ctx: Context, exact: dict, rng: np.random.Generator, simple: bool) -> None:
    """Move the drawn values of ``exact`` onto every declared constraint (in place)."""
    for c in getattr(ctx, "constraints", []):
        arr = exact.get(c.target)
        if arr is None:
            continue
        flat = arr.reshape(-1)
        n = flat.shape[0]
        if c.kind == "onehot":
            flat[:] = [sp.Integer(0)] * n
            flat[int(rng.integers(n))] = sp.Integer(1)
        elif c.kind == "norm" or c.squares:
            r = sp.sqrt(sp.sympify(c.value, strict=True).xreplace({k: v for k, v in exact.items() if isinstance(k, sp.Symbol)}))
            flat[:] = [r * v for v in _unit(rng, n, simple)]
        else:
            value = sp.sympify(c.value, strict=True).xreplace({k: v for k, v in exact.items() if isinstance(k, sp.Symbol)})
            total = sum(flat, sp.Integer(0))
            if _signed_data(ctx, c.target) and total > 0 and value > 0:  # π_k > 0, Σ π_k = 1: a rescaling keeps the sign
                flat[:] = [v * value / total for v in flat]
            else:
                shift = (value - total) / n
                flat[:] = [v + shift for v in flat]
        exact[c.target] = flat.reshape(arr.shape)


__all__ = ["Constraint", "apply_constraints", "constraint_of", "enforce", "one_hot", "sum_form"]
