"""Numeric cross-checks at random instances: screen in floats, confirm disagreements exactly.

A disagreement is only a counterexample once the exact (rational or 50-digit) evaluation at
the same point confirms it: float noise never refutes a step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import sympy as sp
from sympy.matrices.expressions import MatrixSymbol

from checks.errors import EvaluationError
from checks.evaluate import EXACT, FLOAT, Hook, as_scalar, evaluate
from checks.sampling import Instance

FLOAT_TOLERANCE = 1e-9  # relative screen; exact confirmation decides
FD_TOLERANCE = 1e-5  # finite differences (central, step 1e-5 relative)


@dataclass
class NumericOutcome:
    """What the numeric cross-check found."""

    status: str  # "agree", "counterexample" or "none" (no instance could be evaluated)
    points: int = 0
    worst: float | None = None
    reason: str = ""
    counterexample: dict[str, str] | None = None
    table: list[tuple[str, str, str]] = field(default_factory=list)  # inputs | lhs | rhs
    residual_value: str | None = None

    def summary(self) -> str:
        if self.status == "agree":
            return f"agrees at {self.points} instances (worst relative error {self.worst:.1e})"
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
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise EvaluationError(f"shapes differ: {a.shape} vs {b.shape}")
    scale = max(1.0, float(np.max(np.abs(a), initial=0)), float(np.max(np.abs(b), initial=0)))
    return float(np.max(np.abs(a - b), initial=0)) / scale


def exact_nonzero(v: object) -> bool:
    """Whether an exact value (scalar or array) is nonzero, at 50 digits for irrationals."""
    if isinstance(v, np.ndarray):
        return any(exact_nonzero(x) for x in v.flat)
    if isinstance(v, (int, np.integer)):
        return v != 0
    if isinstance(v, float):
        return abs(v) > 1e-30
    if v.is_Rational:
        return v != 0
    return abs(sp.N(v, 50)) > sp.Float("1e-30", 50)


def _text(v: object) -> str:
    if isinstance(v, np.ndarray):
        if v.shape == (1, 1):
            return str(v[0, 0])
        return "[" + "; ".join(", ".join(str(sp.nsimplify(x)) for x in row) for row in v) + "]"
    return str(v)


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
    """
    syms = symbols_of(lhs, rhs) | set(show)
    worst, points, reasons = 0.0, 0, []
    first_table: list[tuple[str, str, str]] = []
    for inst in instances:
        try:
            lf = as_scalar_if_1x1(evaluate(lhs, inst.floats, FLOAT, hooks))
            rf = as_scalar_if_1x1(evaluate(rhs, inst.floats, FLOAT, hooks))
            err = _rel_err(lf, rf)
        except EvaluationError as exc:
            reasons.append(str(exc))
            continue
        points += 1
        if err <= FLOAT_TOLERANCE and not inst.simple:
            worst = max(worst, err)
            continue
        try:
            le = as_scalar_if_1x1(evaluate(lhs, inst.exact, EXACT, hooks))
            re_ = as_scalar_if_1x1(evaluate(rhs, inst.exact, EXACT, hooks))
        except EvaluationError as exc:
            reasons.append(str(exc))
            continue
        if not first_table:
            first_table = [(_inputs(inst, syms), _text(le), _text(re_))]
        if exact_nonzero(le - re_):
            return NumericOutcome(
                "counterexample", points, None, "", inst.describe(syms),
                [(_inputs(inst, syms), _text(le), _text(re_))], _text(le - re_),
            )
        worst = max(worst, 0.0 if inst.simple else err)
    if points == 0:
        return NumericOutcome("none", 0, None, "; ".join(sorted(set(reasons))) or "no instances")
    return NumericOutcome("agree", points, worst, table=first_table)


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
            err = _rel_err(fd, cl)
        except EvaluationError as exc:
            reasons.append(str(exc))
            continue
        points += 1
        worst = max(worst, err)
    if points == 0:
        return NumericOutcome("none", 0, None, "; ".join(sorted(set(reasons))))
    status = "agree" if worst <= FD_TOLERANCE else "disagree"
    return NumericOutcome(status, points, worst)
