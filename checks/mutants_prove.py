"""Mutant families for the prover's soundness holes (issue 12), in the audit's shape.

Each function takes a derivation and one of its steps and returns mutants like
``derivcheck_steps.audit.mutants_of`` does (``Mutant(derivation, step, operator, expr)``, ``expr`` the new
``after``). Two families also change the step's premise, so a ``StepMutant`` carries ``before``
(an equation) or ``given`` (hypotheses) too; ``as_step`` builds the mutated step to check.

Families:
- ``cancelled_factor``: an equation step whose new equation is multiplied (⇔ only: for ⇒ a
  multiple is a weaker, true conclusion), on both sides, by a factor ``v − c`` that may vanish
  (adds the solution v = c), or divided by it (v = c is lost).
- ``periodic_solve``: a solve step ``v = S`` whose premise becomes ``sin v = sin S`` (or
  ``cos``/``tan``): ``S`` is then one solution of infinitely many.
- ``triangular_bounds``: a double sum whose inner bound is made to depend on the outer index,
  or whose dependent bound is made rectangular (the limit-order error).
- ``sub_range``: a sum over a declared index range 1..N shortened to 1..N−1 or 2..N (wrong for
  centred data, and generally).
- ``reversed_bounds``: Σ_{k=a}^{b} f rewritten by Karr's reversal −Σ_{k=b+1}^{a−1} f, which is
  wrong under the empty-sum convention (it is −0 = 0 for b ≥ a).
- ``contradictory_hypotheses``: a claim given a hypothesis that contradicts a declaration
  (q < 0 for q declared positive). Such a mutant is not *wrong* but *vacuous*: its verdict must be
  neither PROVED nor CHECKED (``StepMutant.vacuous``), and the audit's oracle cannot judge it.

For the context-aware rules (geometric sums, inverses cleared, symmetric matrices, Gram signs):

- ``geometric_shift``: a geometric summand multiplied by its ratio (β^{t−k} ↦ β^{t−k+1}), and a
  symbolic exponent moved by one (β^t ↦ β^{t+1}, the closed form's off-by-one);
- ``inverse_perturbed``: inside an inverse (P + λI)⁻¹ its last term doubled, or the inverse dropped;
- ``transpose_dropped``: Aᵀ ↦ A for a square matrix not declared symmetric (only a declared
  symmetric matrix may lose its transpose);
- ``gram_negated``: a quadratic term uᵀu of an inequality's larger side negated;
- ``trace_swapped``: tr(ABC) ↦ tr(BAC) (a swap, not a rotation);
- ``log_of_sum_split``: log(u + v) ↦ log u + log v;
- ``tightened_bound``: L ≤ R ↦ L + v² ≤ R (the monotone-sign rule must not prove it where it fails).

The families for sums, binomial sums, deltas and exponentials live in ``derivcheck_steps.mutants_sums``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import sympy as sp
from sympy.matrices.expressions import Inverse, MatAdd

from derivcheck_steps.audit import Mutant
from derivcheck_steps.domains import Condition, holds_by_context
from derivcheck_steps.model import Derivation, Step
from derivcheck_steps.noncommutative import inverted
from derivcheck_steps.signs import is_gram


@dataclass(frozen=True)
class StepMutant(Mutant):
    """A mutant that may also change the premise: ``before`` (an equation) or ``given``."""

    before: sp.Basic | None = None
    given: tuple[sp.Basic, ...] | None = None
    vacuous: bool = False  # the premise is empty: the verdict must not be PROVED or CHECKED

    def as_step(self, step: Step) -> Step:
        """The mutated step, ready for ``check_step``."""
        return replace(step, after=self.expr, before=step.before if self.before is None else self.before,
                       given=step.given if self.given is None else self.given, expect=None, correction=None)


def _scalars(e: sp.Basic, d: Derivation) -> list[sp.Symbol]:
    return [s for s in sorted(e.free_symbols, key=str) if s in d.ctx.scalars]


def _mutant(d: Derivation, step: Step, op: str, after: sp.Basic, **kw: object) -> StepMutant:
    return StepMutant(d.id or d.title, step.index, op, after, **kw)


def cancelled_factor(d: Derivation, step: Step) -> list[StepMutant]:
    """Multiply or divide both sides of the new equation by ``v − c`` (c = 1, 2)."""
    if step.relation not in ("⇒", "⇔") or not isinstance(step.after, sp.Equality) or step.after.lhs.is_Matrix:
        return []
    out = []
    for v in _scalars(step.after, d):
        for c in (1, 2):
            f = v - c
            if holds_by_context(Condition("nonzero", f), d.ctx):
                continue  # the factor cannot vanish under the declarations: no error made
            lhs, rhs = step.after.lhs, step.after.rhs
            if step.relation == "⇔":  # after ⇒ a multiple of it: a weaker conclusion, still true
                out.append(_mutant(d, step, "multiply both sides by a factor that may vanish",
                                   sp.Eq(lhs * f, rhs * f, evaluate=False)))
            out.append(_mutant(d, step, "divide both sides by a factor that may vanish",
                               sp.Eq(lhs / f, rhs / f, evaluate=False)))
    return out


def periodic_solve(d: Derivation, step: Step) -> list[StepMutant]:
    """Turn a solve step's premise into a periodic equation with the same principal solution."""
    var = getattr(step.by, "var", None)
    after = step.after
    if not isinstance(after, sp.Equality) or var is None or after.lhs != var or not isinstance(var, sp.Symbol):
        return []
    return [_mutant(d, step, f"periodic premise {f.__name__}", after, before=sp.Eq(f(var), f(after.rhs)))
            for f in (sp.sin, sp.cos, sp.tan)]


def _sum_rewrites(e: sp.Basic, rewrite: Callable[[sp.Sum], list[tuple[str, sp.Basic]]]) -> list[tuple[str, sp.Basic]]:
    out = []
    for node in sp.preorder_traversal(e):
        if isinstance(node, sp.Sum):
            for op, new in rewrite(node):
                out.append((op, e.xreplace({node: new})))
    return out


def _side_mutants(d: Derivation, step: Step, rewrite: Callable[[sp.Sum], list[tuple[str, sp.Basic]]]) -> list[StepMutant]:
    target = step.after
    if isinstance(target, sp.Rel):
        out = [(op, type(target)(new, target.rhs, evaluate=False)) for op, new in _sum_rewrites(target.lhs, rewrite)]
        out += [(op, type(target)(target.lhs, new, evaluate=False)) for op, new in _sum_rewrites(target.rhs, rewrite)]
    else:
        out = _sum_rewrites(target, rewrite)
    return [_mutant(d, step, op, new) for op, new in out if new != target]


def triangular_bounds(d: Derivation, step: Step) -> list[StepMutant]:
    """Σ_j Σ_{k=1}^{n} ↦ Σ_j Σ_{k=1}^{j}, and a dependent bound Σ_{k=1}^{j} ↦ Σ_{k=1}^{n}."""

    def rewrite(s: sp.Sum) -> list[tuple[str, sp.Basic]]:
        if len(s.limits) < 2:
            return []
        (k, lo, hi), (j, jlo, jhi) = s.limits[0], s.limits[1]  # innermost first
        rest = s.limits[2:]
        if j in hi.free_symbols:
            return [("make a dependent inner bound rectangular", sp.Sum(s.function, (k, lo, jhi), (j, jlo, jhi), *rest))]
        return [("make the inner bound depend on the outer index", sp.Sum(s.function, (k, lo, j), (j, jlo, jhi), *rest))]

    return _side_mutants(d, step, rewrite)


def sub_range(d: Derivation, step: Step) -> list[StepMutant]:
    """Σ_{k=1}^{N} ↦ Σ_{k=1}^{N−1} and Σ_{k=2}^{N}."""

    def rewrite(s: sp.Sum) -> list[tuple[str, sp.Basic]]:
        *inner, (k, lo, hi) = s.limits
        return [("drop the last term of a sum's range", sp.Sum(s.function, *inner, (k, lo, hi - 1))),
                ("drop the first term of a sum's range", sp.Sum(s.function, *inner, (k, lo + 1, hi)))]

    return _side_mutants(d, step, rewrite)


def reversed_bounds(d: Derivation, step: Step) -> list[StepMutant]:
    """Σ_{k=a}^{b} f ↦ −Σ_{k=b+1}^{a−1} f (Karr's reversal: wrong for empty-sum readers)."""

    def rewrite(s: sp.Sum) -> list[tuple[str, sp.Basic]]:
        *inner, (k, lo, hi) = s.limits
        return [("rewrite a sum by Karr's reversal", -sp.Sum(s.function, *inner, (k, hi + 1, lo - 1)))]

    return _side_mutants(d, step, rewrite)


def contradictory_hypotheses(d: Derivation, step: Step) -> list[StepMutant]:
    """A claim given a hypothesis against a declaration: q < 0 for a positive q, p > 1 for p in (0, 1)."""
    if step.relation != "⊢":
        return []
    out = []
    for s in _scalars(step.after, d):
        decl = d.ctx.scalars[s]
        if decl.low is not None and decl.low >= 0:
            out.append(sp.Lt(s, decl.low, evaluate=False))
        if decl.high is not None:
            out.append(sp.Gt(s, decl.high, evaluate=False))
    return [_mutant(d, step, "hypothesis contradicting a declaration", step.after, given=(*step.given, h),
                    vacuous=True) for h in out]


def _rewrites(d: Derivation, step: Step, op: str, mapping: dict) -> list[StepMutant]:
    target = step.after
    out = []
    for old, new in mapping.items():
        changed = target.xreplace({old: new})
        if changed != target:
            out.append(_mutant(d, step, op, changed))
    return out


def geometric_shift(d: Derivation, step: Step) -> list[StepMutant]:
    """β^{e(k)} ↦ β^{e(k)+1} under a sum over k; β^{e} ↦ β^{e+1} for an exponent naming a dimension."""

    def rewrite(s: sp.Sum) -> list[tuple[str, sp.Basic]]:
        k = s.limits[0][0]
        powers = [p for p in s.function.atoms(sp.Pow) if k in p.exp.free_symbols and k not in p.base.free_symbols]
        return [("multiply a geometric summand by its ratio", s.xreplace({p: p.base ** (p.exp + 1)})) for p in powers[:1]]

    out = _side_mutants(d, step, rewrite)
    dims = set(d.ctx.dims_)
    outside = [
        p
        for p in step.after.atoms(sp.Pow)
        if p.exp.free_symbols & dims and not any(p in s.atoms(sp.Pow) for s in step.after.atoms(sp.Sum))
    ]
    for p in sorted(outside, key=sp.default_sort_key)[:2]:
        out += _rewrites(d, step, "move a symbolic exponent by one", {p: p.base ** (p.exp + 1)})
    return out


def inverse_perturbed(d: Derivation, step: Step) -> list[StepMutant]:
    """(A + B)⁻¹ ↦ (A + 2B)⁻¹ for its last term, and P⁻¹ ↦ P (the inverse forgotten)."""
    if not isinstance(step.after, sp.Basic) or isinstance(step.after, sp.Rel):
        return []
    out = []
    for node in sorted(step.after.atoms(Inverse), key=sp.default_sort_key)[:2]:
        p = inverted(node)
        if isinstance(p, MatAdd):
            last = p.args[-1]
            out += _rewrites(d, step, "double a term inside an inverse", {node: Inverse(MatAdd(*p.args[:-1], 2 * last))})
        out += _rewrites(d, step, "forget an inverse", {node: p})
    return out


def transpose_dropped(d: Derivation, step: Step) -> list[StepMutant]:
    """Aᵀ ↦ A for a declared square matrix A that is not declared symmetric."""
    symmetric = set(d.ctx.symmetric)
    out = []
    for t in sorted(step.after.atoms(sp.Transpose), key=sp.default_sort_key):
        a = t.arg
        if isinstance(a, sp.MatrixSymbol) and a.shape[0] == a.shape[1] and a.shape != (1, 1) and a not in symmetric:
            out += _rewrites(d, step, "drop the transpose of a matrix not declared symmetric", {t: a})
    return out


def gram_negated(d: Derivation, step: Step) -> list[StepMutant]:
    """In a claim L ≥ R (or >), a Gram term c·uᵀu of L negated."""
    st = step.after
    if step.relation != "⊢" or not isinstance(st, (sp.GreaterThan, sp.StrictGreaterThan)):
        return []
    big = st.lhs
    terms = big.args if isinstance(big, MatAdd) else (big,)
    out = []
    for t in terms:
        if not hasattr(t, "as_coeff_mmul"):
            continue
        _, mm = t.as_coeff_mmul()
        word = tuple(f for f in getattr(mm, "args", (mm,)) if getattr(f, "is_Matrix", False))
        if is_gram(word):
            new = MatAdd(*[-x if x is t else x for x in terms])
            out.append(_mutant(d, step, "negate a quadratic term of the larger side", type(st)(new, st.rhs, evaluate=False)))
    return out


def trace_swapped(d: Derivation, step: Step) -> list[StepMutant]:
    """tr(ABC) ↦ tr(BAC): two neighbours of a product of three or more under a trace swapped (not a rotation)."""
    out = []
    for t in sorted(step.after.atoms(sp.Trace), key=sp.default_sort_key):
        factors = [f for f in getattr(t.arg, "args", ()) if getattr(f, "is_Matrix", False)]
        if isinstance(t.arg, sp.MatMul) and len(factors) >= 3:
            a, b, *rest = factors
            if a.shape[0] == b.shape[0] and a.shape[1] == b.shape[1]:  # square and alike: still well typed
                out += _rewrites(d, step, "swap two factors under a trace", {t: sp.Trace(sp.MatMul(b, a, *rest))})
    return out


def log_of_sum_split(d: Derivation, step: Step) -> list[StepMutant]:
    """log(u + v) ↦ log u + log v: the logarithm of a sum split as if it were a product."""
    out = []
    for g in sorted(step.after.atoms(sp.log), key=sp.default_sort_key):
        if isinstance(g.args[0], sp.Add) and len(g.args[0].args) == 2:
            out += _rewrites(d, step, "split the logarithm of a sum", {g: sp.Add(*(sp.log(a) for a in g.args[0].args))})
    return out


def tightened_bound(d: Derivation, step: Step) -> list[StepMutant]:
    """A claim L ≤ R (R ≥ L) in scalars, tightened by the square of each variable: L + v² ≤ R."""
    st = step.after
    if step.relation != "⊢" or not isinstance(st, (sp.LessThan, sp.StrictLessThan, sp.GreaterThan, sp.StrictGreaterThan)):
        return []
    if getattr(st.lhs, "is_Matrix", False) or getattr(st.rhs, "is_Matrix", False):
        return []
    out = []
    for v in _scalars(st, d):
        if isinstance(st, (sp.LessThan, sp.StrictLessThan)):
            new = type(st)(st.lhs + v**2, st.rhs, evaluate=False)
        else:
            new = type(st)(st.lhs, st.rhs + v**2, evaluate=False)
        out.append(_mutant(d, step, "tighten a bound by a square", new))
    return out


FAMILIES: dict[str, Callable[[Derivation, Step], list[StepMutant]]] = {
    "cancelled factors": cancelled_factor,
    "periodic solve sets": periodic_solve,
    "triangular bounds": triangular_bounds,
    "sub-range sums": sub_range,
    "reversed bounds": reversed_bounds,
    "contradictory hypotheses": contradictory_hypotheses,
    "geometric shifts": geometric_shift,
    "perturbed inverses": inverse_perturbed,
    "dropped transposes": transpose_dropped,
    "negated Gram terms": gram_negated,
    "swapped trace factors": trace_swapped,
    "split logarithms of sums": log_of_sum_split,
    "tightened bounds": tightened_bound,
}


def prove_mutants(d: Derivation, step: Step) -> list[StepMutant]:
    """Every family's mutants of one step, de-duplicated."""
    seen, out = set(), []
    for family in FAMILIES.values():
        for m in family(d, step):
            key = (sp.srepr(m.expr), sp.srepr(m.before), sp.srepr(m.given))
            if key not in seen:
                seen.add(key)
                out.append(m)
    return out


def _register_sum_families() -> None:
    """The families of ``derivcheck_steps.mutants_sums`` (sums, binomials, deltas, exponentials), listed here too."""
    from derivcheck_steps import mutants_sums as ms

    FAMILIES.update({"swapped entry indices": ms.indices_swapped, "swapped outer factors": ms.outer_factors_swapped,
                     "shifted binomials": ms.binomial_shifted, "shifted deltas": ms.delta_shifted,
                     "scaled exponents": ms.exponent_scaled})
    from derivcheck_steps import mutants_powers as mp

    FAMILIES.update({"shifted symbolic exponents": mp.exponent_shifted, "powers of one factor": mp.base_split_wrongly,
                     "denominators shifted": mp.denominator_shifted,
                     "premises scaled by a factor that may vanish": mp.premise_scaled_by_vanishing_factor,
                     "absolute values dropped": mp.absolute_value_dropped})


_register_sum_families()


def _register_solve_families() -> None:
    """The families of ``derivcheck_steps.mutants_solve`` (the vector solve rule), listed here too."""
    from derivcheck_steps import mutants_solve

    FAMILIES.update(mutants_solve.FAMILIES)


_register_solve_families()
