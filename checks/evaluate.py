"""Evaluate SymPy expressions at a numeric instance, in floats or in exact arithmetic.

One interpreter, two backends: ``FLOAT`` (numpy float64, fast, for screening and finite
differences) and ``EXACT`` (SymPy rationals and algebraic numbers in object arrays, for
confirming a counterexample). Matrices are 2-D arrays; a scalar is a 0-d value. Nothing is
compiled from text: the expression tree is walked node by node, or (``evaluate`` without hooks)
turned once into closures that make the walk's very operations (``checks/compiled.py``; exact
rationals in python-flint where all is rational, ``checks/compiled_exact.py``), the walk deciding
whenever those raise.

Conventions, the same in both backends (and the project's):
- Real arithmetic: a node whose value is not real (√ or a fractional power of a negative
  number, log of a non-positive one) or infinite (a pole, a singular inverse) makes the
  expression *undefined* there (``Undefined``), even if a later node would make it real again
  (√x·√y at x = y = −1 is undefined, not −1).
- A decimal (``Float``) is the exact rational its digits say: 0.0833333333333333 is
  833333333333333/10¹⁶, never 1/12.
- A sum whose upper bound is below its lower bound is empty (0); nested sums with dependent
  bounds are evaluated outermost first (SymPy lists a Sum's limits innermost first).
- An ill-shaped matrix operation raises ``ShapeMismatch``, never a skipped point.
"""

from __future__ import annotations

import math
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
from sympy.matrices.expressions.funcmatrix import FunctionMatrix
from sympy.matrices.expressions.matexpr import MatrixElement

from derivcheck_steps.errors import EvaluationError
from derivcheck_steps.evaluate_entries import LOCAL, eval_entry, eval_entrywise, memoised


class Undefined(EvaluationError):
    """The expression has no finite real value at this instance (pole, non-real node, singular inverse)."""


class ShapeMismatch(EvaluationError):
    """Matrix shapes do not fit together (an ill-typed product or sum): an input error, not a point to skip."""


Value = object  # float, sympy.Number, or a 2-D numpy array of either
Env = Mapping[sp.Basic, object]


@dataclass(frozen=True)
class Backend:
    """Arithmetic for one kind of number."""

    name: str
    exact: bool

    def const(self, number: sp.Basic) -> Value:
        if self.exact:
            # the digits the decimal says, exactly (never nsimplify, which would guess 1/12 or √17)
            return sp.Rational(str(number)) if isinstance(number, sp.Float) else number
        return float(number)

    def eye(self, k: int) -> np.ndarray:
        if self.exact:
            out = np.full((k, k), sp.Integer(0), dtype=object)
            for i in range(k):
                out[i, i] = sp.Integer(1)
            return out
        return np.eye(k)

    def zeros(self, r: int, c: int) -> np.ndarray:
        return np.full((r, c), sp.Integer(0), dtype=object) if self.exact else np.zeros((r, c))

    def inv(self, a: np.ndarray) -> np.ndarray:
        if self.exact:
            m = sp.Matrix(a.tolist())
            if m.det() == 0:
                raise Undefined("singular matrix at this instance")
            return np.array(m.inv().tolist(), dtype=object)
        if np.linalg.cond(a) > 1e12:  # maybe singular: the exact backend decides
            raise EvaluationError("singular matrix at this instance (in floats)")
        return np.linalg.inv(a)

    def func(self, f: type, x: Value) -> Value:
        if self.exact:
            if f is sp.log and _exact_sign(x) <= 0:
                raise Undefined(f"log of a non-positive number ({x}) at this instance")
            if f is sp.factorial and not (isinstance(x, sp.Integer) and x >= 0):
                raise EvaluationError(f"factorial of {x}: exact only at nonnegative integers (declare the scalar integer)")
            return _real(f(x))
        table: dict[type, Callable[[float], float]] = {
            sp.sign: lambda v: float(np.sign(v)),
            sp.Abs: abs,
            sp.exp: math.exp,
            sp.log: math.log,
            sp.sin: math.sin,
            sp.cos: math.cos,
            sp.tanh: math.tanh,
            sp.factorial: lambda v: math.gamma(v + 1),  # Γ(v + 1): the float screen also between integers
        }
        if f not in table:
            raise EvaluationError(f"function {f.__name__} is not supported numerically")
        if isinstance(x, np.ndarray):  # Monte Carlo draws (one value a draw): the function entrywise
            return _entrywise(table[f], x)
        return table[f](x)


def _entrywise(fn: Callable[[float], float], x: np.ndarray) -> np.ndarray:
    """``fn`` at each entry of an array of draws, as floats (a domain error is this instance's failure)."""
    draws = x.astype(float)
    vectorised = _NUMPY_FUNCS.get(fn)
    if vectorised is not None:
        if fn is math.log and np.any(draws <= 0):
            raise EvaluationError("log of a non-positive number at a draw")
        with np.errstate(over="raise", invalid="raise"):
            return vectorised(draws)
    return np.array([fn(v) for v in draws.flat], dtype=float).reshape(x.shape)


_NUMPY_FUNCS: dict[Callable, Callable] = {
    math.exp: np.exp, math.log: np.log, math.sin: np.sin, math.cos: np.cos, math.tanh: np.tanh, abs: np.abs,
}


FLOAT = Backend("float64", exact=False)
EXACT = Backend("exact", exact=True)

_FUNCS = (sp.sign, sp.Abs, sp.exp, sp.log, sp.sin, sp.cos, sp.tanh, sp.factorial)

Hook = Callable[[sp.Basic, Env, Backend], Value]


def _exact_sign(v: sp.Basic) -> int:
    """The sign of a real exact number (precision raised as needed); EvaluationError if undecided."""
    from derivcheck_steps.precision import sign

    s = sign(v)
    if s is None:
        raise EvaluationError(f"the sign of {v} could not be decided at this instance")
    return s


def _real(v: Value) -> Value:
    """``v`` if it is a finite real number; Undefined if it is not; EvaluationError if SymPy cannot tell."""
    if isinstance(v, sp.Basic):
        if v.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            raise Undefined("not finite at this instance (a pole)")
        if v.is_extended_real is False:
            raise Undefined(f"not real at this instance ({v})")
        if v.is_extended_real is None:
            raise EvaluationError(f"cannot tell whether {v} is real")
    return v


def _is_matrix(v: Value) -> bool:
    return isinstance(v, np.ndarray) and v.ndim == 2


@dataclass(frozen=True)
class Samples:
    """Monte Carlo draws of a random family: axis 0 is the sample, the rest its indices."""

    draws: np.ndarray


def _check(v: Value) -> Value:
    if isinstance(v, np.ndarray):
        if v.dtype == object:
            for e in v.flat:
                _check(e)
        elif not np.all(np.isfinite(v)):
            raise EvaluationError("not finite at this instance (a pole or overflow)")
        return v
    if isinstance(v, sp.Basic):
        return _real(v)
    if not math.isfinite(v):
        raise EvaluationError("not finite at this instance (a pole or overflow)")
    return v


def evaluate(expr: sp.Basic, env: Env, backend: Backend = FLOAT, hooks: Mapping[type, Hook] | None = None) -> Value:
    """Evaluate ``expr`` with symbols valued by ``env``; raises EvaluationError on failure."""
    if not hooks and not LOCAL.memos:
        value = _compiled_value(expr, env, backend)
        if value is not None:
            return value
    try:
        return _check(_eval(expr, env, backend, hooks or {}))
    except ZeroDivisionError:
        raise EvaluationError("division by zero at this instance") from None
    except (OverflowError, FloatingPointError) as exc:
        raise EvaluationError(f"not evaluable at this instance: {exc}") from None
    except ValueError as exc:
        if "mismatch" in str(exc) or "shape" in str(exc) or "broadcast" in str(exc):
            raise ShapeMismatch(f"the matrix shapes do not fit: {exc}") from None
        raise EvaluationError(f"not evaluable at this instance: {exc}") from None


def _compiled_value(expr: sp.Basic, env: Env, backend: Backend) -> Value | None:
    """The value from the expression's compiled evaluator (``checks/compiled.py``); None when it has
    none or raises, and then the walk below gives the value or the error, as it always did."""
    from derivcheck_steps.compiled import FAILURES, compiled

    fn = compiled(expr, backend)
    if fn is None:
        return None
    try:
        with np.errstate(all="ignore"):  # the walk repeats a failing evaluation with numpy's warnings as they are
            return _check(fn(env))
    except FAILURES:
        return None


def _eval_binomial(e: sp.binomial, env: Env, bk: Backend, hooks: Mapping[type, Hook]) -> Value:
    """``binomial(n, k)`` at integers ``n >= 0`` and ``k`` (0 when ``k < 0`` or ``k > n``); otherwise not evaluable."""
    ints = []
    for arg in e.args:
        v = _eval(arg, env, bk, hooks)
        if _is_matrix(v) or isinstance(v, np.ndarray | Samples):
            raise EvaluationError(f"a binomial coefficient takes two numbers: {e}")
        try:
            exact = v if isinstance(v, sp.Rational) else sp.Rational(float(v))
        except (TypeError, ValueError):
            exact = None
        if exact is None or getattr(exact, "q", None) != 1:
            raise EvaluationError(f"binomial coefficient at a non-integer at this instance: {e}")
        ints.append(int(exact))
    n, k = ints
    if n < 0:
        raise EvaluationError(f"binomial coefficient with a negative top at this instance: {e}")
    return bk.const(sp.Integer(0) if k < 0 or k > n else sp.binomial(n, k))


def _eval(e: sp.Basic, env: Env, bk: Backend, hooks: Mapping[type, Hook]) -> Value:  # noqa: C901
    for typ, hook in hooks.items():
        if isinstance(e, typ):
            return hook(e, env, bk)
    if e.is_Number or e in (sp.pi, sp.E):
        return bk.const(e)
    memos = LOCAL.memos
    if memos and isinstance(e, (sp.Sum, sp.Pow, *_FUNCS)):
        if memos[-1].skip is not e:
            return memoised(e, env, bk, hooks)
        memos[-1].skip = None
    if isinstance(e, (sp.Symbol, MatrixSymbol, sp.IndexedBase)):
        if e not in env:
            raise EvaluationError(f"no value for {e}")
        v = env[e]
        return v.draws if isinstance(v, Samples) else v  # a random family declared without indices
    if isinstance(e, sp.Indexed):
        arr = env.get(e.base)
        if arr is None:
            raise EvaluationError(f"no value for {e.base}")
        idx = tuple(int(_eval(i, env, bk, hooks)) - 1 for i in e.indices)
        if any(k < 0 for k in idx):
            raise EvaluationError(f"index out of range in {e}")
        try:
            if isinstance(arr, Samples):
                return arr.draws[(slice(None), *idx)]
            return arr[idx]
        except IndexError:
            raise EvaluationError(f"index out of range in {e}") from None
    if isinstance(e, sp.Sum):
        return _eval_sum(e, env, bk, hooks)
    if isinstance(e, MatrixElement):
        return eval_entry(e, env, bk, hooks)
    if isinstance(e, FunctionMatrix):
        return eval_entrywise(e, env, bk, hooks)
    if isinstance(e, (sp.Add, MatAdd)):
        vals = [_eval(a, env, bk, hooks) for a in e.args]
        total = vals[0]
        for v in vals[1:]:
            total = v + total if _is_matrix(v) else total + v  # array first: numpy broadcasts
        return total
    if isinstance(e, (sp.Mul, MatMul)):
        scalar = bk.const(sp.Integer(1))
        mat = None
        for a in e.args:
            v = _eval(a, env, bk, hooks)
            if _is_matrix(v):
                mat = v if mat is None else mat @ v
            else:
                scalar = scalar * v
        return scalar if mat is None else mat * scalar  # array first: numpy multiplies entrywise
    if isinstance(e, sp.Pow):
        base = _eval(e.base, env, bk, hooks)
        ex = _eval(e.exp, env, bk, hooks)
        if _is_matrix(base):
            raise EvaluationError("power of a matrix written as Pow")
        if bk.exact:
            if isinstance(base, np.ndarray):
                raise EvaluationError("power of an array")
            if not ex.is_integer and _exact_sign(base) < 0:
                raise Undefined(f"fractional power of a negative number ({base}) at this instance")
            return _real(base**ex)
        if isinstance(base, np.ndarray):
            return base ** float(ex)
        if base < 0 and not float(ex).is_integer():
            raise EvaluationError("fractional power of a negative number")
        return float(base) ** float(ex)
    if isinstance(e, Transpose):
        return _eval(e.arg, env, bk, hooks).T
    if isinstance(e, Inverse):
        return bk.inv(_eval(e.arg, env, bk, hooks))
    if isinstance(e, MatPow):
        base = _eval(e.base, env, bk, hooks)
        k = int(_eval(e.exp, env, bk, hooks))
        out = bk.eye(base.shape[0])
        if k < 0:
            base, k = bk.inv(base), -k
        for _ in range(k):
            out = out @ base
        return out
    if isinstance(e, Identity):
        return bk.eye(int(_eval(e.rows, env, bk, hooks)))
    if isinstance(e, ZeroMatrix):
        return bk.zeros(int(_eval(e.rows, env, bk, hooks)), int(_eval(e.cols, env, bk, hooks)))
    if isinstance(e, Trace):
        return _eval(e.arg, env, bk, hooks).trace()
    if isinstance(e, sp.KroneckerDelta):
        a, b = (_eval(arg, env, bk, hooks) for arg in e.args[:2])  # a third argument is the range (0, n − 1)
        if _is_matrix(a) or _is_matrix(b) or isinstance(a, Samples) or isinstance(b, Samples):
            raise EvaluationError("a Kronecker delta takes two indices")
        return bk.const(sp.Integer(1 if a == b else 0))
    if isinstance(e, sp.binomial):
        return _eval_binomial(e, env, bk, hooks)
    if isinstance(e, sp.MatrixBase | sp.Determinant):  # explicit matrices, determinants (explicit_matrices)
        from derivcheck_steps import explicit_matrices as em

        if isinstance(e, sp.Determinant):
            return em.evaluate_determinant(_eval(e.arg, env, bk, hooks), bk.exact)
        return em.evaluate_explicit(e, lambda x: _eval(x, env, bk, hooks), bk.exact)
    if isinstance(e, _FUNCS):
        v = _eval(e.args[0], env, bk, hooks)
        if _is_matrix(v):
            raise EvaluationError(f"{type(e).__name__} of a matrix is not supported")
        return bk.func(type(e), v)
    raise EvaluationError(f"cannot evaluate {type(e).__name__} numerically: {e}")


def _eval_sum(e: sp.Sum, env: Env, bk: Backend, hooks: Mapping[type, Hook]) -> Value:
    # SymPy lists limits innermost first: Sum(f, (k, 1, j), (j, 1, n)) is Σ_j Σ_{k ≤ j} f, so the
    # outermost variable is the last one (its bounds may not mention the inner ones)
    *rest, (var, lo, hi) = e.limits
    inner = sp.Sum(e.function, *rest) if rest else e.function
    lo_v, hi_v = int(_eval(lo, env, bk, hooks)), int(_eval(hi, env, bk, hooks))
    total = bk.const(sp.Integer(0))
    local = dict(env)
    if LOCAL.memos:
        LOCAL.memos[-1].bound.add(var)
    for k in range(lo_v, hi_v + 1):  # empty when hi < lo: the empty-sum convention (Σ_{n+2}^{n} = 0)
        local[var] = bk.const(sp.Integer(k)) if bk.exact else k
        total = total + _eval(inner, local, bk, hooks)
    return total


def as_scalar(v: Value) -> Value:
    """A 1x1 matrix as its entry; scalars unchanged."""
    if _is_matrix(v):
        if v.shape != (1, 1):
            raise EvaluationError(f"expected a scalar, got a {v.shape[0]}x{v.shape[1]} matrix")
        return v[0, 0]
    return v


def to_exact(v: Value) -> Value:
    """Convert a float value (or array) to exact rationals, entry by entry."""
    if _is_matrix(v):
        out = np.empty(v.shape, dtype=object)
        for k, x in np.ndenumerate(v):
            out[k] = to_exact(x)
        return out
    if isinstance(v, (int, np.integer)):
        return sp.Integer(int(v))
    if isinstance(v, sp.Basic):
        return v
    return sp.Rational(float(v))
