"""Mutant families for the rules on powers and quotients (``derivcheck_steps.power_products``,
``derivcheck_steps.sum_canonical.denominators_cleared``, ``derivcheck_steps.scalar_multiples``), in
the shape of ``derivcheck_steps.mutants_prove`` (which lists them in its ``FAMILIES``).

- ``exponent_shifted``: b^e ↦ b^(e + 1/2) and b^e ↦ b^(2e) for one power with a symbolic exponent
  (an exponent added wrong when two powers of one base are combined);
- ``base_split_wrongly``: (x y)^e ↦ x^e y for a product base (the power applied to one factor only);
- ``denominator_shifted``: 1/(xᵀx)^k ↦ 1/(xᵀx)^(k+1) for a denominator holding a sum
  (``derivcheck_steps.sum_canonical.denominators_cleared``);
- ``premise_scaled_by_vanishing_factor``: a ⇔ between matrix equations whose premise is multiplied
  by xᵀx − 1 or v − 1 (``derivcheck_steps.scalar_multiples`` must not divide it out);
- ``absolute_value_dropped``: |u| ↦ u, √(u²) ↦ u (the sampler must meet negative values of u).
"""

from __future__ import annotations

import sympy as sp

from derivcheck_steps.model import Derivation, Step
from derivcheck_steps.mutants_prove import StepMutant, _rewrites


def _symbolic_powers(step: Step) -> list[sp.Pow]:
    if not isinstance(step.after, sp.Basic):
        return []
    powers = [p for p in step.after.atoms(sp.Pow) if p.exp.free_symbols and not getattr(p, "is_Matrix", False)]
    return sorted(powers, key=sp.default_sort_key)[:2]


def exponent_shifted(d: Derivation, step: Step) -> list[StepMutant]:
    """b^e ↦ b^(e + 1/2) and b^(2e) for the first two powers with a symbolic exponent."""
    out = []
    for p in _symbolic_powers(step):
        out += _rewrites(d, step, "add 1/2 to a symbolic exponent", {p: p.base ** (p.exp + sp.Rational(1, 2))})
        out += _rewrites(d, step, "double a symbolic exponent", {p: p.base ** (2 * p.exp)})
    return out


def base_split_wrongly(d: Derivation, step: Step) -> list[StepMutant]:
    """(x y)^e ↦ x^e y: the power applied to the first factor of a product base only."""
    out = []
    for p in _symbolic_powers(step):
        if isinstance(p.base, sp.Mul) and len(p.base.args) > 1:
            first, *rest = p.base.args
            out += _rewrites(d, step, "apply a power to one factor of its base", {p: first**p.exp * sp.Mul(*rest)})
    return out


def denominator_shifted(d: Derivation, step: Step) -> list[StepMutant]:
    """1/S^k ↦ 1/S^(k+1) for a denominator that holds a sum or a 1×1 product (xᵀx): a quotient
    cancelled once too often (the rule that clears such denominators must not prove it)."""
    if not isinstance(step.after, sp.Basic):
        return []
    dens = sorted((p for p in step.after.atoms(sp.Pow) if p.exp.is_Integer and p.exp < 0 and p.base.has(sp.Sum)),
                  key=sp.default_sort_key)
    out = []
    for p in dens[:2]:
        out += _rewrites(d, step, "divide once more by a denominator", {p: p.base ** (p.exp - 1)})
    return out


def premise_scaled_by_vanishing_factor(d: Derivation, step: Step) -> list[StepMutant]:
    """For ⇔ between matrix equations: the premise multiplied by a scalar that may vanish, S − 1 for
    a sum S in it (xᵀx − 1) or v − 1 for a declared scalar v: the premise then also holds where the
    factor is 0, so ⇔ is wrong (the rule that divides out scalar factors must not prove it)."""
    before = step.before
    if step.relation != "⇔" or not isinstance(before, sp.Equality) or not getattr(before.lhs, "is_Matrix", False):
        return []
    factors = [s - 1 for s in sorted(before.atoms(sp.Sum), key=sp.default_sort_key)[:1]]
    factors += [v - 1 for v in sorted(before.free_symbols & set(d.ctx.scalars), key=str)[:1]]
    return [StepMutant(d.id or d.title, step.index, "multiply the premise by a factor that may vanish", step.after,
                       before=sp.Eq(f * before.lhs, f * before.rhs, evaluate=False)) for f in factors]


def absolute_value_dropped(d: Derivation, step: Step) -> list[StepMutant]:
    """|u| ↦ u and √(u²) ↦ u: right only where u ≥ 0 (the sampler must meet negative entries)."""
    if not isinstance(step.after, sp.Basic):
        return []
    roots = [p for p in step.after.atoms(sp.Pow) if p.exp == sp.Rational(1, 2) and isinstance(p.base, sp.Pow) and p.base.exp == 2]
    found = [*step.after.atoms(sp.Abs), *roots]
    out = []
    for a in sorted(found, key=sp.default_sort_key)[:2]:
        inner = a.args[0] if isinstance(a, sp.Abs) else a.base.base
        out += _rewrites(d, step, "drop an absolute value", {a: inner})
    return out
