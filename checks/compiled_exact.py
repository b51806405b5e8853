"""Exact evaluation in python-flint's rationals where every value is rational: the same numbers, faster.

The exact backend of :mod:`derivcheck_steps.evaluate` computes with SymPy numbers (a product of
two rationals is a few microseconds, an n×n matrix product n³ of them). Where an expression is
built only of rational operations (sums, products, integer powers, indices, sums over indices,
transposes, traces, inverses) and every value it is given is rational, its value is computed
here with ``flint.fmpq`` (exact rationals in C) and handed back as SymPy rationals: the very same
numbers, since exact rational arithmetic has one answer. Anything else (an irrational value, a
function, a division by zero, a singular inverse, a non-integer power) makes this path give up,
and the SymPy evaluation decides, with its own values and errors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import sympy as sp
from sympy.matrices.expressions import (
    Identity,
    Inverse,
    MatAdd,
    MatMul,
    MatPow,
    MatrixSymbol,
    Trace,
    Transpose,
    ZeroMatrix,
)

from derivcheck_steps import evaluate as ev
from derivcheck_steps.errors import EvaluationError

try:
    import flint
except ImportError:  # pragma: no cover - python-flint is a dependency; without it SymPy computes
    flint = None

Fn = Callable[[Mapping], object]

_LEAVES = (sp.Symbol, MatrixSymbol, sp.IndexedBase)
_NODES = (sp.Add, MatAdd, sp.Mul, MatMul, sp.Pow, Transpose, Inverse, MatPow, Identity, ZeroMatrix, Trace)


class NotRational(Exception):
    """A value or an operation outside rational arithmetic: the SymPy evaluation decides."""


def _rational_only(e: sp.Basic) -> bool:
    """Whether every node of ``e`` is a rational operation this module computes (as compiled.py does)."""
    if e.is_Number:
        return bool(e.is_Rational or isinstance(e, sp.Float)) and e.is_finite is not False
    if isinstance(e, _LEAVES):
        return True
    if isinstance(e, sp.Indexed):
        return all(_rational_only(i) for i in e.indices)
    if isinstance(e, sp.Sum):
        return _rational_only(e.function) and all(_rational_only(b) for _v, *bounds in e.limits for b in bounds)
    if isinstance(e, _NODES) and not isinstance(e, MatrixSymbol):
        return all(_rational_only(a) for a in e.args)
    return False


def _q(v: object) -> object:
    """A value given to the expression, in flint rationals (NotRational when it is not rational)."""
    if isinstance(v, sp.Rational):
        return flint.fmpq(int(v.p), int(v.q))
    if type(v) is int:
        return flint.fmpq(v)
    if isinstance(v, np.ndarray) and v.dtype == object:
        out = np.empty(v.shape, dtype=object)
        for k, x in np.ndenumerate(v):
            out[k] = _q(x)
        return out
    raise NotRational(f"not a rational value: {type(v).__name__}")


def _sympy(v: object) -> object:
    """A flint value as the SymPy number the exact backend gives."""
    if isinstance(v, flint.fmpq):
        return sp.Rational(int(v.p), int(v.q))
    if isinstance(v, (int, flint.fmpz)):
        return sp.Integer(int(v))
    if isinstance(v, np.ndarray) and v.dtype == object:
        out = np.empty(v.shape, dtype=object)
        for k, x in np.ndenumerate(v):
            out[k] = _sympy(x)
        return out
    raise NotRational(f"not a rational result: {type(v).__name__}")


@dataclass(frozen=True)
class _Rational(ev.Backend):
    """The exact backend's operations on flint rationals."""

    def const(self, number: sp.Basic) -> object:
        if isinstance(number, sp.Float):
            number = sp.Rational(str(number))  # the digits the decimal says, as the exact backend reads it
        if not isinstance(number, sp.Rational):
            raise NotRational(f"not a rational number: {number}")
        return flint.fmpq(int(number.p), int(number.q))

    def eye(self, k: int) -> np.ndarray:
        out = np.full((k, k), flint.fmpq(0), dtype=object)
        for i in range(k):
            out[i, i] = flint.fmpq(1)
        return out

    def zeros(self, r: int, c: int) -> np.ndarray:
        return np.full((r, c), flint.fmpq(0), dtype=object)

    def inv(self, a: np.ndarray) -> np.ndarray:
        rows, cols = a.shape
        inverse = flint.fmpq_mat(rows, cols, list(a.flat)).inv()  # singular: ZeroDivisionError
        return np.array(inverse.entries(), dtype=object).reshape(rows, cols)

    def func(self, f: type, x: object) -> object:
        raise NotRational(f"{f.__name__} is not rational")

    @staticmethod
    def compile_power(base_fn: Fn, exp_fn: Fn) -> Fn:
        def power(env: Mapping) -> object:
            base, ex = base_fn(env), exp_fn(env)
            if isinstance(base, np.ndarray):
                raise EvaluationError("power of a matrix or an array")
            if ex.q != 1:
                raise NotRational("a power that is not an integer")
            return base ** int(ex)  # 0 to a negative power: ZeroDivisionError

        return power


RATIONAL = _Rational("rational", exact=True)


def rational_first(expr: sp.Basic, exact: Fn) -> Fn:
    """``exact`` (the compiled SymPy evaluator), preceded by the flint one where ``expr`` allows it."""
    from derivcheck_steps.compiled import FAILURES, _compile

    if flint is None or not _rational_only(expr):
        return exact
    try:
        fast = _compile(expr, RATIONAL)
    except (NotRational, *FAILURES):
        return exact
    leaves = {a for a in sp.preorder_traversal(expr) if isinstance(a, _LEAVES)}
    leaves |= {a.base for a in expr.atoms(sp.Indexed)}

    def value(env: Mapping) -> object:
        try:
            local = dict(env)
            for leaf in leaves:
                if leaf in local:
                    local[leaf] = _q(local[leaf])
            return _sympy(fast(local))
        except (NotRational, *FAILURES):
            return exact(env)

    return value
