"""Exact points where an equation holds, for checking ⇒ and ⇔ steps numerically.

Several sources, cheapest first: a linear probe in one variable (exact root of an affine
function; a vector variable by solving its linear system); SymPy's ``solveset`` at the instance
for an equation in one scalar (several members of a periodic family: sin x = 1 at π/2 and 5π/2),
with parts that do not involve the variable evaluated exactly first; the zero sets of each
factor of the equation's numerator ((ε − 2)(ε − K) = 0 holds at ε = 2 too); and points on the
edge of the other equation's domain (where one of its denominators vanishes), where a step that
cancelled a factor fails. Every point is checked to satisfy the equation exactly and to respect
the declared domains and assumed facts. Nothing is parsed: only SymPy numbers are substituted.

The symbolic part (the numerator's factors, the domain's edges) is worked out once per step
(:func:`plan`); the linear probe lives in ``derivcheck_steps.linear_probe``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp
from sympy.matrices.expressions import MatrixSymbol

from derivcheck_steps import domains
from derivcheck_steps.context import Context
from derivcheck_steps.errors import EvaluationError
from derivcheck_steps.evaluate import EXACT, as_scalar, evaluate
from derivcheck_steps.linear_probe import point_satisfying
from derivcheck_steps.precision import confirmed_nonzero as exact_nonzero
from derivcheck_steps.sampling import Instance, _facts_hold, _floats


def _declared(var: sp.Symbol, value: sp.Basic, ctx: Context | None) -> bool:
    """Whether a value lies in the declared domain of a scalar (open bounds, nonnegative, nonzero)."""
    decl = ctx.scalars.get(var) if ctx is not None else None
    if decl is None:
        return ctx is None or var not in ctx.dims_ and var not in ctx.indices
    checks = [decl.low is None or value > sp.Rational(decl.low), decl.high is None or value < sp.Rational(decl.high),
              not decl.nonnegative or value >= 0, not decl.nonzero or value != 0]
    return all(c is sp.true or c is True for c in checks)


def exact_roots(d: sp.Basic, candidates: Sequence[sp.Basic], inst: Instance, ctx: Context | None = None,
                limit: int = 4) -> list[tuple[sp.Symbol, sp.Basic]]:
    """Exact real roots of a scalar ``d`` in one variable, the others fixed at the instance.

    For an equation the linear probe cannot solve (sin x = 1): ``solveset`` at the instance's
    values, several members of a periodic family (n = 0, 1, −1, 2), each checked to satisfy
    ``d = 0`` exactly. Only SymPy numbers are substituted; nothing is parsed.
    """
    out: list[tuple[sp.Symbol, sp.Basic]] = []
    for var in candidates:
        if not isinstance(var, sp.Symbol) or len(out) >= limit:
            continue
        dd = _freeze(d, var, inst.exact)
        if dd is None or dd.free_symbols != {var}:
            continue
        members = _rational_members(dd, var)
        if members is None:
            try:
                members = _members(sp.solveset(dd, var, sp.S.Reals))
            except Exception:  # noqa: BLE001 - SymPy's solver failing only means no point from here
                continue
        for root in members:
            if len(out) >= limit:
                break
            try:
                if root.is_real and _declared(var, root, ctx) and sp.simplify(dd.xreplace({var: root})).is_zero is True:
                    out.append((var, root))
            except (TypeError, ValueError):
                continue
    return out


def _rational_members(dd: sp.Basic, var: sp.Symbol) -> list[sp.Basic] | None:
    """``_members(solveset(dd, var, Reals))`` without the solver, where that is plain arithmetic: ``dd``
    a rational function of ``var`` with rational coefficients whose numerator has degree ≤ 1, or
    degree 2 with rational roots (the same roots, in the same order; a root of the denominator is
    then dropped by the caller's exact check, as solveset drops it). None: ask solveset.
    """
    if any(not a.is_Rational for a in dd.atoms(sp.Number)) or dd.atoms(sp.Function, sp.NumberSymbol):
        return None
    num = sp.numer(sp.together(dd))
    try:
        poly = sp.Poly(num, var, domain=sp.QQ)
    except (sp.polys.polyerrors.PolynomialError, sp.polys.polyerrors.CoercionFailed, sp.polys.polyerrors.GeneratorsNeeded):
        return None
    coeffs = poly.all_coeffs()
    if poly.is_zero or len(coeffs) == 1:
        return []  # 0 = 0 everywhere (solveset: an interval, no members) or a nonzero constant: no root
    if len(coeffs) == 2:
        roots = [-coeffs[1] / coeffs[0]]
    elif len(coeffs) == 3:
        a, b, c = coeffs
        disc = b * b - 4 * a * c
        if disc < 0:
            return []
        root = sp.sqrt(disc)
        if not root.is_Rational:
            return None
        roots = sorted({(-b - root) / (2 * a), (-b + root) / (2 * a)}, key=sp.default_sort_key)
    else:
        return None
    # where a denominator of ``dd`` as written vanishes, dd is undefined (a/(b + c/p) at p = 0)
    poles = [p.base for p in dd.atoms(sp.Pow) if p.exp.is_negative and p.base.has(var)]
    return [r for r in roots if all(pole.xreplace({var: r}) != 0 for pole in poles)]


def _members(s: sp.Set) -> list[sp.Basic]:
    if isinstance(s, sp.FiniteSet):
        return sorted(s.args, key=sp.default_sort_key)[:4]
    if isinstance(s, sp.Union):
        return [m for part in s.args for m in _members(part)]
    if isinstance(s, sp.ImageSet) and s.base_sets == (sp.S.Integers,):
        return [s.lamda(sp.Integer(k)) for k in (0, 1, -1, 2)]
    return []


_UNDEFINED = ("division by zero", "not a finite real number", "singular matrix")


def _undefined(exc: EvaluationError) -> bool:
    """Whether an exact evaluation failed because the expression is undefined there (a pole, 0/0,
    a non-real value), as opposed to something the evaluator does not support."""
    from derivcheck_steps.evaluate import Undefined

    return isinstance(exc, Undefined) or any(s in str(exc) for s in _UNDEFINED)





def _freeze(d: sp.Basic, var: sp.Symbol, env: dict) -> sp.Basic | None:
    """``d`` with every part free of ``var`` replaced by its exact value at ``env`` (None if a part
    that involves ``var`` is a sum, a matrix or a data entry)."""
    if var not in d.free_symbols:
        try:
            return as_scalar(evaluate(d, env, EXACT))
        except EvaluationError:
            return None
    if d == var:
        return d
    if isinstance(d, sp.Sum | sp.Indexed) or getattr(d, "is_Matrix", False) or not d.args:
        return None
    args = [_freeze(a, var, env) for a in d.args]
    return None if any(a is None for a in args) else d.func(*args)


def _holds_exactly(d: sp.Basic, env: dict) -> bool:
    """Whether ``d = 0`` holds exactly at ``env``: a scalar, or every entry of a vector or matrix equation."""
    try:
        value = evaluate(d, env, EXACT)
        return not exact_nonzero(value if isinstance(value, np.ndarray) and value.shape != (1, 1) else as_scalar(value))
    except EvaluationError as exc:
        if _undefined(exc) or d.atoms(sp.Indexed, MatrixSymbol):
            return False
    except (TypeError, ValueError):
        return False
    # a function the evaluator lacks (tan): SymPy decides the exact value of the constant
    values = {s: env.get(s) for s in d.free_symbols}
    if any(not isinstance(v, sp.Basic) for v in values.values()):
        return False
    return sp.simplify(d.xreplace(values)).is_zero is True


def _admissible(env: dict, assigned: dict, inst: Instance, ctx: Context | None) -> bool:
    if not all(not isinstance(v, sp.Basic) or _declared(k, v, ctx) for k, v in assigned.items()):
        return False
    if ctx is None:
        return True
    try:  # the float twins too: a declared invertible matrix is tested in floats first
        floats = {**inst.floats, **{k: _floats(v) for k, v in assigned.items()}}
    except (TypeError, ValueError):
        return False
    return _facts_hold(ctx, Instance(env, floats, inst.simple))


@dataclass(frozen=True)
class PremisePlan:
    """What ``premise_points`` needs from a premise, worked out once for every instance: the
    variables to solve for, the factors of the premise's numerator and the edges of the other
    equation's domain (the symbolic part, independent of the instance)."""

    d1: sp.Basic
    candidates: tuple
    scalars: tuple
    factors: tuple
    edges: tuple


def plan(d1: sp.Basic, other: sp.Basic, candidates: Sequence[sp.Basic]) -> PremisePlan:
    """The instance-independent part of :func:`premise_points` for the premise ``d1 = 0``;
    ``other`` is the other equation's difference (its domain's edge)."""
    scalars = tuple(c for c in candidates if isinstance(c, sp.Symbol))
    if not scalars:  # factors and edges are only solved for scalars
        return PremisePlan(d1, tuple(candidates), scalars, (), ())
    try:
        factors = tuple(f for f, _ in sp.factor_list(sp.numer(sp.together(d1)))[1] if f.free_symbols)
    except (sp.polys.polyerrors.PolynomialError, sp.polys.polyerrors.GeneratorsNeeded, TypeError, ValueError):
        factors = ()
    edges = sorted(domains.conditions(other) - domains.conditions(d1), key=lambda c: sp.default_sort_key(c.expr))
    return PremisePlan(d1, tuple(candidates), scalars, factors if len(factors) > 1 else (),
                       tuple(c.expr for c in edges if c.kind == "nonzero"))


def premise_points(pp: PremisePlan, inst: Instance, ctx: Context | None, limit: int = 4) -> list[dict]:
    """Assignments (variable -> exact value) at which ``pp.d1 = 0`` holds exactly at ``inst``, from
    every source in the module docstring."""
    d1, candidates, scalars = pp.d1, list(pp.candidates), list(pp.scalars)
    out: list[dict] = []

    def add(assigned: dict) -> None:
        env = {**inst.exact, **assigned}
        if len(out) < limit and assigned not in out and _admissible(env, assigned, inst, ctx) and _holds_exactly(d1, env):
            out.append(assigned)

    found = point_satisfying(d1, candidates, inst)
    if found is not None:
        add({found[0]: found[1]})
    if not out:
        for var, root in exact_roots(d1, candidates, inst, ctx):
            add({var: root})
    for g in pp.factors if len(out) < limit else ():  # a full list takes no more points
        found = point_satisfying(g, scalars, inst)
        if found is not None:
            add({found[0]: found[1]})
    for cond in pp.edges:
        if len(out) >= limit:
            break
        edge = point_satisfying(cond, scalars, inst)
        if edge is None:
            continue
        moved = Instance({**inst.exact, edge[0]: edge[1]}, {**inst.floats, edge[0]: _floats(edge[1])}, inst.simple)
        rest = [c for c in candidates if c != edge[0]]
        found = point_satisfying(d1, rest, moved)
        for var, value in [found] if found is not None else exact_roots(d1, rest, moved, ctx):
            add({edge[0]: edge[1], var: value})
    return out
