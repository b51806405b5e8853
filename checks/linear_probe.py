"""Exact roots of an equation affine in one variable, found by probing it at a few values.

``d`` as a function of one variable (a scalar, or a column vector) with every other symbol at an
instance's exact value: probed at three values (a scalar) or at zero and the unit vectors (a
vector), the root of the affine function through the probes is taken and confirmed exactly
(``d`` must vanish there, and for a vector the probes must fit one affine map).

Each probe evaluates ``d`` again, but only the parts that involve the variable change: the
largest parts free of it (``XᵀX + λI`` in ``(XᵀX + λI)w − Xᵀt``) are evaluated once per
instance and stand in as placeholders. The skeleton keeps every operation, operand and order of
the original (it is rebuilt unevaluated), so each probe computes exactly the same value; if a
part cannot be evaluated on its own, the probes evaluate the whole of ``d`` as before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import count

import numpy as np
import sympy as sp
from sympy.matrices.expressions import MatAdd, MatMul, MatrixExpr, MatrixSymbol
from sympy.polys.domains import QQ
from sympy.polys.matrices import DomainMatrix

from derivcheck_steps.errors import EvaluationError
from derivcheck_steps.evaluate import EXACT, as_scalar, evaluate
from derivcheck_steps.precision import confirmed_nonzero as exact_nonzero
from derivcheck_steps.sampling import Instance

_OPS = (sp.Add, sp.Mul, sp.Pow, MatAdd, MatMul)  # the nodes descended into: plain arithmetic on their args
_names = count()


def _placeholder(part: sp.Basic) -> sp.Basic:
    if isinstance(part, MatrixExpr):
        return MatrixSymbol(f"⟨part {next(_names)}⟩", *part.shape)
    return sp.Dummy("part")


def _rebuild(e: sp.Basic, var: sp.Basic, parts: list) -> sp.Basic:
    if var not in e.free_symbols:
        if e.is_Atom or isinstance(e, MatrixSymbol):
            return e  # a number or a symbol: nothing to save
        p = _placeholder(e)
        parts.append((p, e))
        return p
    if type(e) in _OPS:
        return e.func(*[_rebuild(a, var, parts) for a in e.args], evaluate=False)
    return e  # a sum, a function, a transpose ...: evaluated whole at each probe


@lru_cache(maxsize=512)
def skeleton(d: sp.Basic, var: sp.Basic) -> tuple[sp.Basic, tuple]:
    """``d`` with its largest parts free of ``var`` replaced by placeholders, and the
    (placeholder, part) pairs; the operations on ``var`` keep their order."""
    parts: list = []
    try:
        rebuilt = _rebuild(d, var, parts)
    except (TypeError, ValueError, AttributeError):  # a node SymPy will not rebuild unevaluated
        return d, ()
    return rebuilt, tuple(parts)


def as_function(d: sp.Basic, var: sp.Basic, env: dict) -> Callable[[object], object]:
    """``v ↦ evaluate(d, env + {var: v}, EXACT)``, the parts free of ``var`` evaluated once."""
    body, parts = skeleton(d, var)
    local = dict(env)
    try:
        for p, part in parts:
            local[p] = evaluate(part, env, EXACT)
    except Exception:  # noqa: BLE001 - a part that fails alone is evaluated within d, as before
        body, local = d, dict(env)

    def f(v: object) -> object:
        local[var] = v
        return evaluate(body, local, EXACT)

    return f


def _solve_scalar(d: sp.Basic, var: sp.Symbol, env: dict) -> sp.Basic | None:
    g = as_function(d, var, env)

    def f(v: sp.Basic) -> sp.Basic:
        return as_scalar(g(v))

    probes = [sp.Integer(k) for k in (0, 1, 2, 3, 5, 7)]
    vals = []
    for p in probes:
        try:
            vals.append((p, f(p)))
        except EvaluationError:
            continue
        if len(vals) == 3:
            break
    if len(vals) < 3:
        return None
    (p0, f0), (p1, f1), (p2, f2) = vals
    if f0 == 0 and f1 == 0 and f2 == 0:
        return p1  # the premise holds here whatever var is (x0 = 1 in (x0 − 1)·ε = 0): any value will do
    slope = (f1 - f0) / (p1 - p0)
    if slope == 0 or exact_nonzero((f2 - f0) / (p2 - p0) - slope):
        return None
    root = p0 - f0 / slope
    try:
        if exact_nonzero(f(root)):
            return None
    except EvaluationError:
        return None
    return root


def _solve_vector(d: sp.Basic, var: MatrixSymbol, env: dict) -> np.ndarray | None:
    rows = int(env[var].shape[0])
    f = as_function(d, var, env)
    zero = np.full((rows, 1), sp.Integer(0), dtype=object)
    try:
        b = f(zero)
        cols = []
        for k in range(rows):
            e = zero.copy()
            e[k, 0] = sp.Integer(1)
            cols.append((f(e) - b)[:, 0])
    except EvaluationError:
        return None
    a = sp.Matrix(np.array(cols, dtype=object).T.tolist())
    if a.shape[0] != a.shape[1]:
        return None
    try:  # not affine along the first axis (σ(wᵀx) in it): no solve, whose symbolic det could take minutes
        twice = zero.copy()
        twice[0, 0] = sp.Integer(2)
        if exact_nonzero(f(twice)[:, 0] - b[:, 0] - 2 * cols[0]):
            return None
    except EvaluationError:
        return None
    solved = _solve_rational(a, b)
    if solved is False:
        return None
    if solved is None:  # not every entry rational: SymPy's own matrices
        if a.det() == 0:
            return None
        solved = a.LUsolve(-sp.Matrix(b.tolist()))
    sol = np.array(solved.tolist(), dtype=object)
    probe = env[var] if env[var].dtype == object else zero
    try:
        lin = f(probe) - (np.array(a.tolist(), dtype=object) @ probe + b)
        if exact_nonzero(lin) or exact_nonzero(f(sol)):
            return None  # not affine in var
    except EvaluationError:
        return None
    return sol


def _solve_rational(a: sp.Matrix, b: np.ndarray) -> sp.Matrix | bool | None:
    """The solution of ``a·x = −b`` over the rationals (exact, as SymPy's LUsolve gives it, but
    far faster); False if ``a`` is singular; None if an entry is not rational."""
    entries = [*a, *b.flat]
    if not all(isinstance(v, sp.Rational) for v in entries):
        return None
    m = DomainMatrix.from_Matrix(a).convert_to(QQ)
    if m.det() == 0:
        return False
    rhs = DomainMatrix.from_Matrix(-sp.Matrix(b.tolist())).convert_to(QQ)
    return m.lu_solve(rhs).to_Matrix()


def point_satisfying(d: sp.Basic, candidates: Sequence[sp.Basic], inst: Instance) -> tuple[sp.Basic, object] | None:
    """A variable and an exact value of it that make ``d == 0`` at this instance, if one is found."""
    for var in candidates:
        if isinstance(var, MatrixSymbol):
            if var.shape[1] != 1:
                continue
            sol = _solve_vector(d, var, inst.exact)
        else:
            sol = _solve_scalar(d, var, inst.exact)
        if sol is not None:
            return var, sol
    return None
