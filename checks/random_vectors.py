"""Random vectors: ε ∈ ℝ^d with i.i.d. entries (covariance σ²I), checked entry by entry.

A random vector is declared with its entries' law, ``random_vector(ctx, "eps", d, Normal(0, s**2))``
(ε ~ N(0, σ²I)), optionally around a declared mean vector (``mean=mu``: ε = μ + z, z ~ N(0, σ²I)).
A step that uses one is checked by writing every matrix expression as index sums (wᵀε =
Σ_k w_k ε_k, εᵀAε = Σ_j Σ_k ε_j A_jk ε_k, tr A = Σ_k A_kk, I = δ), after which the exact engine
(:mod:`derivcheck_steps.expectation`) proves it for symbolic d and Monte Carlo samples the entries as an
i.i.d. family. A matrix-valued step (E[εεᵀ] = σ²I) is checked at a free entry (r, c), both cases
r = c and r ≠ c.

Main results, all PROVED for symbolic d: E[εεᵀ] = σ²I, E[wᵀε] = 0, E[(wᵀε)²] = σ²‖w‖²,
E[εᵀAε] = σ² tr A, E‖x + ε‖² = ‖x‖² + dσ².

Soundness: a ``Moments`` vector (only mean and covariance declared) has uncorrelated entries, not
independent ones, so the engine refuses an expectation of degree above 2 in it
(:func:`check_degree`); a ``Normal`` one has independent entries (uncorrelated Gaussians).
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass

import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from derivcheck_steps.context import Context, IndexDecl
from derivcheck_steps.errors import DeclarationError
from derivcheck_steps.randomness import Cov, Distribution, E, RandomFamily, Var
from derivcheck_steps.sum_terms import Undecidable

__all__ = [
    "RandomVector",
    "VectorFamily",
    "check_degree",
    "random_vector",
    "scalar_equations",
    "to_indices",
    "uses_random_vectors",
]


@dataclass(frozen=True)
class RandomVector:
    """A declared random column vector μ + L z: z has i.i.d. entries ``dist``, μ is ``mean`` (a vector) if given,
    and L Lᵀ = ``cov`` (a declared matrix, I if None), so that the covariance is var·cov."""

    symbol: sp.MatrixSymbol
    dist: Distribution
    mean: sp.MatrixSymbol | None = None
    cov: sp.MatrixSymbol | None = None


@dataclass(frozen=True)
class VectorFamily(RandomFamily):
    """The entries of a random vector as a family; ``independent`` False: only uncorrelated (moments known)."""

    independent: bool = True


def random_vector(
    ctx: Context,
    name: str,
    size: sp.Expr | int,
    dist: Distribution,
    *,
    mean: sp.MatrixSymbol | None = None,
    cov: sp.MatrixSymbol | None = None,
    latex: str | None = None,
) -> sp.MatrixSymbol:
    """Declare a random vector of ``size`` entries, i.i.d. ``dist`` (covariance var·I), around ``mean``.

    With ``cov=Sigma`` (a declared size×size matrix) the covariance is var·Σ: the vector is μ + L z
    with z i.i.d. ``dist`` and Σ = L Lᵀ, so a step is proved for every positive semidefinite Σ (in a
    step, Σ is written as L Lᵀ). ``Normal`` then means a Gaussian vector (every moment follows);
    ``Moments`` only its mean and covariance.

    >>> ctx = Context()
    >>> (d,) = ctx.dims("d")
    >>> s = ctx.scalar("sigma", positive=True)
    >>> from derivcheck_steps.randomness import Normal
    >>> eps = random_vector(ctx, "epsilon", d, Normal(0, s**2))   # ε ~ N(0, σ²I)
    >>> eps.shape
    (d, 1)
    """
    if dist.params and any(getattr(p, "is_Matrix", False) for p in dist.params):
        raise DeclarationError(f"random vector {name}: the law's parameters are scalars; pass a mean vector as mean=")
    if mean is not None and (mean not in ctx.matrices or mean.shape != (size, 1)):
        raise DeclarationError(f"random vector {name}: its mean must be a declared vector of size {size}")
    if (mean is not None or cov is not None) and dist.name == "Bernoulli":
        raise DeclarationError(f"random vector {name}: a Bernoulli vector has no separate mean or covariance")
    if cov is not None and (cov not in ctx.matrices or cov.shape != (size, size)):
        raise DeclarationError(f"random vector {name}: its covariance must be a declared {size}×{size} matrix")
    vec = ctx.vector(name, size, latex=latex)
    ctx.random_vectors[name] = RandomVector(vec, dist, mean, cov)
    return vec


def uses_random_vectors(ctx: Context, *exprs: sp.Basic) -> bool:
    """Whether any of ``exprs`` uses a declared random vector, or an entry w_j of a vector (evaluated as w[j])."""
    vecs = {rv.symbol for rv in ctx.random_vectors.values()}
    return any(e is not None and (e.atoms(sp.MatrixSymbol) & vecs or e.atoms(MatrixElement)) for e in exprs)


def check_degree(family: RandomFamily, power: int) -> None:
    """Refuse a moment of ``family`` the declarations do not fix (degree > 2 of an uncorrelated-only vector)."""
    if isinstance(family, VectorFamily) and not family.independent and power > 2:
        raise Undecidable(
            f"a moment of degree {power} of the random vector {family.base}: only its mean and "
            "covariance are declared (entries uncorrelated, not independent)"
        )


def _shape(e: sp.Basic) -> tuple:
    """The shape of ``e``, seeing through E, Var and Cov (E[εεᵀ] is d×d; Var[ε] its covariance)."""
    if isinstance(e, sp.MatrixExpr):
        return e.shape
    if isinstance(e, E):
        return _shape(e.args[0])
    if isinstance(e, (Var, Cov)):
        rows = _shape(e.args[0])[0]
        return (rows, _shape(e.args[-1])[0])
    if isinstance(e, (sp.Add, sp.Mul)):
        for a in e.args:
            if _shape(a) != (1, 1):
                return _shape(a)
    return (1, 1)


class _Translator:
    """Matrix expressions -> scalar expressions with index sums, in a context where vectors are families."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.bases: dict[sp.MatrixSymbol, sp.IndexedBase] = {}
        self.count = itertools.count()
        self.derived = copy.copy(ctx)
        self.derived.indices = dict(ctx.indices)
        self.derived.families = dict(ctx.families)
        self.roots = {
            rv.cov: sp.IndexedBase(f"_L_{rv.cov.name}", real=True) for rv in ctx.random_vectors.values() if rv.cov is not None
        }  # Σ = L Lᵀ
        for name, rv in ctx.random_vectors.items():
            ix = sp.Symbol(f"_v_{name}", integer=True, positive=True)
            self.derived.indices[ix] = IndexDecl(ix, rv.symbol.shape[0])
            dist = rv.dist
            base = sp.IndexedBase(name, real=True)
            self.derived.families[name] = VectorFamily(base, (ix,), dist, dist.name != "Moments")

    def fresh(self) -> sp.Symbol:
        return sp.Symbol(f"_k{next(self.count)}", integer=True, positive=True)

    def base(self, m: sp.MatrixSymbol) -> sp.IndexedBase:
        return self.bases.setdefault(m, sp.IndexedBase(m.name, real=True))

    def sum(self, body: sp.Expr, k: sp.Symbol, n: sp.Expr) -> sp.Expr:
        """Σ_{k=1}^{n} body, with δ(k, x) summed out and factors free of k taken outside."""
        out = sp.Integer(0)
        for term in sp.Add.make_args(sp.expand(body)):
            factors = sp.Mul.make_args(term)
            delta = next((f for f in factors if isinstance(f, sp.KroneckerDelta) and k in f.free_symbols), None)
            if delta is not None:
                other = delta.args[1] if delta.args[0] == k else delta.args[0]
                rest = sp.Mul(*[f for f in factors if f is not delta])
                out += rest.xreplace({k: other})
                continue
            dep = sp.Mul(*[f for f in factors if k in f.free_symbols])
            out += sp.Mul(*[f for f in factors if k not in f.free_symbols]) * (sp.Sum(dep, (k, 1, n)) if dep != 1 else n)
        return out

    def entry(self, e: sp.Basic, i: sp.Expr, j: sp.Expr) -> sp.Expr:  # noqa: C901 - one case per node type
        """Entry (i, j) of ``e`` (1-based)."""
        if isinstance(e, sp.MatrixSymbol):
            rv = self.ctx.random_vectors.get(e.name)
            if rv is not None and rv.symbol == e:
                z = self.derived.families[e.name].base
                if rv.cov is not None:  # (L z)_i = Σ_k L_ik z_k
                    k = self.fresh()
                    value = self.sum(self.roots[rv.cov][i, k] * z[k], k, e.shape[0])
                else:
                    value = z[i]
                return value + self.base(rv.mean)[i] if rv.mean is not None else value
            if e in self.roots:  # a covariance Σ = L Lᵀ: Σ_ij = Σ_k L_ik L_jk
                k = self.fresh()
                return self.sum(self.roots[e][i, k] * self.roots[e][j, k], k, e.shape[0])
            if e.shape[1] == 1:
                return self.base(e)[i]
            return self.base(e)[j] if e.shape[0] == 1 else self.base(e)[i, j]
        if isinstance(e, sp.Transpose):
            return self.entry(e.arg, j, i)
        if isinstance(e, sp.Identity):
            return sp.KroneckerDelta(i, j)
        if isinstance(e, sp.ZeroMatrix | sp.OneMatrix):
            return sp.Integer(int(isinstance(e, sp.OneMatrix)))
        if isinstance(e, MatrixElement):
            return self.entry(e.parent, e.i + 1, e.j + 1)
        if isinstance(e, sp.MatMul):
            coeff, mats = e.as_coeff_matrices()
            out, row = self.scalar(coeff), i
            parts = []
            for a in mats[:-1]:
                k = self.fresh() if a.shape[1] != 1 else sp.Integer(1)
                parts.append((a, row, k))
                row = k
            parts.append((mats[-1], row, j))
            body = sp.Mul(*[self.entry(m, r, c) for m, r, c in parts])
            for a, _, k in parts[:-1]:
                if isinstance(k, sp.Symbol):
                    body = self.sum(body, k, a.shape[1])
            return out * body
        if isinstance(e, sp.MatAdd):
            return sp.Add(*[self.entry(a, i, j) for a in e.args])
        if isinstance(e, sp.MatPow):
            if e.shape == (1, 1):
                return self.entry(e.base, 1, 1) ** self.scalar(e.exp)
            if e.exp.is_Integer and e.exp > 0:
                return self.entry(sp.MatMul(*([e.base] * int(e.exp))), i, j)
        if isinstance(e, E):
            return E(self.entry(e.args[0], i, j))
        if isinstance(e, Var):
            x = e.args[0]
            return Var(self.entry(x, 1, 1)) if _shape(x) == (1, 1) else Cov(self.entry(x, i, 1), self.entry(x, j, 1))
        if isinstance(e, Cov):
            return Cov(self.entry(e.args[0], i, 1), self.entry(e.args[1], j, 1))
        if isinstance(e, sp.Add):  # E[εεᵀ] − σ²I: every term has the sum's shape (no scalar broadcast)
            if len({_shape(a) for a in e.args}) > 1:
                raise Undecidable(f"a sum of terms of different shapes: {e}")
            return sp.Add(*[self.entry(a, i, j) for a in e.args])
        if isinstance(e, sp.Mul):  # a scalar product is commutative: one matrix-valued factor at most
            if sum(_shape(a) != (1, 1) for a in e.args) > 1:
                raise Undecidable(f"a product of two matrix-valued expectations (their order is lost): {e}")
            return sp.Mul(*[self.entry(a, i, j) if _shape(a) != (1, 1) else self.scalar(a) for a in e.args])
        if isinstance(e, sp.MatrixExpr):
            raise Undecidable(f"{type(e).__name__} of a random vector is outside the exact engine")
        return self.scalar(e)

    def scalar(self, e: sp.Basic) -> sp.Basic:
        """A scalar expression with every matrix part written with index sums."""
        if isinstance(e, (sp.MatrixExpr, E, Var, Cov)) and _shape(e) == (1, 1):
            return self.entry(e, sp.Integer(1), sp.Integer(1))
        if isinstance(e, MatrixElement):
            return self.entry(e.parent, e.i + 1, e.j + 1)
        if isinstance(e, sp.Trace):
            k = self.fresh()
            return self.sum(self.entry(e.arg, k, k), k, e.arg.shape[0])
        if isinstance(e, sp.MatrixExpr) or _shape(e) != (1, 1):
            raise Undecidable(f"a {_shape(e)[0]}×{_shape(e)[1]} matrix where a number is expected")
        if not e.args or not e.has(sp.MatrixSymbol):
            return e
        return e.func(*[self.scalar(a) if isinstance(a, sp.Expr) else a for a in e.args])


def _rationals(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """Random exact rationals (odd and dyadic denominators) as an object array."""
    out = np.empty(shape, dtype=object)
    for k in np.ndindex(shape):
        out[k] = sp.Rational(int(rng.integers(-9, 10)), int(rng.choice([1, 2, 3, 4])))
    return out


def to_indices(
    before: sp.Basic, after: sp.Basic, ctx: Context, inst: list, seed: int = 0
) -> tuple[sp.Basic, sp.Basic, Context, list]:
    """The step ``before = after`` with matrices written as index sums, its context and instances.

    A matrix-valued step becomes the equality of a free entry (r, c): two indices declared in the
    returned context, so the exact engine proves r = c and r ≠ c separately.
    """
    tr = _Translator(ctx)
    shape = _shape(before)
    if _shape(after) != shape and _shape(after) != (1, 1) and shape != (1, 1):
        raise Undecidable(f"the sides have shapes {shape} and {_shape(after)}")
    shape = shape if shape != (1, 1) else _shape(after)
    free = []
    for name, size in zip(("_r", "_c"), shape, strict=True):
        if size == 1:
            free.append(sp.Integer(1))
            continue
        ix = sp.Symbol(name, integer=True, positive=True)
        tr.derived.indices[ix] = IndexDecl(ix, size)
        free.append(ix)
    left, right = (tr.entry(side, *free) if _shape(side) != (1, 1) else tr.scalar(side) for side in (before, after))
    return left, right, tr.derived, _instances(tr, free, inst, seed)


def scalar_equations(eqs: list[sp.Basic], ctx: Context, inst: list, seed: int = 0) -> tuple[list, Context, list]:
    """Scalar equations with matrices written as index sums (one translation for all), their context and instances."""
    tr = _Translator(ctx)
    out = []
    for eq in eqs:
        if _shape(eq.lhs) != (1, 1) or _shape(eq.rhs) != (1, 1):
            raise Undecidable("an equation between vectors or matrices with a random vector is outside the engine")
        out.append(sp.Eq(tr.scalar(eq.lhs), tr.scalar(eq.rhs), evaluate=False))
    return out, tr.derived, _instances(tr, [], inst, seed)


def _instances(tr: _Translator, free: list, inst: list, seed: int) -> list:
    """The instances with each matrix's entries under its indexed name, covariance roots and free entry indices."""
    from derivcheck_steps.sampling import Instance

    rng = np.random.default_rng(seed)
    out = []
    for point in inst:
        exact, floats = dict(point.exact), dict(point.floats)
        for m, base in tr.bases.items():
            for values in (exact, floats):
                arr = values.get(m)
                if isinstance(arr, np.ndarray):
                    values[base] = arr[:, 0] if m.shape[1] == 1 else (arr[0, :] if m.shape[0] == 1 else arr)
        for cov, root in tr.roots.items():
            size = int(sp.sympify(cov.shape[0], strict=True).xreplace(exact))
            exact[root] = _rationals(rng, (size, size))
            floats[root] = exact[root].astype(float)
        for ix in free:
            if isinstance(ix, sp.Symbol):
                top = int(sp.sympify(tr.derived.indices[ix].upper, strict=True).xreplace(exact))
                exact[ix] = sp.Integer(int(rng.integers(1, top + 1)))
                floats[ix] = int(exact[ix])
        out.append(Instance(exact, floats, point.simple))
    return out
