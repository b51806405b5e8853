"""Symbolic provers: equality to zero, gradients, solving, equivalence of equations, signs.

The provers live by concept: ``derivcheck_steps.canonical`` (``prove_zero`` and the canonical forms, with
the context's rules: symmetric matrices, geometric sums, inverses cleared), ``derivcheck_steps.equations``
(⇒/⇔ steps and solving); this module keeps the domain check of ``=`` steps, gradients and signs,
and is the one place the engine imports them from.

Each prover returns a ``Proof``: ``proved`` is True only when a symbolic argument holds under
the declared assumptions; otherwise ``reason`` says why not and ``residual`` carries the
simplest form of the difference it reached. Cheap canonical forms are tried before heavy ones.

Rules that keep a proof honest (issue 12):
- sums follow the empty-sum convention (``derivcheck_steps.sums.empty_sum_convention``) before any SymPy
  form can apply Karr's reversed-range rule;
- an identity of rational functions says nothing where a denominator vanishes, so ``=``, ⇒ and ⇔
  steps also need both sides defined at the same points (``derivcheck_steps.domains``): a cancelled factor
  needs its condition from the context, and ``Proof.gaps`` names it;
- a solve step needs the complete solution set (degree-1 polynomial, ``solveset`` over the declared
  domain returning a finite set, or a strictly monotone power), never ``sympy.solve``'s principal one.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp
from sympy.matrices.expressions import MatrixSymbol

from derivcheck_steps import domains, signs
from derivcheck_steps.canonical import Proof, canonical_forms, is_matrix, prove_in_context, prove_zero, symmetric_replaced
from derivcheck_steps.context import Context
from derivcheck_steps.equations import difference, prove_equation_step, prove_solve

__all__ = ["Proof", "canonical_forms", "difference", "gradient", "is_matrix", "prove_equation_step", "prove_sign",
           "prove_solve", "prove_zero", "same_domain", "symmetric_replaced"]


def same_domain(proof: Proof, before: sp.Basic, after: sp.Basic, ctx: Context) -> Proof:
    """A proof of ``before − after = 0`` (where defined) kept only if both sides are defined at the same points.

    ``(x² − 1)/(x − 1) = x + 1`` cancels a factor: the left side is undefined at x = 1, the right
    is 2. Such a step is PROVED only when the context gives the condition (x − 1 ≠ 0).

    A difference the plain canonical forms did not settle gets the rules that need the context
    first (``derivcheck_steps.canonical.prove_in_context``: symmetric matrices, inverses, geometric sums, logs).
    """
    if not proof.proved:
        proof = prove_in_context(before - after, ctx) or proof
    if not proof.proved or is_matrix(before) or is_matrix(after):
        return proof
    c1, c2 = domains.conditions(before), domains.conditions(after)
    needs = sorted({str(c) for c in c1 ^ c2 if not domains.holds_by_context(c, ctx)
                    and not (c.kind == "nonzero" and domains.Condition("nonzero", -c.expr) in (c1 & c2))})
    if needs:
        return Proof(False, "canonical forms", sp.Integer(0),
                     f"equal where both sides are defined ({proof.method}), but one side is undefined where "
                     f"the other is not: the step needs {', '.join(needs)} (declare it with ctx.assume)",
                     tuple(needs))
    return proof


def gradient(e: sp.Basic, var: sp.Basic, ctx: Context | None = None) -> sp.Basic:
    """The derivative of a scalar ``e`` in a scalar ``var``, or its gradient in a vector ``var``.

    With ``ctx``, a declared symmetric M appears as M, not Mᵀ (∇_β βᵀMβ = Mβ + Mᵀβ = 2Mβ).
    """
    if isinstance(var, MatrixSymbol) or is_matrix(e):
        return symmetric_replaced(e.diff(var), ctx)
    return sp.diff(e, var)


def prove_sign(d: sp.Basic, strict: bool, given: Sequence[sp.Basic], ctx: Context) -> Proof:
    """Prove ``d > 0`` (``>= 0`` if not strict) from assumptions and hypotheses ``h > 0``."""

    def positive(e: sp.Basic) -> bool:
        e = ctx.with_facts(e)
        for form in (e, sp.cancel(e), sp.factor(e)):
            if (form.is_positive if strict else form.is_nonnegative):
                return True
        return False

    if positive(d):
        return Proof(True, "sign from the declared assumptions")
    found = signs.gram_sign(d, strict, ctx) or signs.monotone_sign(d, strict, ctx) or signs.substituted_sign(d, strict, ctx)
    if found is not None:
        return Proof(True, found)
    for h in given:
        hd = _positive_part(h)
        if hd is None:
            continue
        r = sp.cancel(d / hd)
        if positive(r):
            return Proof(True, f"equals ({sp.factor(r)}) times the hypothesis {h}, a positive factor")
    return Proof(False, "sign", sp.cancel(d), "could not establish the sign from assumptions and hypotheses")


def _positive_part(h: sp.Basic) -> sp.Basic | None:
    if isinstance(h, sp.StrictGreaterThan):
        return h.lhs - h.rhs
    if isinstance(h, sp.StrictLessThan):
        return h.rhs - h.lhs
    return None
