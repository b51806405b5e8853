"""An identity matrix whose size is the one its position demands: ``% derivcheck: identity I``.

``identity I n`` declares ``I`` as the n×n identity; ``identity I`` (no size) declares an ``I`` that
takes its size where it is used: in ``X^T X + \\lambda I`` it is n×n (X is N×n), in ``X X^T + I``
N×n… N×N, so one document may use identities of different sizes under one name. ``I_n`` and
``I_N`` always name the identity of a declared size.

The reader builds the flexible ``I`` as ``Identity(SIZE)`` with a placeholder size; as each sum,
difference, product or relation is built, :func:`fit_identities` replaces the placeholder by the
size the other operand demands. A placeholder still unresolved when the formula is complete (an
``I`` alone) is an error that asks for a size (``I_n``).
"""

from __future__ import annotations

import sympy as sp

#: the placeholder size of a flexible identity (never a declared name: it starts with an underscore)
SIZE = sp.Symbol("_identity_size", integer=True, positive=True)


def flexible_identity() -> sp.Identity:
    """The identity whose size is still to be fitted."""
    return sp.Identity(SIZE)


def is_flexible(v: sp.Basic) -> bool:
    """Whether ``v`` is a matrix expression whose shape still holds the placeholder size."""
    return isinstance(v, sp.MatrixExpr) and any(SIZE in sp.sympify(d, strict=True).free_symbols for d in v.shape)


def _fit(v: sp.Basic, size: sp.Expr) -> sp.Basic:
    return v.xreplace({SIZE: size})


def fit_identities(op: str, a: sp.Basic, b: sp.Basic) -> tuple[sp.Basic, sp.Basic]:
    """``a`` and ``b`` with a flexible identity sized by the other operand of ``op`` (``*``, ``+``, ``-``, ``=``…)."""
    fa, fb = is_flexible(a), is_flexible(b)
    if fa == fb or not isinstance(a, sp.MatrixExpr) or not isinstance(b, sp.MatrixExpr):
        return a, b
    if op == "*":
        if fa and a.shape[1] == SIZE:
            return _fit(a, b.shape[0]), b
        if fb and b.shape[0] == SIZE:
            return a, _fit(b, a.shape[1])
        return a, b
    fixed = b if fa else a
    if fixed.shape[0] != fixed.shape[1]:
        if op in ("+", "-"):
            raise sp.ShapeError(f"an identity cannot be added to a {fixed.shape[0]}×{fixed.shape[1]} matrix")
        return a, b  # beside a relation: the step reports the size it could not fit
    return (_fit(a, fixed.shape[0]), b) if fa else (a, _fit(b, fixed.shape[0]))


__all__ = ["SIZE", "fit_identities", "flexible_identity", "is_flexible"]
