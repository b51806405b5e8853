"""Matrices given by their entries (``\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}``): the class the
provers can decide and the numeric evaluation of it and of determinants.

:class:`Explicit` is SymPy's immutable matrix with one difference that matters to the provers: a
``doit`` or ``expand`` whose every entry is exactly 0 gives the ``ZeroMatrix`` of its shape, the form
the canonical-form provers recognise as zero (a difference of two explicit matrices is itself explicit,
so ``L − R`` with all entries 0 after expansion is a symbolic proof of ``L = R``, entry by entry).

:func:`evaluate_explicit` values each entry with the evaluator (floats or exact numbers);
:func:`evaluate_determinant` values ``det A`` for any square matrix expression.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy as sp

from derivcheck_steps.errors import EvaluationError


class Explicit(sp.ImmutableDenseMatrix):
    """An immutable matrix of entries whose all-zero ``doit``/``expand`` is the ``ZeroMatrix``."""

    def doit(self, **hints: object) -> sp.MatrixBase:
        return _zero_if_zero(super().doit(**hints))

    def expand(self, *args: object, **hints: object) -> sp.MatrixBase:
        return _zero_if_zero(super().expand(*args, **hints))

    def _derivcheck_plain(self, printer: object) -> str:
        """One line in reports: ``[a, b; c, d]`` (rows at ``;``)."""
        rows = self.tolist()
        return "[" + "; ".join(", ".join(printer._print(x) for x in row) for row in rows) + "]"


def _zero_if_zero(m: sp.MatrixBase) -> sp.MatrixBase:
    return sp.ZeroMatrix(*m.shape) if all(x == 0 for x in m) else m


def explicit_matrix(rows: object, *more: object) -> Explicit:
    """An :class:`Explicit` matrix from rows (``[[a, b], [c, d]]``) or (rows, columns, entries)."""
    return Explicit(rows, *more)


def evaluate_explicit(e: sp.MatrixBase, value: Callable[[sp.Basic], object], exact: bool) -> np.ndarray:
    """The 2-D array of ``e``'s entries, each valued by ``value`` (the evaluator at the instance)."""
    out = np.empty(e.shape, dtype=object if exact else float)
    for (r, c), x in np.ndenumerate(np.array(e.tolist(), dtype=object)):
        v = value(x)
        if isinstance(v, np.ndarray) and v.shape != ():
            raise EvaluationError(f"an entry of an explicit matrix is not a number: {x}")
        out[r, c] = v
    return out


def evaluate_determinant(a: object, exact: bool) -> object:
    """``det a`` of a valued square matrix (exactly with the exact backend)."""
    if not isinstance(a, np.ndarray) or a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise EvaluationError("a determinant of something that is not a square matrix")
    if exact:
        return sp.Matrix(a.tolist()).det(method="berkowitz")
    return float(np.linalg.det(np.asarray(a, dtype=float)))


__all__ = ["Explicit", "evaluate_determinant", "evaluate_explicit", "explicit_matrix"]
