"""Which residual a report shows for a refuted step: one the reader can read, or none.

A symbolic residual comes from the prover's canonical form, which may hold machinery of its own:
internal index names (``_s0``, the free entry index ``_r`` of an entrywise form), products of
exponentials that a logarithm was expanded into, and SymPy's 0-based entries. The document counts
from 1: its ``z_k`` is read as the entry ``z[k − 1, 0]`` and its ``δ_kl`` may come back from a
derivative as ``δ(k − 1, l − 1)``. So entries are shown in the document's indices (``z_k``, ``A_{kj}``),
Kronecker deltas and the prover's own 0-based sums (Σ over 0..N − 1) are shifted back by one, and
internal summation indices are renamed after the declared index over the same range
(``readable_dummies``). A residual that still holds internal names or products the step never
wrote is not shown (the counterexample and the values of both sides at it are).
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from derivcheck_steps.context import Context
from derivcheck_steps.latex.printer import readable_dummies


def _internal_names(expr: sp.Basic) -> bool:
    bound = {lim[0] for node in expr.atoms(sp.Sum, sp.Product) for lim in node.limits}
    return any(s.name.startswith("_") for s in expr.free_symbols | bound if isinstance(s, sp.Symbol))


def _entry(m: MatrixElement) -> sp.Basic:
    """The entry ``M[r, c]`` (0-based) as the document writes it: ``M_{r+1}`` of a vector, ``M_{r+1, c+1}``."""
    parent, r, c = m.args
    base = sp.IndexedBase(parent.name)
    if parent.shape[1] == 1 and c == 0:
        return sp.Indexed(base, r + 1)
    return sp.Indexed(base, r + 1, c + 1)


def _delta(d: sp.KroneckerDelta, ctx: Context) -> sp.Basic:
    """δ(k − 1, l − 1) and δ(0, l − k) as δ(k, l): the same value, in the document's indices.

    A difference of two declared indices is split back into them; otherwise both arguments are shifted
    back by one when that is simpler (never δ(k, l) → δ(k + 1, l + 1)).
    """
    a, b = d.args[:2]
    diff = sp.expand(a - b)
    terms = sp.Add.make_args(diff)
    if len(terms) == 2 and all(t.as_coeff_Mul()[1] in ctx.indices for t in terms):
        plus = [t for t in terms if t.as_coeff_Mul()[0] == 1]
        minus = [-t for t in terms if t.as_coeff_Mul()[0] == -1]
        if len(plus) == 1 and len(minus) == 1:
            return sp.KroneckerDelta(*sorted((plus[0], minus[0]), key=sp.default_sort_key))
    if sp.count_ops(a + 1) + sp.count_ops(b + 1) < sp.count_ops(a) + sp.count_ops(b):
        return sp.KroneckerDelta(a + 1, b + 1)
    return d


def _zero_based_sum(s: sp.Sum, ctx: Context) -> bool:
    uppers = {decl.upper for decl in ctx.indices.values()}
    return any(v.name.startswith("_") and lo == 0 and hi + 1 in uppers for v, lo, hi in s.limits)


def _one_based_sum(s: sp.Sum, ctx: Context) -> sp.Sum:
    """The prover's Σ over _s = 0..N − 1 as Σ over _s = 1..N (its body shifted), as the document counts."""
    uppers = {decl.upper for decl in ctx.indices.values()}
    body, limits = s.function, []
    for v, lo, hi in s.limits:
        if v.name.startswith("_") and lo == 0 and hi + 1 in uppers:
            body = body.xreplace({v: v - 1})
            limits.append((v, 1, hi + 1))
        else:
            limits.append((v, lo, hi))
    return sp.Sum(body, *limits)


def document_indices(expr: sp.Basic, ctx: Context) -> sp.Basic:
    """``expr`` with SymPy's 0-based entries, deltas and internal sums written 1-based, as the document is."""
    out = expr.replace(lambda e: isinstance(e, sp.Sum) and _zero_based_sum(e, ctx), lambda e: _one_based_sum(e, ctx))
    out = out.replace(lambda e: isinstance(e, MatrixElement) and isinstance(e.parent, sp.MatrixSymbol), _entry)
    return out.replace(lambda e: isinstance(e, sp.KroneckerDelta), lambda e: _delta(e, ctx))


def readable_residual(residual: sp.Basic, written: tuple[sp.Basic, ...], ctx: Context) -> sp.Basic | None:
    """``residual`` in the document's indices and names, or None if it still is not readable.

    ``written`` are the step's own expressions: a product (Π) in the residual that none of them
    holds was made by the prover and is not shown.
    """
    if isinstance(residual, sp.MatrixExpr) or not isinstance(residual, sp.Basic):
        shown = readable_dummies(residual, ctx)
    else:
        shown = readable_dummies(document_indices(residual, ctx), ctx)
    if _internal_names(shown):
        return None
    if shown.atoms(sp.Product) and not any(isinstance(e, sp.Basic) and e.atoms(sp.Product) for e in written):
        return None
    return shown
