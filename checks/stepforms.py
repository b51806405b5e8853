"""The forms a step is checked in: definitions unfolded, zero sides shaped, printed safely; the engine's Outcome."""

from __future__ import annotations

from dataclasses import dataclass, replace

import sympy as sp

from derivcheck_steps.context import Context
from derivcheck_steps.identities import fit_identities
from derivcheck_steps.latex.printer import step_latex
from derivcheck_steps.model import Derivation, Differentiate, Step
from derivcheck_steps.numbers import abbreviate_digits, printable
from derivcheck_steps.numeric import NumericOutcome, symbols_of
from derivcheck_steps.randomness import Cov, E, Var
from derivcheck_steps.symbolic import Proof
from derivcheck_steps.verdict import StepResult


@dataclass
class Outcome:
    """A symbolic proof attempt and a numeric outcome, before they are combined."""

    proof: Proof
    numeric: NumericOutcome
    notes: tuple[str, ...] = ()
    monte_carlo: tuple[dict, ...] = ()
    gradient: tuple[tuple[str, str], ...] = ()  # ("claimed", text), ("true", text) for a gradient not proved


def is_random(step: Step, ctx: Context) -> bool:
    """Whether the step involves E, Var, Cov or a declared random family."""
    exprs = [e for e in (step.before, step.after, *step.given) if e is not None]
    return any(e.has(E, Var, Cov) for e in exprs) or any(
        ctx.family_of(b) is not None for e in exprs for b in e.atoms(sp.IndexedBase)  # m[j], or t without indices
    )


def undeclared(d: Derivation, step: Step) -> list[str]:
    """The names the step uses that its derivation's context does not declare."""
    exprs = [e for e in (step.before, step.after, *step.given) if e is not None]
    if step.experiment is not None:
        return []
    dummies = {lim[0] for e in exprs for s in e.atoms(sp.Sum) for lim in s.limits}
    missing = []
    for s in symbols_of(*exprs):
        if s in dummies or d.ctx.is_declared(s) or s.name in d.ctx.families:
            continue
        missing.append(str(s))
    return sorted(missing)


def unfolded(step: Step, ctx: Context) -> Step:
    """The step with every defined name replaced by its definition, and the declared matrix facts applied."""
    if not ctx.definitions and not ctx.has_matrix_facts():
        return step
    var = step.by.var if isinstance(step.by, Differentiate) else None  # its facts would change the function
    keep = frozenset() if var is None else frozenset({var, getattr(var, "base", var)})
    return replace(
        step,
        before=None if step.before is None else ctx.unfold(step.before, keep=keep),
        after=ctx.unfold(step.after, keep=keep),
        given=tuple(ctx.unfold(g, keep=keep) for g in step.given),
    )


def zero_sides(step: Step) -> Step:
    """A scalar 0 opposite a matrix-valued side means the zero matrix of that shape (``∇J = 0``)."""

    def fixed(lhs: sp.Basic, rhs: sp.Basic) -> tuple[sp.Basic, sp.Basic]:
        lhs, rhs = fit_identities("=", lhs, rhs)  # `= I` alone on a row: the identity of the other side's size
        lm, rm = getattr(lhs, "is_Matrix", False), getattr(rhs, "is_Matrix", False)
        if lm and rhs == 0 and not rm:
            return lhs, sp.ZeroMatrix(*lhs.shape)
        if rm and lhs == 0 and not lm:
            return sp.ZeroMatrix(*rhs.shape), rhs
        # a 1×1 matrix opposite a scalar (xᵀAx = tr(Axxᵀ)) is that scalar: its trace, its only entry
        if lm and not rm and lhs.shape == (1, 1) and not isinstance(rhs, sp.Rel):
            return _scalar(lhs), rhs
        if rm and not lm and rhs.shape == (1, 1) and not isinstance(lhs, sp.Rel):
            return lhs, _scalar(rhs)
        return lhs, rhs

    def eq(e: sp.Basic) -> sp.Basic:
        if isinstance(e, sp.Equality):
            lhs, rhs = fixed(e.lhs, e.rhs)
            return e if (lhs, rhs) == (e.lhs, e.rhs) else sp.Eq(lhs, rhs, evaluate=False)
        if isinstance(e, sp.Rel) and not isinstance(e, sp.Unequality):  # vᵀAv ≥ λ: compare scalars
            lhs, rhs = (_scalar(x) if getattr(x, "is_Matrix", False) and x.shape == (1, 1) else x for x in e.args)
            return e if (lhs, rhs) == tuple(e.args) else type(e)(lhs, rhs, evaluate=False)
        return e

    after = eq(step.after)
    before = None if step.before is None else eq(step.before)
    if before is not None and not isinstance(step.by, Differentiate) and not isinstance(before, sp.Rel) \
            and not isinstance(after, sp.Rel):
        before, after = fixed(before, after)
    return replace(step, before=before, after=after)


def _scalar(m: sp.Basic) -> sp.Basic:
    """A 1×1 matrix expression as a scalar: tr(M) (SymPy cannot subtract a scalar from a matrix)."""
    return sp.Trace(m)


def printed(step: Step, ctx: Context) -> str:
    """The step in LaTeX, huge numbers abbreviated; a note instead if it cannot be printed."""
    try:
        return step_latex(replace(step, before=printable(step.before), after=printable(step.after)), ctx)
    except Exception as exc:  # noqa: BLE001 - printing must never stop a check
        return rf"\text{{(not printable: {type(exc).__name__})}}"


def safe_texts(r: StepResult) -> StepResult:
    """Every text of a result with runs of many digits abbreviated (numbers printed by other modules)."""
    r.reason = abbreviate_digits(r.reason)
    if r.counterexample:
        r.counterexample = {k: abbreviate_digits(v) for k, v in r.counterexample.items()}
    if r.residual:
        r.residual = abbreviate_digits(r.residual)
    ev = r.evidence
    ev.symbolic, ev.numeric = ev.symbolic and abbreviate_digits(ev.symbolic), ev.numeric and abbreviate_digits(ev.numeric)
    ev.table = [tuple(abbreviate_digits(c) for c in row) for row in ev.table]
    ev.notes = [abbreviate_digits(n) for n in ev.notes]
    return r
