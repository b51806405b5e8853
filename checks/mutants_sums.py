"""Mutant families for the sum, binomial, delta and exponential-sign rules (issue 13), in the shape of
``derivcheck_steps.mutants_prove`` (which lists them in its ``FAMILIES``).

- ``indices_swapped``: A_ij ↦ A_ji under a sum (a transpose is not a renaming of dummies);
- ``outer_factors_swapped``: a matrix product u vᵀ w ↦ w vᵀ u (well typed, not equal: the rule that
  reads 1×1 products as scalars must not let factors move past a vector);
- ``binomial_shifted``: C(N, k + s) ↦ C(N, k + s + 1), C(N, ·) ↦ C(N + 1, ·), and the weight
  A^k ↦ A^(k+1) (off-by-one in the binomial theorem or its shift);
- ``delta_shifted``: δ_kl ↦ δ_k(l+1) (deltas compared by their index difference);
- ``exponent_scaled``: e^x ↦ e^(2x) in an inequality between exponentials (Jensen's rule writes
  e^(x/L) as a positive variable).
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions import MatMul
from sympy.matrices.expressions.matexpr import MatrixElement

from derivcheck_steps.model import Derivation, Step
from derivcheck_steps.mutants_prove import StepMutant, _mutant, _rewrites, _side_mutants


def indices_swapped(d: Derivation, step: Step) -> list[StepMutant]:
    """A_ij ↦ A_ji for a two-index entry whose indices are both bound by the sum."""

    def rewrite(s: sp.Sum) -> list[tuple[str, sp.Basic]]:
        bound = set().union(*(set(x.variables) for x in s.atoms(sp.Sum)))  # this sum's indices and inner ones
        out = []
        for a in sorted(s.function.atoms(sp.Indexed, MatrixElement), key=sp.default_sort_key):
            base, *i = a.args
            if isinstance(a, MatrixElement) and base.shape[0] != base.shape[1]:
                continue
            if len(i) == 2 and i[0] != i[1] and i[0].free_symbols | i[1].free_symbols <= bound and all(x.free_symbols for x in i):
                out.append(("swap the two indices of an entry under a sum", s.xreplace({a: a.func(base, i[1], i[0])})))
        return out[:1]

    return _side_mutants(d, step, rewrite)


def outer_factors_swapped(d: Derivation, step: Step) -> list[StepMutant]:
    """u vᵀ w ↦ w vᵀ u in a product of three or more matrix factors whose first and last have one shape."""
    if not isinstance(step.after, sp.Basic) or isinstance(step.after, sp.Rel):
        return []
    out = []
    for m in sorted(step.after.atoms(MatMul), key=sp.default_sort_key):
        coeff, mm = m.as_coeff_mmul()
        f = [x for x in getattr(mm, "args", ()) if getattr(x, "is_Matrix", False)]
        if len(f) >= 3 and f[0] != f[-1] and f[0].shape == f[-1].shape:
            out += _rewrites(d, step, "swap the outer factors of a matrix product", {m: coeff * MatMul(f[-1], *f[1:-1], f[0])})
    return out[:2]


def binomial_shifted(d: Derivation, step: Step) -> list[StepMutant]:
    """C(N, k + s) ↦ C(N, k + s + 1) and C(N + 1, k + s); A^k ↦ A^(k+1) under a sum over k."""

    def rewrite(s: sp.Sum) -> list[tuple[str, sp.Basic]]:
        k = s.limits[-1][0]
        out = []
        for b in sorted(s.function.atoms(sp.binomial), key=sp.default_sort_key):
            if k in b.args[1].free_symbols:
                top, low = b.args
                out.append(("shift the lower entry of a binomial coefficient", s.xreplace({b: sp.binomial(top, low + 1)})))
                out.append(("shift the upper entry of a binomial coefficient", s.xreplace({b: sp.binomial(top + 1, low)})))
                powers = [p for p in sorted(s.function.atoms(sp.Pow), key=sp.default_sort_key)
                          if k in p.exp.free_symbols and k not in p.base.free_symbols]
                out += [("shift the exponent of a binomial weight", s.xreplace({p: p.base ** (p.exp + 1)})) for p in powers]
                break
        return out

    return _side_mutants(d, step, rewrite)


def delta_shifted(d: Derivation, step: Step) -> list[StepMutant]:
    """δ(a, b) ↦ δ(a, b + 1)."""
    deltas = sorted(step.after.atoms(sp.KroneckerDelta), key=sp.default_sort_key) if isinstance(step.after, sp.Basic) else []
    out = []
    for x in deltas[:2]:
        out += _rewrites(d, step, "shift an index of a Kronecker delta", {x: sp.KroneckerDelta(x.args[0], x.args[1] + 1)})
    return out


def exponent_scaled(d: Derivation, step: Step) -> list[StepMutant]:
    """e^x ↦ e^(2x) for each exponential of an inequality claim."""
    st = step.after
    if step.relation != "⊢" or not isinstance(st, (sp.LessThan, sp.StrictLessThan, sp.GreaterThan, sp.StrictGreaterThan)):
        return []
    out = []
    for g in sorted(st.atoms(sp.exp), key=sp.default_sort_key)[:3]:
        new = st.xreplace({g: sp.exp(2 * g.args[0])})
        if new != st:
            out.append(_mutant(d, step, "double the exponent of an exponential", new))
    return out
