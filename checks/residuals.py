"""Which residual a report shows for a refuted step: one the reader can read, or none.

A symbolic residual comes from the prover's canonical form, which may hold machinery of its own:
internal index names (``_s0``, the free entry index ``_r`` of an entrywise form) and products of
exponentials that a logarithm was expanded into. Internal summation indices are renamed after the
declared index over the same range (``readable_dummies``); a residual that still holds internal
names or products the step never wrote is not shown (the counterexample and the values of both
sides at it are).
"""

from __future__ import annotations

import sympy as sp

from derivcheck_steps.context import Context
from derivcheck_steps.latex.printer import readable_dummies


def _internal_names(expr: sp.Basic) -> bool:
    bound = {lim[0] for node in expr.atoms(sp.Sum, sp.Product) for lim in node.limits}
    return any(s.name.startswith("_") for s in expr.free_symbols | bound if isinstance(s, sp.Symbol))


def readable_residual(residual: sp.Basic, written: tuple[sp.Basic, ...], ctx: Context) -> sp.Basic | None:
    """``residual`` with internal summation indices renamed, or None if it still is not readable.

    ``written`` are the step's own expressions: a product (Π) in the residual that none of them
    holds was made by the prover and is not shown.
    """
    shown = readable_dummies(residual, ctx)
    if _internal_names(shown):
        return None
    if shown.atoms(sp.Product) and not any(isinstance(e, sp.Basic) and e.atoms(sp.Product) for e in written):
        return None
    return shown
