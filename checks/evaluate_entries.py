"""Evaluating entries: ``A[i, j]`` with indices bound by a sum, and matrices given by their (r, c) entry.

Part of :mod:`derivcheck_steps.evaluate` (which dispatches here); a subexpression of an entrywise matrix that
does not depend on the entry (σ(wᵀx_i) in every entry of Σ_i σ(wᵀx_i) x_i x_iᵀ) is evaluated once per
value of the indices it uses, in a memo kept per thread.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import sympy as sp

from derivcheck_steps.errors import EvaluationError

if TYPE_CHECKING:
    from sympy.matrices.expressions.funcmatrix import FunctionMatrix
    from sympy.matrices.expressions.matexpr import MatrixElement

    from derivcheck_steps.evaluate import Backend, Env, Hook, Value


def eval_entry(e: MatrixElement, env: Env, bk: Backend, hooks: Mapping[type, Hook]) -> Value:
    """``A[i, j]`` (SymPy counts from 0) once its indices have values: a Sum's bound index, or numbers."""
    from derivcheck_steps import evaluate as ev

    parent = ev._eval(e.parent, env, bk, hooks)
    if not ev._is_matrix(parent):
        raise EvaluationError(f"an entry of something that is not a matrix: {e}")
    idx = []
    for i in (e.i, e.j):
        v = ev._eval(i, env, bk, hooks)
        if ev._is_matrix(v) or isinstance(v, ev.Samples):
            raise EvaluationError(f"the index of {e} is not a number")
        exact = sp.Rational(v) if not isinstance(v, sp.Basic) else v
        if getattr(exact, "q", None) != 1:
            raise EvaluationError(f"the index of {e} is not an integer at this instance")
        idx.append(int(exact))
    if not (0 <= idx[0] < parent.shape[0] and 0 <= idx[1] < parent.shape[1]):
        raise EvaluationError(f"index out of range in {e}")
    return parent[idx[0], idx[1]]


@dataclass
class _Memo:
    """Values of subexpressions inside one entrywise evaluation, keyed by the bound indices they use."""

    bound: set
    values: dict
    free: dict
    skip: sp.Basic | None = None


class _Stack(threading.local):
    def __init__(self) -> None:
        self.memos: list[_Memo] = []


LOCAL = _Stack()  # per thread: a timed-out step's thread may still be evaluating in the background


def memoised(e: sp.Basic, env: Env, bk: Backend, hooks: Mapping[type, Hook]) -> Value:
    """The value of ``e`` from the memo, computed once per value of the bound indices it uses."""
    from derivcheck_steps import evaluate as ev

    memo = LOCAL.memos[-1]
    free = memo.free.get(e)
    if free is None:
        free = memo.free[e] = tuple(sorted(e.free_symbols, key=str))
    key = (e, tuple(env.get(s) for s in free if s in memo.bound))
    if key not in memo.values:
        memo.skip = e  # evaluate this node itself (its parts are memoised in turn)
        memo.values[key] = ev._eval(e, env, bk, hooks)
    return memo.values[key]


def eval_entrywise(e: FunctionMatrix, env: Env, bk: Backend, hooks: Mapping[type, Hook]) -> Value:
    """A matrix given by its (r, c) entry (rows and columns counted from 0), entry by entry.

    Subexpressions that do not depend on the entry (σ(wᵀx_i) in every entry of Σ_i σ(wᵀx_i) x_i x_iᵀ)
    are evaluated once per value of the indices they use.
    """
    from derivcheck_steps import evaluate as ev

    rows, cols = (int(ev._eval(n, env, bk, hooks)) for n in e.shape)
    (r, c), body = e.lamda.variables, e.lamda.expr
    out = bk.zeros(rows, cols)
    local = dict(env)
    memos = LOCAL.memos
    outer = not memos
    if outer:
        memos.append(_Memo(set(), {}, {}))
    memos[-1].bound.update((r, c))
    try:
        for a in range(rows):
            for b in range(cols):
                local[r], local[c] = (bk.const(sp.Integer(a)), bk.const(sp.Integer(b))) if bk.exact else (a, b)
                v = ev._eval(body, local, bk, hooks)
                if ev._is_matrix(v) or isinstance(v, ev.Samples) or (isinstance(v, np.ndarray) and v.ndim):
                    raise EvaluationError(f"an entry of {e} is not a number")
                out[a, b] = v
    finally:
        if outer:
            memos.clear()
    return out
