"""Soundness audit by mutation: wrong variants of every step must not be PROVED or CHECKED.

Mutants are made the way people err: flip the sign of a term; drop or add a factor (2, ½, a
parameter such as p or λ, a size such as N); swap p and 1 − p; drop a transpose; swap the factors of
a matrix product; change an exponent; drop a term of a sum; move a square inside or outside a sum or
an expectation; write a rational as a 16-digit decimal. Families of seed derivations with their own
mutants (``checks/audit_families.py``: branch cuts, decimals, sizes, odd-denominator boundaries,
sampled-law assumptions) cover shapes the built-in steps do not have. Whether a mutant is really
wrong is decided independently of the provers: exact rational evaluation at fresh random points for
deterministic steps, and a Monte Carlo test (plus the exact value at a point) for steps with E, Var,
Cov. A mutant that is really wrong and gets PROVED or CHECKED is *unsound*.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np
import sympy as sp

from derivcheck_steps import montecarlo
from derivcheck_steps.engine import Settings, check_steps
from derivcheck_steps.errors import EvaluationError
from derivcheck_steps.evaluate import EXACT, Undefined, as_scalar, evaluate
from derivcheck_steps.model import Derivation, Step
from derivcheck_steps.numeric import exact_nonzero
from derivcheck_steps.premises import holds
from derivcheck_steps.randomness import Cov, E, Var
from derivcheck_steps.sampling import draw_instances
from derivcheck_steps.verdict import Verdict

MAX_PER_STEP = 40


@dataclass(frozen=True)
class Mutant:
    """One wrong-looking variant of a step's new expression."""

    derivation: str
    step: int
    operator: str
    expr: sp.Basic
    witness: str = ""  # for a mutant wrong by a hand-checked argument (a law where it fails): that argument


@dataclass
class AuditRow:
    """A mutant, whether it is really wrong, and derivcheck's verdict on it."""

    mutant: Mutant
    truly_wrong: bool | None  # None: the oracle could not tell
    verdict: Verdict | None = None
    reason: str = ""

    @property
    def unsound(self) -> bool:
        return bool(self.truly_wrong) and self.verdict in (Verdict.PROVED, Verdict.CHECKED)


# -- mutation operators ---------------------------------------------------------------------------

def _parameters(expr: sp.Basic, d: Derivation) -> list[sp.Basic]:
    out = []
    for s in sorted(expr.free_symbols, key=str):
        if s in d.ctx.scalars or s in d.ctx.dims_:
            out.append(s)
    return out[:3]


def _node_mutants(node: sp.Basic, d: Derivation, params: list[sp.Basic]) -> Iterator[tuple[str, sp.Basic]]:
    if isinstance(node, sp.Add | sp.MatAdd) and len(node.args) > 1:
        for k, term in enumerate(node.args):
            rest = [a for m, a in enumerate(node.args) if m != k]
            yield "flip the sign of a term", node.func(*rest, -term)
            yield "drop a term", node.func(*rest) if len(rest) > 1 else rest[0]
            yield "double a term", node.func(*rest, 2 * term)
    if isinstance(node, sp.Pow) and node.exp.is_Integer and node.exp not in (0, 1, -1):
        yield "change an exponent", sp.Pow(node.base, node.exp + 1)
        yield "change an exponent", sp.Pow(node.base, node.exp - 1)
    if isinstance(node, sp.Transpose):
        yield "drop a transpose", node.arg
    if isinstance(node, sp.MatMul):
        factors = [a for a in node.args if isinstance(a, sp.MatrixExpr)]
        if len(factors) >= 2:
            scalars = [a for a in node.args if not isinstance(a, sp.MatrixExpr)]
            yield "swap the factors of a matrix product", sp.MatMul(*scalars, *reversed(factors))
            yield "swap two adjacent factors", sp.MatMul(*scalars, factors[1], factors[0], *factors[2:])
    if isinstance(node, sp.Pow) and node.exp == 2 and isinstance(node.base, sp.Sum):
        s = node.base
        yield "move a square inside a sum", sp.Sum(s.function**2, *s.limits)
    if isinstance(node, sp.Sum) and isinstance(node.function, sp.Pow) and node.function.exp == 2:
        yield "move a square outside a sum", sp.Sum(node.function.base, *node.limits) ** 2
    if isinstance(node, E) and isinstance(node.args[0], sp.Pow) and node.args[0].exp == 2:
        yield "move a square outside an expectation", E(node.args[0].base) ** 2
    if isinstance(node, sp.Pow) and node.exp == 2 and isinstance(node.base, E):
        yield "move a square inside an expectation", E(node.base.args[0] ** 2)
    if isinstance(node, Var):
        yield "Var read as E[X²]", E(node.args[0] ** 2)
    if isinstance(node, sp.Rational) and not node.is_Integer:
        yield "a rational as a 16-digit decimal", sp.Float(node, 16)


def _whole_mutants(expr: sp.Basic, d: Derivation) -> Iterator[tuple[str, sp.Basic]]:
    params = _parameters(expr, d)
    factors = [sp.Integer(2), sp.Rational(1, 2), *params, *[1 / p for p in params if p in d.ctx.scalars]]
    for f in factors:
        yield f"multiply by {f}", f * expr
    yield "flip the sign", -expr
    for s, decl in sorted(d.ctx.scalars.items(), key=lambda kv: str(kv[0])):
        if s in expr.free_symbols and decl.low == 0 and decl.high == 1:
            yield "swap p and 1 − p", expr.xreplace({s: 1 - s})
    for node in sp.preorder_traversal(expr):
        for name, new in _node_mutants(node, d, params):
            try:
                yield name, expr.xreplace({node: new})
            except (TypeError, ValueError, sp.ShapeError):
                continue


_FLIPPED = {sp.StrictGreaterThan: sp.StrictLessThan, sp.StrictLessThan: sp.StrictGreaterThan,
            sp.GreaterThan: sp.LessThan, sp.LessThan: sp.GreaterThan}


def mutants_of(d: Derivation, step: Step) -> list[Mutant]:
    """Distinct, well-formed mutants of the step's new expression (or of a relation's sides)."""
    target = step.after
    seen, out = {sp.srepr(target)}, []
    sides = [("", target)]
    if isinstance(target, sp.Rel):
        sides = [("rhs", target.rhs), ("lhs", target.lhs)]
        if type(target) in _FLIPPED:
            flipped = _FLIPPED[type(target)](target.lhs, target.rhs, evaluate=False)
            out.append(Mutant(d.id or d.title, step.index, "flip the inequality", flipped))
            seen.add(sp.srepr(flipped))
    for which, side in sides:
        for name, new in _whole_mutants(side, d):
            if which == "rhs":
                new = type(target)(target.lhs, new, evaluate=False)
            elif which == "lhs":
                new = type(target)(new, target.rhs, evaluate=False)
            key = sp.srepr(new)
            if key in seen or new in (sp.true, sp.false):
                continue
            seen.add(key)
            out.append(Mutant(d.id or d.title, step.index, name, new))
            if len(out) >= MAX_PER_STEP:
                return out
    return out


def auditable(step: Step) -> bool:
    """Steps whose mutants the oracle can judge: '=' steps, and claims (equations, inequalities, with hypotheses)."""
    if step.experiment is not None or step.problem:
        return False
    if step.relation == "=" and step.before is not None and not isinstance(step.after, sp.Equality) and not step.given:
        return True
    return step.relation == "⊢" and isinstance(step.after, sp.Rel)


# -- the independent oracle --------------------------------------------------------------------------

def _value(e: sp.Basic, point: dict) -> object:
    return as_scalar(evaluate(e, point, EXACT)) if not isinstance(e, sp.MatrixExpr) else evaluate(e, point, EXACT)


def _defined(e: sp.Basic, point: dict) -> object:
    """The exact value, or None where it is undefined (a pole, a non-real intermediate)."""
    try:
        return _value(e, point)
    except Undefined:
        return None


def _fresh_points(d: Derivation, seed: int, count: int) -> list:
    """Points drawn with the oracle's own seed (not the engine's); none if the context has no instance."""
    try:
        return draw_instances(d.ctx, seed, count, 0)
    except Exception:  # noqa: BLE001 - no instance: the oracle cannot tell
        return []


def _differs_exactly(a: sp.Basic, b: sp.Basic, d: Derivation, seed: int) -> bool | None:
    """Exact rational evaluation at fresh points: True if a ≠ b somewhere, False if equal everywhere tried."""
    points = _fresh_points(d, seed, 8)
    evaluated = 0
    for p in points:
        try:
            va, vb = _defined(a, p.exact), _defined(b, p.exact)
        except (EvaluationError, TypeError, ValueError, ZeroDivisionError, sp.ShapeError):
            continue
        if (va is None) != (vb is None):
            return True  # defined on one side only (real arithmetic): the two differ there
        if va is None:
            continue
        if np.shape(va) != np.shape(vb):
            return None  # an ill-formed mutant (a matrix against a scalar): not a wrong step, not counted
        evaluated += 1
        try:
            if exact_nonzero(va - vb):
                return True
        except (TypeError, ValueError):
            return None
    return False if evaluated else None


def _claim_fails(d: Derivation, claim: sp.Rel, given: tuple, seed: int) -> bool | None:
    """A relation claimed under hypotheses: True if some fresh point satisfies them and violates it."""
    held = 0
    for p in _fresh_points(d, seed, 40):
        try:  # holds() decides in exact arithmetic and refuses to decide a sign lost in rounding
            if not all(holds(g, p.exact) for g in given):
                continue
            ok = holds(claim, p.exact)
        except (EvaluationError, TypeError, ValueError, ZeroDivisionError, sp.ShapeError):
            continue
        if not ok:
            return True
        held += 1
    return False if held >= 5 else None


def is_truly_wrong(d: Derivation, step: Step, mutant: Mutant, seed: int) -> bool | None:
    """Whether the mutant is a wrong step, decided without derivcheck's provers."""
    if mutant.witness:
        return True
    ctx = d.ctx
    if isinstance(step.after, sp.Rel) and not isinstance(step.after, sp.Equality) or step.given:
        if mutant.expr.has(E, Var, Cov):
            return None
        rel = type(mutant.expr)(ctx.unfold(mutant.expr.lhs), ctx.unfold(mutant.expr.rhs), evaluate=False)
        return _claim_fails(d, rel, tuple(ctx.unfold(g) for g in step.given), seed)
    if isinstance(step.after, sp.Equality):  # a claim lhs = rhs that holds: the mutant holds iff its sides agree
        lhs, rhs = ctx.unfold(mutant.expr.lhs), ctx.unfold(mutant.expr.rhs)
    else:
        lhs, rhs = ctx.unfold(step.before), ctx.unfold(mutant.expr)
    if lhs.has(E, Var, Cov) or rhs.has(E, Var, Cov):
        inst = draw_instances(ctx, seed, 2, 0)[-1]
        result = montecarlo.check(lhs, rhs, ctx, inst.floats, seed, batch_size=8000, max_rounds=3)
        if result.status == "disagree":
            return True
        if result.status == "agree":
            return False
        return None
    return _differs_exactly(lhs, rhs, d, seed)


def audit_step(d: Derivation, step: Step, settings: Settings | None = None, limit: int | None = None,
               mutants: list[Mutant] | None = None) -> list[AuditRow]:
    """Every mutant of one step (its generated ones unless ``mutants`` are given): its oracle truth and
    derivcheck's verdict (only for really wrong ones)."""
    settings = settings or Settings()
    rows, wrong_rows = [], []
    for k, mutant in enumerate((mutants_of(d, step) if mutants is None else mutants)[:limit]):
        seed = 7919 * (step.index + 1) + k
        try:
            wrong = is_truly_wrong(d, step, mutant, seed)
        except Exception as exc:  # noqa: BLE001 - an oracle failure is "cannot tell", never "equal"
            rows.append(AuditRow(mutant, None, reason=f"oracle: {type(exc).__name__}"))
            continue
        row = AuditRow(mutant, wrong)
        if wrong:
            wrong_rows.append(row)
        rows.append(row)
    variants = [replace(step, after=row.mutant.expr, expect=None, correction=None) for row in wrong_rows]
    for row, res in zip(wrong_rows, check_steps(d, variants, settings), strict=True):  # one worker for all
        row.verdict, row.reason = res.verdict, res.reason
    return rows


def audit(derivations: list[Derivation], settings: Settings | None = None, per_step: int | None = None,
          every: int = 1) -> list[AuditRow]:
    """Audit the auditable steps of ``derivations`` (every ``every``-th step, up to ``per_step`` mutants each)."""
    steps = [(d, s) for d in derivations for s in d.steps if auditable(s)]
    rows: list[AuditRow] = []
    for d, s in itertools.islice(steps, 0, None, every):
        rows.extend(audit_step(d, s, settings, per_step))
    return rows


def summary(rows: list[AuditRow]) -> dict[str, int | float]:
    """The audit table's figures."""
    wrong = [r for r in rows if r.truly_wrong]
    counts = {v: sum(1 for r in wrong if r.verdict == v) for v in Verdict}
    return {
        "mutants": len(rows),
        "truly wrong": len(wrong),
        "equal (not wrong)": sum(1 for r in rows if r.truly_wrong is False),
        "oracle undecided": sum(1 for r in rows if r.truly_wrong is None),
        "REFUTED": counts[Verdict.REFUTED],
        "UNKNOWN": counts[Verdict.UNKNOWN],
        "unsound (PROVED or CHECKED)": counts[Verdict.PROVED] + counts[Verdict.CHECKED],
        "refuted %": round(100 * counts[Verdict.REFUTED] / len(wrong), 2) if wrong else 0.0,
    }
