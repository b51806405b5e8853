"""All the Monte Carlo batches of a round in one evaluation, with the numbers of batch-by-batch evaluation.

A round draws ``count`` batches of ``size`` draws (in the same order from the same generator as
before) and concatenates them: each family's draws become one array of ``count × size`` rows.
Each E, Var or Cov node's argument is then evaluated once over all the rows (the expensive tree
walk: sums over indices, products of draws), and reduced batch by batch with the very numpy calls
the batch-by-batch evaluation makes (``np.mean``, ``np.var``, ``np.cov`` on one batch's draws), so
that every estimate is the same float. What lies outside E, Var and Cov (a few scalars) is walked
once per batch, the E, Var and Cov values replayed from the first walk.

Anything this does not handle in exactly that way (an argument that is not one value per draw, a
walk that differs between batches, an error) raises :class:`NotBatched`, and the caller evaluates
the round batch by batch, as it always did: the result never depends on which path ran.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import sympy as sp
from sympy.matrices.expressions import MatrixExpr, MatrixSymbol

from derivcheck_steps.evaluate import FLOAT, Samples, _check, _eval, _is_matrix, evaluate
from derivcheck_steps.laws import Diagnostics
from derivcheck_steps.randomness import Cov, E, Var

_NODES = (E, Var, Cov)


class NotBatched(Exception):
    """This round cannot be evaluated in one go with the same numbers: evaluate it batch by batch."""


def _random_outside(expr: sp.Basic, bases: set) -> bool:
    """Whether draws of a random family appear in ``expr`` outside any E, Var or Cov node."""
    if isinstance(expr, _NODES):
        return False
    if isinstance(expr, sp.Indexed):
        return expr.base in bases
    if expr in bases:
        return True
    return any(_random_outside(a, bases) for a in expr.args)


def _fixed(expr: sp.Basic, bases: set) -> bool:
    """Whether ``expr`` is the same in every batch: no E, Var or Cov, no draws."""
    return not expr.has(*_NODES) and not _random_outside(expr, bases)


class _Sides:
    """The sides walked batch after batch: terms and factors that are the same in every batch are
    evaluated once (as the walk would: same operations, same order), the rest walked each time."""

    def __init__(self, bases: set) -> None:
        self.bases = bases
        self.fixed: dict[int, object] = {}

    def value(self, expr: sp.Basic, env: Mapping, hooks: Mapping) -> object:
        return _check(self._eval(expr, env, hooks))

    def _eval(self, expr: sp.Basic, env: Mapping, hooks: Mapping) -> object:
        key = id(expr)
        if key in self.fixed:
            return self.fixed[key]
        if _fixed(expr, self.bases):
            self.fixed[key] = _eval(expr, env, FLOAT, hooks)
            return self.fixed[key]
        if isinstance(expr, sp.Add):  # evaluate.py's rules for a sum and a product
            vals = [self._eval(a, env, hooks) for a in expr.args]
            total = vals[0]
            for v in vals[1:]:
                total = v + total if _is_matrix(v) else total + v
            return total
        if isinstance(expr, sp.Mul):
            scalar, mat = 1.0, None
            for a in expr.args:
                v = self._eval(a, env, hooks)
                if _is_matrix(v):
                    mat = v if mat is None else mat @ v
                else:
                    scalar = scalar * v
            return scalar if mat is None else mat * scalar
        return _eval(expr, env, FLOAT, hooks)


def _bound_ints(env: Mapping) -> tuple:
    return tuple(v for v in env.values() if type(v) is int)


def _hooks(fn: Callable[[sp.Basic, Mapping], object]) -> dict:
    return {t: (lambda node, env, _bk: fn(node, env)) for t in _NODES}


class _Round:
    """One set of batches: the rows of each family, and the E/Var/Cov values computed from them.

    Diagnostics records are kept and handed over at the end in the order the batch-by-batch
    evaluation makes them (batch by batch, each in walk order), so the pooled sums are the same.
    """

    def __init__(self, stacked: dict, count: int, size: int, per_draw: dict | None = None) -> None:
        self.stacked, self.count, self.size = stacked, count, size
        self.bases = set(stacked)
        self.records: list[tuple[sp.Basic, np.ndarray, Mapping]] = []
        # an argument's value per draw depends only on the draws and the integers bound around it, not
        # on how the draws are cut into batches: computed once per round (full batches and halves alike)
        self.per_draw = {} if per_draw is None else per_draw

    @staticmethod
    def _nested(node: sp.Basic, env: Mapping, _bk: object) -> None:
        raise NotBatched("an E, Var or Cov inside another")

    def _rows(self, arg: sp.Basic, env: Mapping) -> np.ndarray | None:
        """The argument per draw as (count, size) rows; None when it is not random (the old hook: not an array)."""
        key = (arg, frozenset((k, v) for k, v in env.items() if type(v) is int))
        if key not in self.per_draw:
            self.per_draw[key] = self._per_draw(arg, env)
        v = self.per_draw[key]
        return None if v is None else v.reshape(self.count, self.size)

    def _per_draw(self, arg: sp.Basic, env: Mapping) -> np.ndarray | None:
        full = dict(env)
        full.update({base: Samples(d) for base, d in self.stacked.items()})
        nested = arg.has(*_NODES)  # without E, Var or Cov inside: the compiled evaluator (the same floats)
        v = evaluate(arg, full, FLOAT, {t: self._nested for t in _NODES} if nested else None)
        if not isinstance(v, np.ndarray):
            return None
        if v.shape != (self.count * self.size,) or v.dtype != np.float64:
            raise NotBatched(f"an argument of shape {v.shape}")
        return v

    def _record(self, node: sp.Basic, block: np.ndarray, env: Mapping) -> None:
        # one row per batch; a copy of env: a sum's walk changes its bound index in the same dict
        self.records.append((node, block, dict(env)))

    def values(self, node: sp.Basic, env: Mapping) -> list[float]:
        """The node's value in each batch (its diagnostics recorded as each batch would record it)."""
        if isinstance(node, E):
            rows = self._rows(node.args[0], env)
            if rows is None:  # E of a number: that number, no record
                return [float(evaluate(node.args[0], env, FLOAT))] * self.count
            self._record(node, rows, env)
            return np.mean(rows, axis=1).tolist()  # row by row, the same floats as np.mean of each batch
        if isinstance(node, Var):
            rows = self._rows(node.args[0], env)
            if rows is None:
                return [0.0] * self.count
            self._record(node, (rows - rows.mean(axis=1, keepdims=True)) ** 2, env)
            return np.var(rows, axis=1).tolist()
        a_rows, b_rows = self._rows(node.args[0], env), self._rows(node.args[1], env)
        if a_rows is None or b_rows is None:
            return [0.0] * self.count
        self._record(node, (a_rows - a_rows.mean(axis=1, keepdims=True)) * (b_rows - b_rows.mean(axis=1, keepdims=True)), env)
        return [float(np.cov(x, y, bias=True)[0, 1]) for x, y in zip(a_rows, b_rows, strict=True)]

    def hand_over(self, diag: Diagnostics | None) -> None:
        """Each batch's diagnostics, in the order the batch-by-batch walk records them (batch after
        batch, nodes in walk order); the moments of all batches of a node computed at once."""
        if diag is not None:
            stats = [(node, Diagnostics.row_stats(block), env) for node, block, env in self.records]
            for b in range(self.count):
                for node, rows, env in stats:
                    diag.add(node, rows[b], env)
        self.records = []


def _power(node: sp.Pow, env: Mapping, hooks: Mapping) -> object:
    """evaluate.py's float power, entry by entry on a column of per-batch numbers (Python floats, as before)."""
    base, ex = _eval(node.base, env, FLOAT, hooks), _eval(node.exp, env, FLOAT, hooks)
    if isinstance(ex, np.ndarray) or _is_matrix(base):
        raise NotBatched("a power of a matrix, or an exponent that varies by batch")
    if isinstance(base, np.ndarray) and base.dtype != object:
        return base ** float(ex)
    for b in base.flat if isinstance(base, np.ndarray) else (base,):
        if b < 0 and not float(ex).is_integer():
            raise NotBatched("fractional power of a negative number")
    if isinstance(base, np.ndarray):
        return np.array([float(b) ** float(ex) for b in base], dtype=object)
    return float(base) ** float(ex)


def _one_walk(residual: tuple, env: Mapping, rnd: _Round) -> list[tuple[object, object]]:
    """Every batch in one walk: each E, Var or Cov a column of per-batch Python floats (an object array),
    so that every operation outside them is the one the batch-by-batch walk makes, on the same floats."""
    if any(isinstance(node, (MatrixExpr, MatrixSymbol)) for side in residual for node in sp.preorder_traversal(side)):
        raise NotBatched("matrices around E, Var or Cov")
    hooks: dict = {t: (lambda node, e, _bk: np.array(rnd.values(node, e), dtype=object)) for t in _NODES}
    hooks[sp.Pow] = lambda node, e, _bk: _power(node, e, hooks)
    sides = []
    try:
        values = [evaluate(side, env, FLOAT, hooks) for side in residual]
    finally:
        hooks.clear()  # the power hook refers to the dict: no cycle may keep the round's draws alive
    for v in values:
        if isinstance(v, np.ndarray):
            if v.dtype != object or v.shape != (rnd.count,):
                raise NotBatched("a value that is not one number per batch")
            column = list(v)
        else:
            column = [v] * rnd.count
        if not all(isinstance(x, float) for x in column):
            raise NotBatched("a value that is not a real number")
        sides.append(column)
    return list(zip(*sides, strict=True))


def _replayed(residual: tuple, env: Mapping, rnd: _Round) -> list[tuple[object, object]]:
    """Batch after batch, the E, Var and Cov values computed in the first walk and replayed in the others
    (where matrices surround them); terms the same in every batch evaluated once."""
    memo: list[tuple[sp.Basic, tuple, list[float]]] = []
    position = 0
    walk = _Sides(rnd.bases)

    def compute(node: sp.Basic, e: Mapping) -> float:
        vals = rnd.values(node, e)
        memo.append((node, _bound_ints(e), vals))
        return vals[0]

    def replay(batch: int) -> dict:
        def hook(node: sp.Basic, e: Mapping) -> float:
            nonlocal position
            if position >= len(memo):
                raise NotBatched("a walk with more E, Var or Cov nodes than the first")
            seen, key, vals = memo[position]
            if seen is not node or key != _bound_ints(e):
                raise NotBatched("a walk that differs from the first")
            position += 1
            return vals[batch]

        return _hooks(hook)

    out = []
    size = rnd.size
    for b in range(rnd.count):
        local = dict(env)
        local.update({base: Samples(d[b * size:(b + 1) * size]) for base, d in rnd.stacked.items()})
        position = 0
        hooks = _hooks(compute) if b == 0 else replay(b)
        lhs, rhs = (walk.value(side, local, hooks) for side in residual)
        if b > 0 and position != len(memo):
            raise NotBatched("a walk with fewer E, Var or Cov nodes than the first")
        out.append((lhs, rhs))
    return out


def _sides(residual: tuple, env: Mapping, stacked: dict, count: int, size: int,
           per_draw: dict) -> tuple[list, _Round]:
    """lhs and rhs of the residual in each of ``count`` batches of ``size`` rows of ``stacked``."""
    rnd = _Round(stacked, count, size, per_draw)
    try:
        out = _one_walk(residual, env, rnd)
    except Exception:  # noqa: BLE001 - not in one walk: batch after batch
        rnd = _Round(stacked, count, size, per_draw)
        out = _replayed(residual, env, rnd)
    return out, rnd


def round_values(residual: tuple, env: Mapping, stacked: dict, count: int, size: int,
                 diag: Diagnostics | None) -> list[tuple[object, object, list[tuple[object, object]]]]:
    """Per batch: lhs, rhs over its draws, and (lhs, rhs) over each half (the split-half jackknife).

    ``stacked`` holds each family's draws, ``count`` batches of ``size`` (even) rows one after the
    other. Raises NotBatched where the batch-by-batch evaluation must decide (``diag`` is then left
    as it was); the caller checks for arrays (a random variable outside E, Var or Cov) exactly as
    it does batch by batch.
    """
    half = size // 2
    try:
        per_draw: dict = {}
        full, rnd = _sides(residual, env, stacked, count, size, per_draw)
        halves, _ = _sides(residual, env, stacked, 2 * count, half, per_draw)
    except NotBatched:
        raise
    except Exception as exc:  # noqa: BLE001 - the batch-by-batch evaluation gives the error its own way
        raise NotBatched(str(exc)) from exc
    rnd.hand_over(diag)
    return [(lhs, rhs, halves[2 * b:2 * b + 2]) for b, (lhs, rhs) in enumerate(full)]
