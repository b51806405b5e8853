"""Traces in a normal form: linear, cyclic and transpose-invariant.

tr(A + cB) = tr A + c tr B; tr(XY) = tr(YX) for conformable X (m×n) and Y (n×m), so a product under
a trace may be rotated; tr(Mᵀ) = tr M, so a product may be replaced by its transpose
(Aᵀ… reversed). Each trace of a product is written with the least of these words (a fixed order),
so two expressions equal by these rules have the same form: tr(ABC) = tr(CAB), xᵀAx = tr(Axxᵀ),
tr(MᵀM) = tr(MMᵀ). tr(ABC) and tr(BAC) stay different, as they should.
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions import MatMul, Trace

from derivcheck_steps.noncommutative import words


def _key(word: list[sp.Basic]) -> tuple:
    return tuple(sp.srepr(f) for f in word)


def _least(word: list[sp.Basic]) -> list[sp.Basic]:
    flipped = [sp.Transpose(f).doit() for f in reversed(word)]
    candidates = [w[k:] + w[:k] for w in (word, flipped) for k in range(len(w))]
    return min(candidates, key=_key)


def _normal(tr: Trace) -> sp.Basic:
    terms = words(tr.arg)
    if terms is None:
        return tr
    total = sp.Integer(0)
    for coeff, word in terms:
        if not word:
            continue
        best = _least(word)
        total += coeff * Trace(MatMul(*best) if len(best) > 1 else best[0])
    return total


def cyclic_traces(e: sp.Basic) -> sp.Basic:
    """``e`` with every trace in the normal form of the module docstring, then expanded."""
    if not e.has(Trace):
        return e
    return sp.expand(e.xreplace({t: _normal(t) for t in e.atoms(Trace)}))
