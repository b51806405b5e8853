"""Signs of quadratic forms: a sum of Gram terms c·uᵀu with c ≥ 0 is nonnegative.

For a real vector (or matrix) u, uᵀu = Σ u_i² ≥ 0 (its trace, for a matrix: ‖u‖_F²). A 1×1 claim
such as ``(1/N)‖Xv‖² + λ‖v‖² ≥ λ‖v‖²`` is read as traces; by linearity the difference is a sum of
``c·tr(w)`` over words w of matrix factors plus scalar terms. Each word is a Gram form when it reads
``A₁ ⋯ A_m A_mᵀ ⋯ A₁ᵀ``, that is uᵀu with u = A_mᵀ ⋯ A₁ᵀ (vᵀXᵀXv = (Xv)ᵀ(Xv)). If every
coefficient of a Gram word is ≥ 0 by the declarations and every other term is a scalar that SymPy's
assumptions show ≥ 0, the difference is ≥ 0; it is > 0 when a scalar term is > 0.
"""

from __future__ import annotations

from collections import defaultdict

import sympy as sp
from sympy.matrices.expressions import MatAdd, MatMul, Trace

from checks.context import Context


def _words(m: sp.Basic) -> list[tuple[sp.Expr, tuple]] | None:
    """A matrix expression as (scalar coefficient, word of matrix factors) terms, after expanding."""
    m = sp.expand(m.doit()).doit()
    out = []
    for t in m.args if isinstance(m, MatAdd) else (m,):
        if not hasattr(t, "as_coeff_mmul"):
            return None
        coeff, mm = t.as_coeff_mmul()
        factors = list(mm.args) if isinstance(mm, MatMul) else [mm]
        scalars = [f for f in factors if not getattr(f, "is_Matrix", False)]
        out.append((coeff * sp.Mul(*scalars), tuple(f for f in factors if getattr(f, "is_Matrix", False))))
    return out


def _terms(d: sp.Basic) -> dict[tuple, sp.Expr] | None:
    """``d`` as {word: coefficient}, the empty word for the scalar part; None when not of that shape."""
    acc: dict[tuple, sp.Expr] = defaultdict(lambda: sp.Integer(0))
    if getattr(d, "is_Matrix", False):
        d = Trace(d) if d.shape == (1, 1) else None
        if d is None:
            return None
    for term in sp.Add.make_args(sp.expand(d)):
        traces = [f for f in sp.Mul.make_args(term) if isinstance(f, Trace)]
        if not traces:
            if term.has(Trace) or any(getattr(a, "is_Matrix", False) for a in sp.preorder_traversal(term)):
                return None
            acc[()] += term
            continue
        if len(traces) != 1:
            return None
        coeff = sp.Mul(*[f for f in sp.Mul.make_args(term) if f is not traces[0]])
        words = _words(traces[0].arg)
        if words is None:
            return None
        for c, w in words:
            acc[w] += coeff * c
    return {w: sp.expand(c) for w, c in acc.items() if sp.expand(c) != 0}


def is_gram(word: tuple) -> bool:
    """Whether the word is A₁ ⋯ A_m A_mᵀ ⋯ A₁ᵀ, i.e. uᵀu for u = A_mᵀ ⋯ A₁ᵀ."""
    m, odd = divmod(len(word), 2)
    if odd or m == 0:
        return False
    return all(sp.Transpose(word[i]).doit() == word[len(word) - 1 - i] for i in range(m))


def gram_sign(d: sp.Basic, strict: bool, ctx: Context) -> str | None:
    """A proof text that ``d ≥ 0`` (``> 0`` if ``strict``) as a sum of Gram terms, or None."""
    terms = _terms(d)
    if terms is None or not any(terms):
        return None
    grams = []
    for w, c in terms.items():
        if w and not (is_gram(w) and ctx.with_facts(c).is_nonnegative):
            return None
        if w:
            grams.append(w)
    scalar = ctx.with_facts(terms.get((), sp.Integer(0)))
    if not (scalar.is_positive if strict else scalar.is_nonnegative):
        return None
    shown = ", ".join(str(MatMul(*w)) for w in grams)
    return f"a sum of Gram terms c·uᵀu = c·‖u‖² with c ≥ 0 ({shown})" + (" and a positive scalar" if strict else "")
