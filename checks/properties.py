"""Matrix properties: symmetric, diagonal, positive (semi)definite, orthogonal, invertible.

A property is declared on a square declared matrix (``% derivcheck: matrix A n n symmetric``,
``assume A = A^T``, ``assume Q^T Q = I``). Two consumers read it:

- the provers, through :func:`apply_matrix_facts`: ``Aᵀ`` is ``A`` for a symmetric (diagonal,
  definite, semidefinite) ``A``; adjacent diagonal matrices commute (sorted by name); ``Qᵀ Q`` and
  ``Q Qᵀ`` are ``I`` and ``Q⁻¹`` is ``Qᵀ`` for an orthogonal ``Q``;
- the samplers, through :func:`draw_with_properties`: every instance has the property (symmetric:
  mirrored; diagonal: zero off the diagonal; definite: ``BᵀB + εI``; semidefinite: ``BᵀB`` with
  ``B`` of lower rank at times; orthogonal: a product of rational Householder reflections;
  invertible: redrawn until it is, by the sampler's invertibility check).

So a numeric check covers exactly what the declaration allows, and nothing is assumed of a matrix
without a declared property: its transpose stays a transpose.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import sympy as sp
from sympy.matrices.expressions.inverse import Inverse
from sympy.matrices.expressions.matmul import MatMul

from derivcheck_steps.errors import DeclarationError

if TYPE_CHECKING:
    from derivcheck_steps.context import Context

#: property words and the words a document may write for them
PROPERTY_WORDS = {
    "symmetric": "symmetric", "diagonal": "diagonal", "pd": "pd", "spd": "pd", "psd": "psd",
    "positive-definite": "pd", "positive-semidefinite": "psd", "orthogonal": "orthogonal",
    "orthonormal": "orthogonal", "invertible": "invertible", "nonsingular": "invertible",
}
#: properties that make ``Mᵀ = M``
SYMMETRIC_LIKE = frozenset({"symmetric", "diagonal", "pd", "psd"})
#: combinations the sampler can draw (others are a declaration error, never a silent approximation)
_DRAWABLE = (
    frozenset({"symmetric"}), frozenset({"diagonal"}), frozenset({"pd"}), frozenset({"psd"}),
    frozenset({"orthogonal"}), frozenset({"invertible"}), frozenset({"diagonal", "pd"}),
    frozenset({"diagonal", "psd"}), frozenset({"diagonal", "orthogonal"}), frozenset({"symmetric", "orthogonal"}),
    frozenset({"symmetric", "invertible"}), frozenset({"diagonal", "invertible"}),
)


def closure(props: set[str]) -> frozenset[str]:
    """The properties with what they imply: definite, semidefinite and diagonal are symmetric; pd and orthogonal invertible."""
    out = set(props)
    if out & {"pd", "psd", "diagonal"}:
        out.add("symmetric")
    if out & {"pd", "orthogonal"}:
        out.add("invertible")
    if "pd" in out:
        out.discard("psd")
    return frozenset(out)


def check_drawable(name: str, props: frozenset[str]) -> None:
    """DeclarationError unless the sampler can draw a matrix with all of ``props``."""
    core = set(props) - {"invertible"} if props & {"pd", "orthogonal"} else set(props)
    if "symmetric" in core and core & {"diagonal", "pd", "psd"}:
        core.discard("symmetric")
    if frozenset(core) not in _DRAWABLE and frozenset(core | {"symmetric"}) not in _DRAWABLE and core:
        raise DeclarationError(f"matrix {name}: cannot draw instances that are {' and '.join(sorted(props))} at once; "
                               "declare fewer properties")


# -- provers ----------------------------------------------------------------------------------------


def _of(ctx: Context, prop: str) -> set[sp.MatrixSymbol]:
    return {m for m, ps in getattr(ctx, "properties", {}).items() if prop in ps}


def rebuild(e: sp.Basic, args: list | tuple) -> sp.Basic:
    """``e`` with new arguments; a relation is rebuilt unevaluated (``xᵀAx > 0`` has no truth value yet)."""
    if tuple(args) == e.args:
        return e
    if isinstance(e, sp.Rel):
        return e.func(*args, evaluate=False)
    return e.func(*args)


def _push_transposes(e: sp.Basic) -> sp.Basic:
    """``(AB)ᵀ`` as ``BᵀAᵀ``, ``(A + B)ᵀ`` as ``Aᵀ + Bᵀ``: transposes on symbols only."""
    if not e.args:
        return e
    e = rebuild(e, [_push_transposes(a) for a in e.args]) if not isinstance(e, (sp.MatrixSymbol, sp.Identity)) else e
    if isinstance(e, sp.Transpose) and not isinstance(e.arg, sp.MatrixSymbol):
        pushed = e.doit(deep=False)
        if pushed != e:
            return _push_transposes(pushed)
    return e


def _terms(m: sp.Basic) -> list[tuple[sp.Expr, list]]:
    """``m`` distributed: a list of (scalar coefficient, matrix factors) whose sum is ``m``."""
    if isinstance(m, sp.MatAdd):
        return [t for a in m.args for t in _terms(a)]
    if isinstance(m, sp.MatPow) and m.exp.is_Integer and 1 < int(m.exp) <= 4:
        return _terms(MatMul(*[m.base] * int(m.exp)))
    if isinstance(m, MatMul):
        out: list[tuple[sp.Expr, list]] = [(sp.Integer(1), [])]
        for f in m.args:
            if not isinstance(f, sp.MatrixExpr):
                out = [(c * f, fs) for c, fs in out]
                continue
            out = [(c * c2, fs + fs2) for c, fs in out for c2, fs2 in _terms(f)]
            if len(out) > 256:
                raise ValueError("too many terms")
        return out
    return [(sp.Integer(1), [m])]


def expanded(m: sp.Basic) -> sp.Basic:
    """A matrix expression fully distributed (powers up to 4 as products), SymPy's form if too large."""
    m = _push_transposes(m)
    try:
        terms = _terms(m)
    except ValueError:
        return sp.expand(m.doit())
    parts = []
    for c, fs in terms:
        fs = [f for f in fs if not isinstance(f, sp.Identity)] or [sp.Identity(m.shape[0])]
        parts.append(c * MatMul(*fs) if len(fs) > 1 else c * fs[0])
    return sp.MatAdd(*parts) if len(parts) > 1 else parts[0]


def _flat(args: tuple) -> list:
    out: list = []
    for a in args:
        out.extend(_flat(a.args) if isinstance(a, MatMul) else [a])
    return out


def _is_diag(f: sp.Basic, diag: set) -> bool:
    if f in diag:
        return True
    if isinstance(f, (Inverse, sp.Transpose)):
        return f.args[0] in diag
    return isinstance(f, sp.MatPow) and f.base in diag


def _products(args: list, orth: set, diag: set) -> list:
    """One pass over a product's factors: ``QᵀQ``/``QQᵀ`` dropped, runs of diagonal factors sorted."""
    out: list = []
    for f in args:
        if out and isinstance(f, sp.MatrixExpr):
            prev = out[-1]
            for q in orth:
                if (prev, f) in ((sp.Transpose(q), q), (q, sp.Transpose(q))):
                    out.pop()
                    break
            else:
                out.append(f)
            continue
        out.append(f)
    k = 0
    while k < len(out):  # sort each run of adjacent diagonal factors (diagonal matrices commute)
        j = k
        while j < len(out) and _is_diag(out[j], diag):
            j += 1
        if j - k > 1:
            out[k:j] = sorted(out[k:j], key=sp.default_sort_key)
        k = max(j, k + 1)
    return out


def _rewrite_products(e: sp.Basic, orth: set, diag: set) -> sp.Basic:
    if not e.args or isinstance(e, sp.MatrixSymbol):
        return e
    e = rebuild(e, [_rewrite_products(a, orth, diag) for a in e.args])
    if isinstance(e, MatMul):
        flat = _flat(e.args)
        new = _products(flat, orth, diag)
        if new != flat:
            mats = [f for f in new if isinstance(f, sp.MatrixExpr)]
            scal = sp.Mul(*(f for f in new if not isinstance(f, sp.MatrixExpr)))
            if not mats:  # QᵀQ alone: the identity of its size
                return scal * sp.Identity(e.shape[0])
            return (scal * MatMul(*mats)).doit(deep=False) if scal != 1 else MatMul(*mats).doit(deep=False)
    return e


def _scalar_terms(m: sp.Basic, transposed: Callable[[sp.Basic], sp.Basic]) -> sp.Basic:
    """Each 1×1 product term as the smaller of itself and its transpose (with the facts applied):
    ``yᵀAx`` and ``xᵀAy`` meet for a symmetric A, as a 1×1 matrix equals its transpose."""
    terms = list(m.args) if isinstance(m, sp.MatAdd) else [m]
    out = []
    for t in terms:
        if isinstance(t, MatMul) and t.shape == (1, 1):
            t = min((t, transposed(t)), key=sp.default_sort_key)
        out.append(t)
    return sp.MatAdd(*out).doit(deep=False) if isinstance(m, sp.MatAdd) else out[0]


def matrix_parts(e: sp.Basic, f: Callable[[sp.Basic], sp.Basic]) -> sp.Basic:
    """``e`` with ``f`` applied to each maximal matrix-valued part (not inside a derivative)."""
    if isinstance(e, sp.MatrixExpr):
        return f(e)
    if not e.args or isinstance(e, (sp.Derivative, sp.Indexed, sp.IndexedBase)) or not e.has(sp.MatrixExpr):
        return e
    return rebuild(e, [matrix_parts(a, f) for a in e.args])


def apply_matrix_facts(expr: sp.Basic, ctx: Context, *, keep: frozenset = frozenset()) -> sp.Basic:
    """``expr`` rewritten by the declared matrix properties and constraints of ``ctx`` (see the module docstring).

    Every rewrite is an identity at every instance the declarations allow, so provers may compare the
    rewritten forms and samplers evaluate them unchanged. ``keep``: symbols whose facts must not be
    used (the variable of a gradient step: a rewrite would change the function being differentiated).
    """
    from derivcheck_steps.constraints import apply_constraints

    sym = _of(ctx, "symmetric") - keep
    orth = _of(ctx, "orthogonal") - keep
    diag = _of(ctx, "diagonal") - keep
    if sym or orth or diag:
        present = {m for m in expr.atoms(sp.MatrixSymbol)}
        sym, orth, diag = sym & present, orth & present, diag & present
    if sym or orth or diag:

        def rewrite(m: sp.Basic) -> sp.Basic:
            m = _push_transposes(m)
            if orth:
                m = m.xreplace({Inverse(q): sp.Transpose(q) for q in orth})
            if orth or diag:
                m = _rewrite_products(expanded(m), orth, diag)
            if sym:
                m = m.xreplace({sp.Transpose(s): s for s in sym})
                if orth or diag:
                    m = _rewrite_products(m, orth, diag)
                m = _scalar_terms(m, lambda t: _rewrite_products(
                    _push_transposes(sp.Transpose(t)).xreplace({sp.Transpose(s): s for s in sym}), orth, diag))
            return m

        expr = matrix_parts(expr, rewrite)
    return apply_constraints(expr, ctx, keep=keep)


# -- declarations -----------------------------------------------------------------------------------


def declare_property(ctx: Context, matrix: sp.Basic, words: tuple[str, ...]) -> None:
    """Record ``words`` (property words) on a declared square matrix of ``ctx``, with what they imply."""
    if not isinstance(matrix, sp.MatrixSymbol) or matrix not in ctx.matrices or matrix.shape[0] != matrix.shape[1]:
        raise DeclarationError(f"{' '.join(words)}: {matrix} is not a declared square matrix")
    unknown = [w for w in words if w not in PROPERTY_WORDS]
    if unknown:
        raise DeclarationError(f"unknown matrix property {unknown[0]!r} (known: {', '.join(sorted(PROPERTY_WORDS))})")
    props = closure(set(ctx.properties.get(matrix, frozenset())) | {PROPERTY_WORDS[w] for w in words})
    check_drawable(matrix.name, props)
    ctx.properties[matrix] = props
    if props & SYMMETRIC_LIKE and matrix not in ctx.symmetric:
        ctx.symmetric.append(matrix)
    if "invertible" in props and not any(inv.matrix == matrix for inv in ctx.invertibles):
        ctx.invertible(matrix, because=f"declared {' '.join(sorted(props))}")


def property_claim(relation: sp.Basic, ctx: Context) -> tuple[sp.MatrixSymbol, str] | None:
    """``(M, "symmetric")`` for ``M = Mᵀ``, ``(Q, "orthogonal")`` for ``QᵀQ = I`` or ``QQᵀ = I``, else None."""
    if not isinstance(relation, sp.Eq):
        return None
    for m, t in ((relation.lhs, relation.rhs), (relation.rhs, relation.lhs)):
        if (isinstance(m, sp.MatrixSymbol) and m in ctx.matrices and isinstance(t, sp.Transpose)
                and t.arg == m and m.shape[0] == m.shape[1]):
            return m, "symmetric"
        if isinstance(t, sp.Identity) and isinstance(m, MatMul) and len(m.args) == 2:
            a, b = m.args
            for q in (a, b):
                if (isinstance(q, sp.MatrixSymbol) and q in ctx.matrices and {a, b} == {q, sp.Transpose(q)}
                        and q.shape[0] == q.shape[1] == t.shape[0]):
                    return q, "orthogonal"
    return None


__all__ = ["PROPERTY_WORDS", "SYMMETRIC_LIKE", "apply_matrix_facts", "check_drawable", "closure", "declare_property",
           "expanded", "matrix_parts", "property_claim", "rebuild"]
