"""Empty premises: hypotheses or assumed facts that contradict the declarations.

A step proved from an empty premise holds vacuously and says nothing about any point, so
derivcheck never shows it as a plain PROVED. The choice made here (issue 12): such a step is
**UNKNOWN** (cause "undecided" — no proof that means anything, and no evidence), with the reason
"the hypotheses contradict the declarations: the step holds vacuously" and what contradicts what.
UNKNOWN rather than a flagged PROVED, because reports, writeups and the exit code already treat an
UNKNOWN as "not established" (a failure under ``--strict``), with nothing new to teach them.

The premise is empty when a contradiction is shown (``contradiction``: a hypothesis impossible
under the declared signs and ranges, or two that exclude each other). It is also *not known to be
nonempty* when no sampled instance satisfies the assumed facts, or none satisfies the inequality
hypotheses; the step is then UNKNOWN too, with a reason that says "may": a proof needs a witness
that its premise can hold.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace

import sympy as sp

from derivcheck_steps.context import Context
from derivcheck_steps.errors import EvaluationError
from derivcheck_steps.premises import holds
from derivcheck_steps.sampling import Instance

VACUOUS = "the hypotheses contradict the declarations: the step holds vacuously"


def _as_positive(rel: sp.Basic) -> tuple[sp.Expr, bool] | None:
    """``(d, strict)`` with the relation meaning d > 0 (strict) or d ≥ 0; None for other relations."""
    if isinstance(rel, sp.StrictGreaterThan | sp.GreaterThan):
        return rel.lhs - rel.rhs, isinstance(rel, sp.StrictGreaterThan)
    if isinstance(rel, sp.StrictLessThan | sp.LessThan):
        return rel.rhs - rel.lhs, isinstance(rel, sp.StrictLessThan)
    return None


def _impossible(d: sp.Expr, strict: bool, declared: Context) -> bool:
    e = declared.with_facts(sp.expand(d))
    return bool(e.is_nonpositive) if strict else bool(e.is_negative)


def contradiction(given: Sequence[sp.Basic], ctx: Context) -> str:
    """Why the hypotheses and assumed facts cannot all hold under the declarations, or "".

    Each one alone against the declared signs and ranges (q < 0 with q declared positive), and
    each pair combined to eliminate a shared variable (x > 1 and x < 0 give 1 < 0). Incomplete by
    nature; ``empty_premise`` also asks for a witness point.
    """
    declared = replace(ctx, facts=[])
    candidates = [(str(h), _as_positive(h)) for h in given]
    candidates += [(f"{f.expr} > 0 (assumed)", (f.expr, True)) for f in ctx.facts if f.kind == "positive"]
    rels = [(name, r) for name, r in candidates if r is not None]
    for name, (d, strict) in rels:
        if _impossible(d, strict, declared):
            return f"{VACUOUS} ({name} is impossible under the declarations)"
    for (n1, (d1, s1)), (n2, (d2, s2)) in itertools.combinations(rels, 2):
        for s in sorted(d1.free_symbols & d2.free_symbols, key=str):
            c1, c2 = sp.diff(d1, s), sp.diff(d2, s)
            if c1.has(s) or c2.has(s) or c2 == 0:
                continue
            lam = sp.cancel(-c1 / c2)
            if declared.with_facts(lam).is_positive and _impossible(d1 + lam * d2, s1 or s2, declared):
                return f"{VACUOUS} ({n1} and {n2} cannot both hold)"
    return ""


def empty_premise(ctx: Context, given: Sequence[sp.Basic], instances: Sequence[Instance]) -> str:
    """A reason when a step's premise may be empty (then it must not be PROVED), else "".

    The premise is the declarations, the assumed facts and the step's hypotheses. It is empty
    when they contradict (``contradiction``); it is not known to be nonempty when no instance
    satisfies the facts, or none satisfies the inequality hypotheses — a proof from an empty
    premise proves nothing about any point, so it is reported instead of a plain PROVED.
    """
    why = contradiction(given, ctx)
    if why:
        return why
    if ctx.facts and not instances:
        return ("no instance satisfies the assumed facts: they may contradict the declarations, and a step "
                "under them would hold vacuously")
    ineqs = [h for h in given if _as_positive(h) is not None]
    if not ineqs:
        return ""
    for inst in instances:
        try:
            if all(holds(h, inst.exact) for h in ineqs):
                return ""
        except EvaluationError:
            continue
    return ("no instance satisfies the hypotheses: they may contradict the declarations, and the step would "
            "hold vacuously")
