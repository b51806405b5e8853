"""A matrix equation multiplied by a scalar that is not a constant: (2/xᵀx)(Ax − R x) = 0 ⇔ Ax = R x.

``prove_equation_step`` guesses a constant factor between two matrix equations numerically; a factor
such as 2/xᵀx varies from point to point. Its candidates here are the scalar factors written in
front of each equation's difference (c₁ d = 0 and c₂ d' = 0 give r = c₂/c₁). The step is proved
when d₂ − r·d₁ is zero by ``prove_zero`` and r is defined wherever the step is read, its
denominator nonzero by the declarations and assumed facts (xᵀx > 0); for ⇔ its numerator too, so
that d₁ = 0 and d₂ = 0 hold at the same points. Otherwise nothing is claimed.
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions import MatMul

from derivcheck_steps.canonical import Proof, prove_zero
from derivcheck_steps.context import Context


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


def prove_scalar_multiple(d1: sp.Basic, d2: sp.Basic, relation: str, ctx: Context) -> Proof | None:
    """A proof that d₂ = r·d₁ for a scalar r written in front of either difference, or None."""
    r = sp.cancel(sp.together(_scalar_part(d2) / _scalar_part(d1)))
    if r.is_number or r.has(sp.nan, sp.zoo):
        return None  # a constant factor: the numeric guess covers it
    num, den = sp.fraction(r)
    if not _nonzero(den, ctx) or (relation == "⇔" and not _nonzero(num, ctx)):
        return None
    check = prove_zero(d2 - r * d1, ctx=ctx)
    if not check.proved:
        return None
    return Proof(True, f"lhs - rhs is ({r}) times the previous ({check.method}); {r} is defined"
                       f"{' and nonzero' if relation == '⇔' else ''} under the declarations")
