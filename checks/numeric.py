"""Numeric cross-checks at random instances: screen in floats, confirm disagreements exactly.

A disagreement is only a counterexample once the exact (rational, or irrational decided at
rising precision relative to the sides, ``derivcheck_steps.precision``) evaluation at the same point
confirms it: float noise never refutes a step. Every instance is accounted for:

- both sides defined: they agree, or the point is a counterexample, or (precision exhausted)
  the point is undecided and skipped, with the reason;
- one side defined and the other not (a pole, a non-real value, a singular inverse): that is a
  disagreement, a counterexample confirmed exactly;
- both sides undefined: no evidence there, and the report says where ("where x < 0");
- ill-shaped sides (a product n×1 · n×n, sides n×1 and 1×n) are an error for the whole step,
  never a skipped point.

Agreement is numeric evidence (CHECKED) only with at least ``MIN_POINTS`` evaluated instances,
and the summary says how many were evaluated, how many skipped and why.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import sympy as sp
from sympy.matrices.expressions import MatrixSymbol

from derivcheck_steps.errors import EvaluationError
from derivcheck_steps.evaluate import EXACT, FLOAT, Hook, ShapeMismatch, Undefined, as_scalar, evaluate
from derivcheck_steps.precision import compare_exact, sign
from derivcheck_steps.sampling import Instance

FLOAT_TOLERANCE = 1e-9  # relative screen; exact confirmation decides
FD_TOLERANCE = 1e-5  # finite differences (central, step 1e-5 relative)
MIN_POINTS = 3  # fewer evaluated instances than this is not evidence
FLOAT_RANGE = (1e-250, 1e250)  # float agreement outside this magnitude range is re-checked exactly


@dataclass
class NumericOutcome:
    """What the numeric cross-check found, and how much of the space it covered."""

    status: str  # "agree", "counterexample" or "none" (too few instances could be evaluated)
    points: int = 0
    worst: float | None = None
    reason: str = ""
    counterexample: dict[str, str] | None = None
    table: list[tuple[str, str, str]] = field(default_factory=list)  # inputs | lhs | rhs
    residual_value: str | None = None
    skipped: int = 0  # instances that are not evidence (see coverage)
    coverage: str = ""  # which instances were skipped and why

    def summary(self) -> str:
        if self.status == "agree":
            worst = f" (worst relative error {self.worst:.1e})" if self.worst is not None else ""
            of = f" of {self.points + self.skipped}" if self.skipped else ""
            tail = f"; {self.coverage}" if self.coverage else ""
            return f"agrees at {self.points}{of} instances{worst}{tail}"
        if self.status == "counterexample":
            return f"counterexample confirmed in exact arithmetic: residual {self.residual_value}"
        return f"no numeric evidence: {self.reason}"


def symbols_of(*exprs: sp.Basic) -> set[sp.Basic]:
    """The declared objects an expression depends on: symbols, matrices, indexed bases."""
    out: set[sp.Basic] = set()
    for e in exprs:
        bases = {a.base for a in e.atoms(sp.Indexed)}
        labels = {b.label for b in bases}
        out |= {s for s in e.free_symbols if isinstance(s, (sp.Symbol, MatrixSymbol)) and s not in labels}
        out |= bases
        out |= {m for m in e.atoms(MatrixSymbol)}
    return out


def _rel_err(a: object, b: object) -> float:
    """max |a − b| relative to the larger side (no absolute floor: tiny sides are compared as such)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ShapeMismatch(f"the two sides have different shapes: {_dims(a.shape)} vs {_dims(b.shape)}")
    scale = max(float(np.max(np.abs(a), initial=0)), float(np.max(np.abs(b), initial=0)))
    diff = float(np.max(np.abs(a - b), initial=0))
    return 0.0 if diff == 0 else diff / scale


def _fd_err(a: object, b: object) -> float:
    """Finite-difference error: relative above 1, absolute below (differences lose absolute digits)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise EvaluationError(f"shapes differ: {a.shape} vs {b.shape}")
    scale = max(1.0, float(np.max(np.abs(a), initial=0)), float(np.max(np.abs(b), initial=0)))
    return float(np.max(np.abs(a - b), initial=0)) / scale


def _in_float_range(*vals: object) -> bool:
    scale = max(float(np.max(np.abs(np.asarray(v, dtype=float)), initial=0)) for v in vals)
    return FLOAT_RANGE[0] < scale < FLOAT_RANGE[1]


def exact_nonzero(v: object) -> bool:
    """Whether an exact value (scalar or array) is confirmed nonzero (undecided counts as not confirmed)."""
    if isinstance(v, np.ndarray):
        return any(exact_nonzero(x) for x in v.flat)
    return bool(sign(v))


def _dims(shape: tuple) -> str:
    return "×".join(str(k) for k in shape) if len(shape) == 2 else "scalar"


def _shape(e: sp.Basic) -> tuple | None:
    shape = getattr(e, "shape", None) if isinstance(e, sp.MatrixExpr) else None
    return None if shape is None or tuple(shape) == (1, 1) else tuple(shape)


def shape_problem(*sides: sp.Basic) -> str | None:
    """Why the sides are ill-shaped (a product or sum that does not fit, different shapes), or None."""
    for side in sides:
        for node in sp.preorder_traversal(side):
            if isinstance(node, sp.MatMul):
                mats = [a for a in node.args if isinstance(a, sp.MatrixExpr)]
                for k in range(1, len(mats)):
                    left = sp.MatMul(*mats[:k]) if k > 1 else mats[0]
                    shape = (mats[0].shape[0], mats[k - 1].shape[1])
                    if sp.expand(shape[1] - mats[k].shape[0]) != 0:
                        return (f"ill-typed product: {left} is {_dims(shape)} and {mats[k]} is "
                                f"{_dims(mats[k].shape)}")
            elif isinstance(node, sp.MatAdd):
                shapes = {tuple(a.shape) for a in node.args if isinstance(a, sp.MatrixExpr)}
                if len(shapes) > 1:
                    return "ill-typed sum: terms of shapes " + ", ".join(sorted(_dims(s) for s in shapes))
    shapes = [_shape(s) for s in sides]
    if len(shapes) == 2 and shapes[0] != shapes[1]:
        a, b = (_dims(s) if s else "scalar" for s in shapes)
        return f"the two sides have different shapes: {a} vs {b}"
    return None


def _text(v: object) -> str:
    if isinstance(v, np.ndarray):
        if v.shape == (1, 1):
            return str(v[0, 0])
        return "[" + "; ".join(", ".join(str(x) for x in row) for row in v) + "]"
    return str(v)


@dataclass
class _Tally:
    """What happened at each instance: evaluated points, and skipped ones by reason."""

    points: int = 0
    worst: float = 0.0
    skipped: Counter = field(default_factory=Counter)
    both_undefined: list[Instance] = field(default_factory=list)
    evaluated: list[Instance] = field(default_factory=list)
    table: list[tuple[str, str, str]] = field(default_factory=list)


def _side(expr: sp.Basic, inst: Instance, hooks: Mapping[type, Hook] | None) -> tuple[object, str | None]:
    """The exact value of one side, or (None, why it is undefined); other failures propagate."""
    try:
        return as_scalar_if_1x1(evaluate(expr, inst.exact, EXACT, hooks)), None
    except Undefined as exc:
        return None, str(exc)


def compare(
    lhs: sp.Basic,
    rhs: sp.Basic,
    instances: Sequence[Instance],
    hooks: Mapping[type, Hook] | None = None,
    *,
    show: frozenset[sp.Basic] = frozenset(),
) -> NumericOutcome:
    """Evaluate ``lhs`` and ``rhs`` at each instance; a confirmed exact difference is a counterexample.

    ``show`` names symbols to report with a counterexample besides those of the two sides.
    Raises ShapeMismatch when the sides are ill-shaped.
    """
    problem = shape_problem(lhs, rhs)
    if problem:
        raise ShapeMismatch(problem)
    syms = symbols_of(lhs, rhs) | set(show)
    decimals = lhs.has(sp.Float) or rhs.has(sp.Float)  # floats cannot see a decimal's last digits
    t = _Tally()
    for inst in instances:
        err = None
        try:
            lf = as_scalar_if_1x1(evaluate(lhs, inst.floats, FLOAT, hooks))
            rf = as_scalar_if_1x1(evaluate(rhs, inst.floats, FLOAT, hooks))
            err = _rel_err(lf, rf)
            if err <= FLOAT_TOLERANCE and not inst.simple and not decimals and _in_float_range(lf, rf):
                t.points += 1
                t.worst = max(t.worst, err)
                t.evaluated.append(inst)
                continue
        except ShapeMismatch:
            raise
        except EvaluationError:
            pass  # a float failure (overflow, a point near a pole) is settled exactly below
        try:
            (le, lwhy), (re_, rwhy) = _side(lhs, inst, hooks), _side(rhs, inst, hooks)
        except ShapeMismatch:
            raise
        except EvaluationError as exc:
            t.skipped[f"not evaluable: {exc}"] += 1
            continue
        row = (_inputs(inst, syms), _text(le) if lwhy is None else f"undefined ({lwhy})",
               _text(re_) if rwhy is None else f"undefined ({rwhy})")
        if lwhy is not None and rwhy is not None:
            t.both_undefined.append(inst)
            continue
        if lwhy is not None or rwhy is not None:
            which = "left" if lwhy is not None else "right"
            return NumericOutcome(
                "counterexample", t.points, None,
                f"the {which} side is undefined at this point ({lwhy or rwhy}) while the other side is defined",
                inst.describe(syms), [row], f"undefined on the {which} side",
            )
        try:
            diff = compare_exact(le, re_)
        except ValueError as exc:
            raise ShapeMismatch(f"the two sides have different shapes: {exc}") from None
        if diff is None:
            t.skipped["undecided: the two sides agree to every digit computed (400) without an exact zero"] += 1
            continue
        if diff != 0:
            return NumericOutcome("counterexample", t.points, None, "", inst.describe(syms), [row], _text(le - re_))
        t.table = t.table or [row]
        t.points += 1
        t.evaluated.append(inst)
        t.worst = max(t.worst, 0.0 if inst.simple or err is None else err)
    return _outcome(t, syms)


def _outcome(t: _Tally, syms: set[sp.Basic]) -> NumericOutcome:
    """Agreement with its coverage, or no evidence when too few instances were evaluated."""
    notes = []
    if t.both_undefined:
        where = _region(t.both_undefined, t.evaluated, syms)
        notes.append(f"no evidence {where}: both sides undefined ({len(t.both_undefined)} instances)")
    notes += [f"{why} ({k} instances)" for why, k in sorted(t.skipped.items())]
    skipped = len(t.both_undefined) + sum(t.skipped.values())
    coverage = "; ".join(notes)
    if t.points < MIN_POINTS:
        why = f"only {t.points} of {t.points + skipped} instances could be evaluated"
        return NumericOutcome("none", t.points, None, f"{why}; {coverage}" if coverage else why, skipped=skipped,
                              coverage=coverage)
    return NumericOutcome("agree", t.points, t.worst, table=t.table, skipped=skipped, coverage=coverage)


def _region(undefined: list[Instance], evaluated: list[Instance], syms: set[sp.Basic]) -> str:
    """A description of where the undefined instances lie: the signs they share, or an example point."""
    conditions = []
    for s in sorted((s for s in syms if isinstance(s, sp.Symbol)), key=str):
        signs = {int(np.sign(float(i.exact[s]))) for i in undefined if s in i.exact}
        seen = {int(np.sign(float(i.exact[s]))) for i in evaluated if s in i.exact}
        if len(signs) == 1 and signs != seen:
            conditions.append(f"{s} {({-1: '< 0', 0: '= 0', 1: '> 0'})[signs.pop()]}")
    if conditions:
        return "where " + " and ".join(conditions)
    return "at points such as " + _inputs(undefined[0], syms)


def as_scalar_if_1x1(v: object) -> object:
    """Treat a 1x1 matrix as a scalar so that ``wᵀx`` compares with a number."""
    if isinstance(v, np.ndarray) and v.shape == (1, 1):
        return as_scalar(v)
    return v


def _inputs(inst: Instance, syms: set[sp.Basic]) -> str:
    return ", ".join(f"{k}={v}" for k, v in inst.describe(syms).items())


def finite_difference_gradient(expr: sp.Basic, var: sp.Basic, env: Mapping[sp.Basic, object]) -> object:
    """Central finite differences of a scalar ``expr`` in ``var`` (scalar or vector) at ``env``."""
    base = env[var]

    def f(value: object) -> float:
        local = dict(env)
        local[var] = value
        return float(as_scalar(evaluate(expr, local, FLOAT)))

    if isinstance(base, np.ndarray):
        grad = np.zeros(base.shape)
        for k in np.ndindex(base.shape):
            h = 1e-5 * max(1.0, abs(base[k]))
            up, down = base.copy(), base.copy()
            up[k] += h
            down[k] -= h
            grad[k] = (f(up) - f(down)) / (2 * h)
        return grad
    h = 1e-5 * max(1.0, abs(base))
    return (f(base + h) - f(base - h)) / (2 * h)


def check_gradient(expr: sp.Basic, var: sp.Basic, claimed: sp.Basic, instances: Sequence[Instance]) -> NumericOutcome:
    """Compare ``claimed`` with finite differences of ``expr`` (screen only: never a counterexample)."""
    worst, points, reasons = 0.0, 0, []
    for inst in instances:
        try:
            fd = finite_difference_gradient(expr, var, inst.floats)
            cl = as_scalar_if_1x1(evaluate(claimed, inst.floats, FLOAT))
            err = _fd_err(fd, cl)
        except EvaluationError as exc:
            reasons.append(str(exc))
            continue
        points += 1
        worst = max(worst, err)
    if points == 0:
        return NumericOutcome("none", 0, None, "; ".join(sorted(set(reasons))))
    status = "agree" if worst <= FD_TOLERANCE else "disagree"
    return NumericOutcome(status, points, worst)
