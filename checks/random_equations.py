"""Equations that contain E, Var or Cov: ⇒, ⇔ and solve steps checked on their exact values.

Each expectation is replaced by its exact value (:func:`expectations_replaced`),
which leaves deterministic equations for the equation provers (``⇔`` by a nonzero factor, solve by
the complete solution set). Matching two penalties, E[(y + σ Σ w_j ε_j)²] − y² = λ Σ w_j² ⇔ σ² = λ,
is then an ordinary equivalence. An expectation outside the exact engine (a third moment of a
variable known by two, a random vector) leaves the step UNKNOWN.
"""

from __future__ import annotations

from dataclasses import replace

import sympy as sp

from derivcheck_steps.context import Context
from derivcheck_steps.expectation import Undecidable, exact_value
from derivcheck_steps.model import Step
from derivcheck_steps.random_vectors import scalar_equations, uses_random_vectors
from derivcheck_steps.randomness import Cov, E, Var


def expectations_replaced(e: sp.Basic, ctx: Context) -> sp.Basic:
    """``e`` with each outermost E, Var and Cov replaced by its exact value; Undecidable if one has none.

    For steps the exact engine cannot compare as a whole (a square root of a sum beside an
    expectation, an equivalence of equations): what remains is deterministic.
    """
    nodes = [n for n in sp.preorder_traversal(e) if isinstance(n, (E, Var, Cov))]
    outer = [n for n in nodes if not any(n != m and m.has(n) for m in nodes)]
    return _canonical_dummies(e.xreplace({n: exact_value(n, ctx) for n in outer}))


def _canonical_dummies(e: sp.Basic, depth: int = 0) -> sp.Basic:
    """``e`` with each sum's index named by its depth (Σ_j w_j² and Σ_{b} w_b² become one) and empty terms dropped."""
    if isinstance(e, sp.Sum) and any(lo != 1 for _, lo, _ in e.limits):  # Σ_{k=0}^{d−1} f(k+1) = Σ_{k=1}^{d} f(k)
        shift: dict[sp.Basic, sp.Basic] = {}
        limits: list[tuple[sp.Basic, sp.Basic, sp.Basic]] = []
        for k, lo, hi in reversed(e.limits):  # outermost first; a shift keeps the number of terms
            lo, hi = lo.xreplace(shift), hi.xreplace(shift)  # an inner bound may name an outer index
            shift[k] = k + lo - 1
            limits.insert(0, (k, sp.Integer(1), hi - lo + 1))
        return _canonical_dummies(sp.Sum(e.function.xreplace(shift), *limits), depth)
    if isinstance(e, sp.Sum):  # limits are listed innermost first: the last one is at this depth
        names = {
            k: sp.Symbol(f"_s{depth + len(e.limits) - 1 - n}", integer=True, positive=True) for n, (k, _, _) in enumerate(e.limits)
        }
        body = _canonical_dummies(e.function.xreplace(names), depth + len(e.limits))
        limits = [(names[k], lo.xreplace(names), hi.xreplace(names)) for k, lo, hi in e.limits]
        out = sp.Integer(0)
        for term in sp.Add.make_args(sp.expand(body)):  # Σ_j s² w_j² = s² Σ_j w_j² (a solver sees s)
            inside = [f for f in sp.Mul.make_args(term) if f.free_symbols & set(names.values())]
            outside = sp.Mul(*[f for f in sp.Mul.make_args(term) if f not in inside])
            out += outside * sp.Sum(sp.Mul(*inside), *limits) if inside else term * sp.Sum(1, *limits)
        return out
    if not e.args or not e.has(sp.Sum):
        return e
    return e.func(*[_canonical_dummies(a, depth) for a in e.args])


def _evaluated(eq: sp.Basic, ctx: Context) -> sp.Basic:
    return sp.Eq(expectations_replaced(eq.lhs, ctx), expectations_replaced(eq.rhs, ctx), evaluate=False)


def evaluated_step(step: Step, ctx: Context, inst: list, seed: int = 0) -> tuple[Step, Context, list]:
    """The step with every E, Var, Cov of its equations (and premises) replaced by its exact value.

    With a random vector, the equations are first written with index sums (wᵀε = Σ_k w_k ε_k), in a
    context where the vector is a family, and the instances follow.
    """
    eqs = [step.before, step.after, *step.given]
    if not all(isinstance(e, sp.Equality) for e in eqs):
        raise Undecidable("'⇒' and '⇔' join two equations")
    if uses_random_vectors(ctx, *eqs):
        eqs, ctx, inst = scalar_equations(eqs, ctx, inst, seed)
    before, after, *given = (_evaluated(e, ctx) for e in eqs)
    return replace(step, before=before, after=after, given=tuple(given)), ctx, inst
