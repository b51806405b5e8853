"""What a gradient step differentiates by, made something SymPy and finite differences can both use.

- A **defined name** (``ctx.define("u", 3*z + 1)``) is differentiated by as an independent
  variable — a partial derivative, as in ``∂L/∂z`` with ``z := wᵀx``: the step is checked in a
  context where that name is declared (and sampled) like any other symbol, not unfolded.
- **One entry of indexed data** (``x[i, k]``): SymPy differentiates sums of entries with Kronecker
  deltas; the range conditions it leaves (``k ≤ n`` for a declared index k over 1..n) hold by
  declaration and are settled here, and finite differences perturb that one entry.
- A **power of a 1×1 matrix** (``(aᵀx)²``) is written as a product before SymPy differentiates it
  (SymPy's matrix calculus fails on ``MatPow`` of a 1×1 product).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import sympy as sp
from sympy.matrices.expressions import MatPow, MatrixSymbol

from derivcheck_steps.context import Context, ScalarDecl
from derivcheck_steps.errors import DeclarationError, EvaluationError
from derivcheck_steps.evaluate import FLOAT, as_scalar, evaluate
from derivcheck_steps.numeric import FD_TOLERANCE, NumericOutcome
from derivcheck_steps.sampling import Instance

MAX_EXPANDED_POWER = 12  # (aᵀx)^k is written as k factors up to this k


def variable_context(ctx: Context, var: sp.Basic) -> Context:
    """The context a gradient in ``var`` is checked in: a defined name becomes a declared variable."""
    if var not in ctx.definitions:
        return ctx
    definitions = {k: v for k, v in ctx.definitions.items() if k != var}
    if isinstance(var, MatrixSymbol):
        return replace(ctx, matrices={**ctx.matrices, var: var.shape}, definitions=definitions)
    return replace(ctx, scalars={**ctx.scalars, var: ScalarDecl(var)}, definitions=definitions)


def check_variable(ctx: Context, var: sp.Basic) -> None:
    """Raise DeclarationError unless ``var`` can be differentiated by (a declared or defined name, or an entry)."""
    if isinstance(var, sp.Indexed):
        if var.base not in ctx.data:
            raise DeclarationError(f"differentiate w.r.t. {var}: {var.base} is not declared data (ctx.indexed)")
        for ix in var.indices:
            if ix.free_symbols - set(ctx.indices) - set(ctx.dims_):
                raise DeclarationError(f"differentiate w.r.t. {var}: its index {ix} is not a declared index")
        return
    if not (var in ctx.scalars or var in ctx.matrices or var in ctx.definitions):
        raise DeclarationError(
            f"differentiate w.r.t. {var}: {var} is not a declared scalar, vector or matrix, nor a defined name "
            "(to differentiate by one entry of indexed data, write x[i, k])"
        )


def expand_small_matpows(e: sp.Basic) -> sp.Basic:
    """``e`` with each power M**k of a 1×1 matrix (k a small positive integer) written as a product (M = Mᵀ)."""

    def small(m: sp.Basic) -> bool:
        return (isinstance(m, MatPow) and m.base.shape == (1, 1) and m.exp.is_Integer
                and 1 < int(m.exp) <= MAX_EXPANDED_POWER)

    def product(m: MatPow) -> sp.Basic:  # for k = 2, Mᵀ·M: SymPy then gives the symmetric form 2·a·aᵀ·x
        return sp.MatMul(m.base.T, m.base) if m.exp == 2 else sp.MatMul(*[m.base] * int(m.exp))

    return e.replace(small, product)


def settle_index_ranges(e: sp.Basic, ctx: Context) -> sp.Basic:
    """``e`` with range conditions on declared indices (``1 ≤ k``, ``k ≤ n`` for k over 1..n) made True."""
    true = {}
    for rel in e.atoms(sp.Rel):
        if isinstance(rel, (sp.LessThan, sp.GreaterThan)):
            small, big = (rel.lhs, rel.rhs) if isinstance(rel, sp.LessThan) else (rel.rhs, rel.lhs)
            if (small in ctx.indices and ctx.indices[small].upper == big) or (big in ctx.indices and small == 1):
                true[rel] = sp.true
    return e.xreplace(true) if true else e


def _moved(expr: sp.Basic, env: dict, base: sp.IndexedBase, array: np.ndarray, position: tuple, delta: float) -> float:
    moved = array.copy()
    moved[position] += delta
    return float(as_scalar(evaluate(expr, {**env, base: moved}, FLOAT)))


def entry_gradient(expr: sp.Basic, var: sp.Indexed, claimed: sp.Basic, instances: Sequence[Instance]) -> NumericOutcome:
    """Finite differences of ``expr`` in one entry ``var`` of indexed data, compared with ``claimed``."""
    worst, points, reasons = 0.0, 0, []
    for inst in instances:
        env = inst.floats
        try:
            position = tuple(int(as_scalar(evaluate(ix, env, FLOAT))) - 1 for ix in var.indices)
            array = np.asarray(env[var.base], dtype=float)
            if any(p < 0 for p in position):
                raise EvaluationError(f"index out of range in {var}")
            h = 1e-5 * max(1.0, abs(float(array[position])))

            fd = (_moved(expr, env, var.base, array, position, h) - _moved(expr, env, var.base, array, position, -h)) / (2 * h)
            c = float(as_scalar(evaluate(claimed, env, FLOAT)))
            err = abs(fd - c) / max(1.0, abs(fd), abs(c))
        except (EvaluationError, IndexError, KeyError) as exc:
            reasons.append(str(exc) or type(exc).__name__)
            continue
        points += 1
        worst = max(worst, err)
    if points == 0:
        return NumericOutcome("none", 0, None, "; ".join(sorted(set(reasons))) or "no instances")
    return NumericOutcome("agree" if worst <= FD_TOLERANCE else "disagree", points, worst)
