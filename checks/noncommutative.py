"""Matrix identities with inverses, by clearing them: multiply by the matrices that were inverted.

Matrices do not commute, so a difference such as ``P⁻¹Y − ZQ⁻¹`` has no common denominator; but
for invertible P and Q it is zero exactly when ``P(P⁻¹Y − ZQ⁻¹)Q = YQ − PZ`` is, and that one
expands without inverses. The rule, applied a few times over (Woodbury's identity needs two
rounds):

1. write the difference as a sum of products (scalar coefficient times a word of matrix factors);
2. drop a factor that starts (ends) every term: ``FD′ = 0`` follows from ``D′ = 0``;
3. multiply on the left by P where some term starts with P⁻¹ (cancelling P·P⁻¹ = I in those terms,
   P times the rest in the others), and on the right likewise; then expand.

Every P used is a matrix the expression itself inverts, so the identity is claimed only where that
inverse exists; multiplying by an invertible matrix loses nothing. The proof text names them.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import product

import sympy as sp
from sympy.matrices.expressions import Identity, Inverse, MatAdd, MatMul, MatPow, ZeroMatrix

DEPTH = 3  # rounds of clearing (Woodbury: two)
Word = tuple[sp.Expr, list[sp.Basic]]  # (scalar coefficient, matrix factors in order)


def inverted(f: sp.Basic) -> sp.Basic | None:
    """The matrix P of a factor P⁻¹, else None."""
    if isinstance(f, Inverse):
        return f.arg
    if isinstance(f, MatPow) and f.exp == -1:
        return f.base
    return None


def words(e: sp.Basic) -> list[Word] | None:
    """``e`` expanded into (scalar coefficient, matrix factors) terms; None when a term is of another kind."""
    e = sp.expand(e.doit()).doit()
    if isinstance(e, ZeroMatrix):
        return []
    out = []
    for t in e.args if isinstance(e, MatAdd) else (e,):
        if isinstance(t, ZeroMatrix):
            continue
        if not hasattr(t, "as_coeff_mmul"):
            return None
        coeff, mm = t.as_coeff_mmul()
        factors = list(mm.args) if isinstance(mm, MatMul) else [mm]
        scalars = [f for f in factors if not getattr(f, "is_Matrix", False)]
        factors = [f for f in factors if getattr(f, "is_Matrix", False)]
        out.append((coeff * sp.Mul(*scalars), factors))
    return out


def _rebuild(words: list[Word], shape: tuple) -> sp.Basic:
    terms = [c * (MatMul(*fs) if len(fs) > 1 else fs[0]) for c, fs in words if fs]
    if not terms:
        return ZeroMatrix(*shape)
    return sp.expand(MatAdd(*terms).doit()).doit()


def _strip(words: list[Word]) -> list[Word]:
    """Drop a factor common to the start (end) of every term, while each term keeps a factor."""
    while len(words) > 1 and all(len(fs) >= 2 for _, fs in words) and len({fs[0] for _, fs in words}) == 1:
        words = [(c, fs[1:]) for c, fs in words]
    while len(words) > 1 and all(len(fs) >= 2 for _, fs in words) and len({fs[-1] for _, fs in words}) == 1:
        words = [(c, fs[:-1]) for c, fs in words]
    return words


def _times(words: list[Word], left: sp.Basic | None, right: sp.Basic | None) -> list[Word]:
    out = []
    for c, fs in words:
        fs = list(fs)
        if left is not None:
            fs = fs[1:] if fs and inverted(fs[0]) == left else [left, *fs]
        if right is not None:
            fs = fs[:-1] if fs and inverted(fs[-1]) == right else [*fs, right]
        if not fs:  # P·P⁻¹ was the whole term
            edge = left if left is not None else right
            assert edge is not None  # one of the two is set here
            fs = [Identity(edge.shape[0] if left is not None else edge.shape[1])]
        out.append((c, fs))
    return out


def _choices(words: list[Word]) -> list[tuple[sp.Basic | None, sp.Basic | None]]:
    lefts = list(dict.fromkeys(p for _, fs in words if fs for p in [inverted(fs[0])] if p is not None))
    rights = list(dict.fromkeys(p for _, fs in words if fs for p in [inverted(fs[-1])] if p is not None))
    both = list(product(lefts, rights))
    return [*both, *((p, None) for p in lefts), *((None, q) for q in rights)][:8]


def clear_inverses(e: sp.Basic, is_zero: Callable[[sp.Basic], bool], depth: int = DEPTH) -> list[str] | None:
    """Prove the matrix expression ``e`` zero by clearing inverses; the matrices multiplied by, or None."""
    if not getattr(e, "is_Matrix", False) or not e.has(Inverse, MatPow):
        return None
    return _attempt(e, is_zero, depth)


def _attempt(e: sp.Basic, is_zero: Callable[[sp.Basic], bool], depth: int) -> list[str] | None:
    if is_zero(e):
        return []
    if depth == 0:
        return None
    found = words(e)
    if found is None:
        return None
    found = _strip(found)
    for left, right in _choices(found):
        side = left if left is not None else right
        assert side is not None  # _choices never yields (None, None)
        new = _rebuild(_times(found, left, right), side.shape)
        rest = _attempt(new, is_zero, depth - 1)
        if rest is not None:
            step = [f"on the left by {left}"] * (left is not None) + [f"on the right by {right}"] * (right is not None)
            return [" and ".join(step), *rest]
    return None


def reason(steps: list[str]) -> str:
    """The proof text of a successful clearing."""
    return (
        "inverses cleared: multiplied " + "; then ".join(steps) + ", expanded to zero (valid wherever these "
        "inverses exist, which the expression presupposes; multiplying by an invertible matrix loses nothing)"
    )
