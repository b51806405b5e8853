"""Evaluation compiled once per expression: the tree turned into nested closures.

:mod:`derivcheck_steps.evaluate` walks an expression node by node, deciding at every node (and
at every point, every index of a sum, every Monte Carlo round) what kind of node it is. Here that
decision is taken once: each node becomes a closure that evaluates its children's closures and
combines them with exactly the operations the walker's backend makes (float or exact), in the
same order, on the same kinds of values (Python floats, numpy arrays, ``Samples``; SymPy numbers
and object arrays), so every value is the same float or the same exact number. Nothing is
generated as source text and nothing from the input is executed: the closures are built from the
node types alone.

Only successful evaluations are taken from here: when a compiled evaluation raises, the caller
walks the expression instead, so every error (its kind and its message) is the walker's own.
Nodes without a compiled form (a binomial, a matrix given by its entries, an unknown function)
are handed to the walker node by node.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

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

Fn = Callable[[Mapping], object]

# what a compiled evaluation may raise where the walker raises its own error (then the walker decides)
FAILURES = (
    EvaluationError,
    ArithmeticError,
    ValueError,
    TypeError,
    LookupError,
    AttributeError,
    Warning,
    RecursionError,
    np.linalg.LinAlgError,
)

_CACHE: dict[tuple[sp.Basic, bool], Fn | None] = {}
_CACHE_SIZE = 4096


def compiled(expr: sp.Basic, bk: ev.Backend = ev.FLOAT) -> Fn | None:
    """The evaluator of ``expr`` in ``bk`` (built once, then reused), or None where only the walker applies."""
    key = (expr, bk.exact)
    try:
        return _CACHE[key]
    except KeyError:
        pass
    except TypeError:  # unhashable: not cached
        return None
    try:
        fn: Fn | None = _compile(expr, bk)
    except FAILURES:  # a constant with no value in this backend (zoo), a tree too deep: the walker decides
        fn = None
    if bk.exact and fn is not None:
        from derivcheck_steps.compiled_exact import rational_first

        fn = rational_first(expr, fn)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.clear()
    _CACHE[key] = fn
    return fn


def _walked(e: sp.Basic, bk: ev.Backend) -> Fn:
    return lambda env: ev._eval(e, env, bk, {})


def _compile(e: sp.Basic, bk: ev.Backend) -> Fn:  # noqa: C901 - one branch per node type, in the walker's order
    if e.is_Number or e in (sp.pi, sp.E):
        value = bk.const(e)
        return lambda env: value
    if isinstance(e, (sp.Symbol, MatrixSymbol, sp.IndexedBase)):
        return _leaf(e)
    if isinstance(e, sp.Indexed):
        return _indexed(e, bk)
    if isinstance(e, sp.Sum):
        return _sum(e, bk)
    if isinstance(e, (sp.Add, MatAdd)):
        return _add([_compile(a, bk) for a in e.args])
    if isinstance(e, (sp.Mul, MatMul)):
        return _mul([_compile(a, bk) for a in e.args], bk)
    if isinstance(e, sp.Pow):
        power = getattr(bk, "compile_power", None) or (_exact_pow if bk.exact else _pow)
        return power(_compile(e.base, bk), _compile(e.exp, bk))
    if isinstance(e, Transpose):
        arg = _compile(e.arg, bk)
        return lambda env: arg(env).T
    if isinstance(e, Inverse):
        arg = _compile(e.arg, bk)
        return lambda env: bk.inv(arg(env))
    if isinstance(e, MatPow):
        return _matpow(_compile(e.base, bk), _compile(e.exp, bk), bk)
    if isinstance(e, Identity):
        rows = _compile(e.rows, bk)
        return lambda env: bk.eye(int(rows(env)))
    if isinstance(e, ZeroMatrix):
        rows, cols = _compile(e.rows, bk), _compile(e.cols, bk)
        return lambda env: bk.zeros(int(rows(env)), int(cols(env)))
    if isinstance(e, Trace):
        arg = _compile(e.arg, bk)
        return lambda env: arg(env).trace()
    if isinstance(e, ev._FUNCS):
        return _func(type(e), _compile(e.args[0], bk), bk)
    return _walked(e, bk)  # Kronecker deltas, binomials, entries, entrywise matrices, the rest: node by node


def _leaf(e: sp.Basic) -> Fn:
    def leaf(env: Mapping) -> object:
        v = env[e]  # KeyError when there is no value: the walker says so
        return v.draws if isinstance(v, ev.Samples) else v

    return leaf


def _indexed(e: sp.Indexed, bk: ev.Backend) -> Fn:
    base = e.base
    indices = [_compile(i, bk) for i in e.indices]

    def indexed(env: Mapping) -> object:
        arr = env.get(base)
        if arr is None:
            raise EvaluationError(f"no value for {base}")
        idx = tuple(int(i(env)) - 1 for i in indices)
        if any(k < 0 for k in idx):
            raise EvaluationError(f"index out of range in {e}")
        if isinstance(arr, ev.Samples):
            return arr.draws[(slice(None), *idx)]
        return arr[idx]

    return indexed


def _sum(e: sp.Sum, bk: ev.Backend) -> Fn:
    # as evaluate._eval_sum: the outermost variable is the last limit; the empty sum is 0
    *rest, (var, lo, hi) = e.limits
    inner = _compile(sp.Sum(e.function, *rest) if rest else e.function, bk)
    low, high = _compile(lo, bk), _compile(hi, bk)
    zero = bk.const(sp.Integer(0))
    index = (lambda k: bk.const(sp.Integer(k))) if bk.exact else int

    def total(env: Mapping) -> object:
        lo_v, hi_v = int(low(env)), int(high(env))
        out = zero
        local = dict(env)
        for k in range(lo_v, hi_v + 1):
            local[var] = index(k)
            out = out + inner(local)
        return out

    return total


def _add(parts: list[Fn]) -> Fn:
    def add(env: Mapping) -> object:
        vals = [p(env) for p in parts]
        total = vals[0]
        for v in vals[1:]:
            total = v + total if ev._is_matrix(v) else total + v  # array first: numpy broadcasts
        return total

    return add


def _mul(parts: list[Fn], bk: ev.Backend) -> Fn:
    one = bk.const(sp.Integer(1))

    def mul(env: Mapping) -> object:
        scalar, mat = one, None
        for p in parts:
            v = p(env)
            if ev._is_matrix(v):
                mat = v if mat is None else mat @ v
            elif scalar is one and not bk.exact and isinstance(v, np.ndarray) and v.dtype == np.float64 and v.ndim == 1:
                scalar = v  # 1.0 · v is v, bit for bit: the copy is skipped
            else:
                scalar = scalar * v
        return scalar if mat is None else mat * scalar  # array first: numpy multiplies entrywise

    return mul


def _pow(base_fn: Fn, exp_fn: Fn) -> Fn:
    def power(env: Mapping) -> object:
        base, ex = base_fn(env), exp_fn(env)
        if ev._is_matrix(base):
            raise EvaluationError("power of a matrix written as Pow")
        if isinstance(base, np.ndarray):
            return base ** float(ex)
        if base < 0 and not float(ex).is_integer():
            raise EvaluationError("fractional power of a negative number")
        return float(base) ** float(ex)

    return power


def _exact_pow(base_fn: Fn, exp_fn: Fn) -> Fn:
    def power(env: Mapping) -> object:
        base, ex = base_fn(env), exp_fn(env)
        if ev._is_matrix(base):
            raise EvaluationError("power of a matrix written as Pow")
        if isinstance(base, np.ndarray):
            raise EvaluationError("power of an array")
        if not ex.is_integer and ev._exact_sign(base) < 0:
            raise ev.Undefined(f"fractional power of a negative number ({base}) at this instance")
        return ev._real(base**ex)

    return power


def _matpow(base_fn: Fn, exp_fn: Fn, bk: ev.Backend) -> Fn:
    def matpow(env: Mapping) -> object:
        base = base_fn(env)
        k = int(exp_fn(env))
        out = bk.eye(base.shape[0])
        if k < 0:
            base, k = bk.inv(base), -k
        for _ in range(k):
            out = out @ base
        return out

    return matpow


def _func(f: type, arg: Fn, bk: ev.Backend) -> Fn:
    def func(env: Mapping) -> object:
        v = arg(env)
        if ev._is_matrix(v):
            raise EvaluationError(f"{f.__name__} of a matrix is not supported")
        return bk.func(f, v)

    return func
