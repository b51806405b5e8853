"""Numeric checks that need points where a premise holds: implications and hypotheses.

For ``E1 ⇒ E2`` the checker builds points that satisfy E1 by solving it exactly for one
variable (E1 linear in a scalar, or affine in a vector; otherwise SymPy's ``solveset`` at the
instance, several members of a periodic family such as sin x = 1), then evaluates E2 there. A
point where E1 holds and E2 is undefined (a pole, 0/0) is a counterexample. For ⇔ both
directions need points, or the outcome is no evidence. For a claim under hypotheses it keeps
the instances where the hypotheses hold.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import sympy as sp

from derivcheck_steps.context import Context
from derivcheck_steps.errors import EvaluationError
from derivcheck_steps.evaluate import EXACT, FLOAT, as_scalar, evaluate
from derivcheck_steps.numeric import NumericOutcome, _inputs, _text, as_scalar_if_1x1, symbols_of
from derivcheck_steps.precision import confirmed_nonzero as exact_nonzero
from derivcheck_steps.premise_points import _undefined, plan, premise_points
from derivcheck_steps.sampling import Instance


def check_implication(
    before: sp.Eq, after: sp.Eq, relation: str, preferred: sp.Basic | None, instances: Sequence[Instance],
    ctx_dims: set, ctx: Context | None = None,
) -> NumericOutcome:
    """Evaluate ``after`` at exact points where ``before`` holds (and the converse for ⇔).

    A point where the premise holds and the conclusion is undefined (a pole, 0/0) is a
    counterexample: an equation with an undefined side does not hold. Points that violate a
    fact assumed in ``ctx`` are not used. For ⇔ both directions need points; a direction with
    none is named, and the outcome is then no evidence, never agreement on one side only.
    """
    directions = [(before, after)] + ([(after, before)] if relation == "⇔" else [])
    points, reasons = 0, set()
    syms = symbols_of(before.lhs, before.rhs, after.lhs, after.rhs)
    empty, counts = [], []  # directions without a point; evaluated points per direction
    for premise, conclusion in directions:
        d1 = premise.lhs - premise.rhs
        free = sorted((s for s in symbols_of(d1) if s not in ctx_dims and not isinstance(s, sp.IndexedBase)), key=str)
        candidates = ([preferred] if preferred is not None else []) + [s for s in free if s != preferred]
        converse = premise is after and relation == "⇔"
        here = 0
        pp = plan(d1, conclusion.lhs - conclusion.rhs, candidates) if instances else None
        for inst in instances:
            found = premise_points(pp, inst, ctx)
            if not found:
                reasons.add("no point where the premise holds could be built at an instance")
            for assigned in found:
                env = {**inst.exact, **assigned}
                point = Instance(env, {}, inst.simple)
                try:
                    lhs = as_scalar_if_1x1(evaluate(conclusion.lhs, env, EXACT))
                    rhs = as_scalar_if_1x1(evaluate(conclusion.rhs, env, EXACT))
                except EvaluationError as exc:
                    if not _undefined(exc):
                        reasons.add(str(exc))
                        continue
                    which = ("the previous equation is undefined where the new one holds" if converse
                             else "the new equation is undefined where the previous one holds")
                    return NumericOutcome("counterexample", points + 1, None, f"{which} ({exc})",
                                          point.describe(syms), [(_inputs(point, syms), "undefined", "")],
                                          "undefined")
                points += 1
                here += 1
                if exact_nonzero(lhs - rhs):
                    which = "the conclusion fails where the premise holds"
                    if converse:
                        which = "the converse fails: the previous equation fails where the new one holds"
                    return NumericOutcome(
                        "counterexample", points, None, which, point.describe(syms),
                        [(_inputs(point, syms), _text(lhs), _text(rhs))], _text(lhs - rhs),
                    )
        counts.append(here)
        if here == 0:
            empty.append("⇐ (new to previous)" if converse else "⇒ (previous to new)")
    if points == 0 or empty:
        why = "; ".join(sorted(reasons)) or "no instances"
        if empty and points:
            why = f"no evidence for the direction {', '.join(empty)}: {why}"
        return NumericOutcome("none", points, None, why, coverage=", ".join(empty))
    coverage = f"⇒ at {counts[0]} points, ⇐ at {counts[1]}" if relation == "⇔" else ""
    return NumericOutcome("agree", points, 0.0, coverage=coverage)


_RELS = {
    sp.StrictGreaterThan: lambda d: d > 0,
    sp.StrictLessThan: lambda d: d < 0,
    sp.GreaterThan: lambda d: d >= 0,
    sp.LessThan: lambda d: d <= 0,
    sp.Equality: lambda d: d == 0,
}


def holds(rel: sp.Basic, env: dict) -> bool:
    """Whether a relation holds exactly at ``env``; raises EvaluationError if it cannot be evaluated."""
    test = _RELS.get(type(rel))
    if test is None:
        raise EvaluationError(f"unsupported relation {type(rel).__name__}")
    lhs, rhs = as_scalar(evaluate(rel.lhs, env, EXACT)), as_scalar(evaluate(rel.rhs, env, EXACT))
    d = lhs - rhs
    if not d.is_Rational:
        # 50 significant digits (evalf raises its working precision under cancellation); the sign
        # counts only when it is clear relative to the size of the sides — tiny sides are not zero
        d = sp.N(d, 50)
        scale = max(abs(sp.N(lhs, 50)), abs(sp.N(rhs, 50)))
        if abs(d) <= sp.Float("1e-40", 50) * scale or d == 0:
            if type(rel) is sp.Equality:
                return True
            raise EvaluationError("the two sides agree to 40 digits: exact arithmetic cannot settle the sign here")
    return bool(test(d))


def _clearly(rel: sp.Basic, env: dict) -> bool | None:
    """The relation in floats: True/False when the margin is clear (relative 1e-9), None when exact arithmetic must decide."""
    if type(rel) not in _RELS or type(rel) is sp.Equality:
        return None
    try:
        lhs = float(as_scalar(evaluate(rel.lhs, env, FLOAT)))
        rhs = float(as_scalar(evaluate(rel.rhs, env, FLOAT)))
    except (EvaluationError, TypeError, ValueError, OverflowError, ZeroDivisionError):
        return None
    d = lhs - rhs
    if not np.isfinite(d) or abs(d) <= 1e-9 * max(1.0, abs(lhs), abs(rhs)):
        return None
    return bool(_RELS[type(rel)](d))


def check_claim(statement: sp.Basic, given: Sequence[sp.Basic], instances: Sequence[Instance]) -> NumericOutcome:
    """Test a relation at the instances where every hypothesis holds; a failure is a counterexample.

    Floats screen (a clear margin either way is enough to skip or to agree at a point); a failure
    is only reported after exact arithmetic confirms it.
    """
    syms = symbols_of(statement, *given)
    points, skipped, reasons = 0, 0, set()
    for inst in instances:
        screened = [_clearly(h, inst.floats) for h in given]
        if any(v is False for v in screened):
            skipped += 1
            continue
        if all(v is True for v in screened) and _clearly(statement, inst.floats) is True:
            points += 1
            continue
        try:
            if not all(holds(h, inst.exact) for h in given):
                skipped += 1
                continue
            ok = holds(statement, inst.exact)
            lhs = as_scalar(evaluate(statement.lhs, inst.exact, EXACT))
            rhs = as_scalar(evaluate(statement.rhs, inst.exact, EXACT))
        except EvaluationError as exc:
            reasons.add(str(exc))
            continue
        points += 1
        if not ok:
            return NumericOutcome(
                "counterexample", points, None, "", inst.describe(syms),
                [(_inputs(inst, syms), _text(lhs), _text(rhs))], _text(lhs - rhs),
            )
    if points == 0:
        why = "no instance satisfied the hypotheses" if skipped else "; ".join(sorted(reasons))
        return NumericOutcome("none", 0, None, why)
    return NumericOutcome("agree", points, 0.0)
