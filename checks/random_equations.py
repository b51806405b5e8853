"""Equations that contain E, Var or Cov: ⇒, ⇔ and solve steps checked on their exact values.

Each expectation is replaced by its exact value (:func:`checks.expectation.expectations_replaced`),
which leaves deterministic equations for the equation provers (``⇔`` by a nonzero factor, solve by
the complete solution set). Matching two penalties, E[(y + σ Σ w_j ε_j)²] − y² = λ Σ w_j² ⇔ σ² = λ,
is then an ordinary equivalence. An expectation outside the exact engine (a third moment of a
variable known by two, a random vector) leaves the step UNKNOWN.
"""

from __future__ import annotations

from dataclasses import replace

import sympy as sp

from checks.context import Context
from checks.expectation import Undecidable, expectations_replaced
from checks.model import Step
from checks.random_vectors import uses_random_vectors


def _evaluated(eq: sp.Basic, ctx: Context) -> sp.Basic:
    if not isinstance(eq, sp.Equality):
        raise Undecidable("'⇒' and '⇔' join two equations")
    if uses_random_vectors(ctx, eq):
        raise Undecidable("an equation step with a random vector is outside the exact engine (write it as '=' steps)")
    return sp.Eq(expectations_replaced(eq.lhs, ctx), expectations_replaced(eq.rhs, ctx), evaluate=False)


def evaluated_step(step: Step, ctx: Context) -> Step:
    """The step with every E, Var, Cov of its equations (and premises) replaced by its exact value."""
    return replace(step, before=_evaluated(step.before, ctx), after=_evaluated(step.after, ctx),
                   given=tuple(_evaluated(g, ctx) for g in step.given))
