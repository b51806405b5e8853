"""A matrix equation multiplied by a scalar that is not a constant: (2/xᵀx)(Ax − R x) = 0 ⇔ Ax = R x.

``prove_equation_step`` guesses a constant factor between two matrix equations numerically; a factor
such as 2/xᵀx varies from point to point. Its candidates here are the scalar factors written in
front of each equation's difference (c₁ d = 0 and c₂ d' = 0 give r = c₂/c₁), and the ratio of the
coefficients of a term both differences have (λw + … = 0 and w + … = 0 give r = 1/λ). The step is proved
when d₂ − r·d₁ is zero by ``prove_zero`` and r is defined wherever the step is read, its
denominator nonzero by the declarations and assumed facts (xᵀx > 0); for ⇔ its numerator too, so
that d₁ = 0 and d₂ = 0 hold at the same points. Otherwise nothing is claimed.
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions import MatAdd, MatMul

from derivcheck_steps.canonical import Proof, prove_zero
from derivcheck_steps.context import Context
from derivcheck_steps.plain import plain
from derivcheck_steps.residuals import readable_residual


def _scalar_part(d: sp.Basic) -> sp.Expr:
    """The product of the scalar factors written in front of a matrix expression (1 if none)."""
    if isinstance(d, MatMul):
        return sp.Mul(*(a for a in d.args if not getattr(a, "is_Matrix", False)))
    return sp.Integer(1)


def _nonzero(e: sp.Expr, ctx: Context) -> bool:
    """Whether ``e`` is nonzero at every point the declarations and assumed facts allow."""
    if e.is_number:
        return e != 0
    seen = ctx.with_facts(e)
    return bool(seen.is_nonzero or seen.is_positive or seen.is_negative)


def _terms(d: sp.Basic) -> dict[sp.Basic, sp.Expr]:
    """The matrix part of each term of a matrix sum -> its scalar coefficient."""
    out: dict[sp.Basic, sp.Expr] = {}
    for t in (d.args if isinstance(d, MatAdd) else (d,)):
        if isinstance(t, MatMul):
            scalar = sp.Mul(*(a for a in t.args if not getattr(a, "is_Matrix", False)))
            matrix = MatMul(*(a for a in t.args if getattr(a, "is_Matrix", False)))
        else:
            scalar, matrix = sp.Integer(1), t
        out[matrix] = out.get(matrix, sp.Integer(0)) + scalar
    return out


def _candidates(d1: sp.Basic, d2: sp.Basic) -> list[sp.Expr]:
    """Scalar factors r with d₂ = r·d₁ to try: the ratio of the factors written in front of the two
    differences, then of the coefficients of a term the two share (λw in one, w in the other)."""
    out = [sp.cancel(sp.together(_scalar_part(d2) / _scalar_part(d1)))]
    t1, t2 = _terms(d1), _terms(d2)
    for m in sorted(set(t1) & set(t2), key=sp.default_sort_key):
        if t1[m] != 0:
            out.append(sp.cancel(sp.together(t2[m] / t1[m])))
    seen: list[sp.Expr] = []
    for r in out:
        if r not in seen and not r.is_number and not r.has(sp.nan, sp.zoo):
            seen.append(r)
    return seen[:3]


def prove_scalar_multiple(d1: sp.Basic, d2: sp.Basic, relation: str, ctx: Context) -> Proof | None:
    """A proof that d₂ = r·d₁ for a candidate scalar r (:func:`_candidates`), or None."""
    for r in _candidates(d1, d2):  # a constant factor is left to the numeric guess
        num, den = sp.fraction(r)
        if not _nonzero(den, ctx) or (relation == "⇔" and not _nonzero(num, ctx)):
            continue
        check = prove_zero(d2 - r * d1, ctx=ctx)
        if check.proved:
            readable = readable_residual(r, (d1, d2), ctx)  # in the document's names and indices
            shown = plain(readable, ctx) if readable is not None else "a scalar"
            return Proof(True, f"lhs − rhs is ({shown}) times the previous ({check.method}); {shown} is defined"
                               f"{' and nonzero' if relation == '⇔' else ''} under the declarations")
    return None
