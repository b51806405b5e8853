"""Mutant families for the vector solve rule (``equations._invertible_coefficients``) and the prose
rule for derived properties (``latex.prose._follows``), in the shape of ``derivcheck_steps.mutants_prove``
(which lists the step families in its ``FAMILIES``).

Step families, for a step solving ``M w = b`` for a vector (or matrix) ``w``:

- ``solve_inverse_dropped``: M⁻¹ ↦ M in the solution (the inverse forgotten);
- ``solve_transposed``: M ↦ Mᵀ (and M⁻¹ ↦ M⁻ᵀ) for M not declared symmetric;
- ``solve_sign_flipped``: w = S ↦ w = −S;
- ``solve_wrong_inverse``: a bare M ↦ M⁻¹ (inverted the wrong way);
- ``solve_factors_swapped``: two adjacent square factors of the solution swapped (M⁻¹ A b ↦ A M⁻¹ b);
- ``solve_singular_coefficient``: M ↦ u uᵀ (rank one, singular for n ≥ 2), or M ↦ K for a square K
  declared with no property (singular somewhere the declarations allow), in the premise and the
  solution alike: a coefficient not declared invertible.

Document family, for the prose rule: ``derived_property_mutants(text)`` weakens the declaration of D
so that a stated property of D⁻¹ or Dᵀ no longer follows from it (the stated fact must then restrict
again), or states a property the declaration does not give.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import sympy as sp
from sympy.matrices.expressions import Inverse, MatMul, MatrixSymbol, Transpose

from derivcheck_steps.model import Derivation, Step
from derivcheck_steps.symbolic import prove_zero

if TYPE_CHECKING:  # mutants_prove imports this module to list its families
    from derivcheck_steps.mutants_prove import StepMutant


def _mutant(d: Derivation, step: Step, op: str, after: sp.Basic, **kw: object) -> StepMutant:
    from derivcheck_steps.mutants_prove import _mutant as make

    return make(d, step, op, after, **kw)


def _solution(step: Step) -> tuple[MatrixSymbol, sp.Basic] | None:
    var = getattr(step.by, "var", None)
    after = step.after
    if not isinstance(var, MatrixSymbol) or not isinstance(after, sp.Equality) or after.lhs != var:
        return None
    return var, after.rhs


def _replaced(d: Derivation, step: Step, op: str, mapping: dict, before: bool = False) -> list[StepMutant]:
    """The solve step with ``mapping`` applied to its solution (and to its premise when ``before``)."""
    found = _solution(step)
    if found is None:
        return []
    var, sol = found
    try:
        new = sol.xreplace(mapping)
        premise = step.before.xreplace(mapping) if before and isinstance(step.before, sp.Equality) else None
    except (sp.matrices.common.ShapeError, ValueError, TypeError):
        return []
    if new == sol and premise is None:
        return []
    kw = {"before": premise} if premise is not None else {}
    return [_mutant(d, step, op, sp.Eq(var, new, evaluate=False), **kw)]


def _invertibles(d: Derivation, var: MatrixSymbol) -> list[sp.Basic]:
    n = var.shape[0]
    return [f.matrix for f in d.ctx.invertibles if f.matrix.shape == (n, n)]


def solve_inverse_dropped(d: Derivation, step: Step) -> list[StepMutant]:
    """M⁻¹ ↦ M for each inverse in the solution."""
    found = _solution(step)
    if found is None:
        return []
    out = []
    for inv in sorted(found[1].atoms(Inverse), key=sp.default_sort_key)[:3]:
        out += _replaced(d, step, "drop an inverse from the solution", {inv: inv.arg})
    return out


def solve_transposed(d: Derivation, step: Step) -> list[StepMutant]:
    """M ↦ Mᵀ in the solution, for a declared invertible M not declared symmetric."""
    found = _solution(step)
    if found is None:
        return []
    out = []
    for m in _invertibles(d, found[0]):
        if m in d.ctx.symmetric or "symmetric" in d.ctx.properties.get(m, ()) or not found[1].has(m):
            continue
        if prove_zero(Transpose(m).doit() - m, ctx=d.ctx).proved:
            continue  # symmetric by its form (λI + XᵀX): its transpose is no error
        out += _replaced(d, step, "transpose a coefficient that is not symmetric", {m: Transpose(m)})
    return out


def solve_sign_flipped(d: Derivation, step: Step) -> list[StepMutant]:
    """w = S ↦ w = −S."""
    found = _solution(step)
    if found is None or found[1].is_ZeroMatrix:
        return []
    return [_mutant(d, step, "flip the sign of the solution", sp.Eq(found[0], -found[1], evaluate=False))]


def solve_wrong_inverse(d: Derivation, step: Step) -> list[StepMutant]:
    """A bare declared-invertible M (not under an inverse) ↦ M⁻¹ in the solution."""
    found = _solution(step)
    if found is None:
        return []
    var, sol = found
    out = []
    keep = {inv: MatrixSymbol(f"_keep{k}", *inv.shape) for k, inv in enumerate(sorted(sol.atoms(Inverse), key=str))}
    bare, back = sol.xreplace(keep), {v: k for k, v in keep.items()}  # inverses stay: only bare M are inverted
    for m in _invertibles(d, var):
        new = bare.xreplace({m: Inverse(m)}).xreplace(back)
        if new != sol:
            out.append(_mutant(d, step, "invert a coefficient the wrong way", sp.Eq(var, new, evaluate=False)))
    return out


def solve_factors_swapped(d: Derivation, step: Step) -> list[StepMutant]:
    """Swap two adjacent square factors of a product in the solution (M⁻¹ A b ↦ A M⁻¹ b)."""
    found = _solution(step)
    if found is None:
        return []
    var, sol = found
    out = []
    for prod in sorted(sol.atoms(MatMul), key=sp.default_sort_key):
        coeff, mm = prod.as_coeff_mmul()
        f = list(getattr(mm, "args", ()))
        for i in range(len(f) - 1):
            a, b = f[i], f[i + 1]
            if (
                getattr(a, "is_Matrix", False)
                and getattr(b, "is_Matrix", False)
                and a.shape == b.shape
                and a.shape[0] == a.shape[1]
                and a != b
            ):
                g = f[:i] + [b, a] + f[i + 2 :]
                out += _replaced(d, step, "swap two factors of the solution", {prod: coeff * MatMul(*g)})
    return out[:3]


def solve_singular_coefficient(d: Derivation, step: Step) -> list[StepMutant]:
    """M ↦ u uᵀ (singular) in the premise and in the solution, u a vector of M's size."""
    found = _solution(step)
    if found is None or not isinstance(step.before, sp.Equality):
        return []
    var, sol = found
    n = var.shape[0]
    symbols = step.before.free_symbols | sol.free_symbols
    vectors = sorted((s for s in symbols if isinstance(s, MatrixSymbol) and s.shape == (n, 1) and s != var), key=str)
    known = {f.matrix for f in d.ctx.invertibles} | set(d.ctx.properties) | set(d.ctx.symmetric)
    plain = sorted((s for s in symbols if isinstance(s, MatrixSymbol) and s.shape == (n, n) and s not in known), key=str)
    out = []
    for m in _invertibles(d, var):
        if not step.before.has(m):
            continue
        for u in vectors[:1]:
            out += _replaced(d, step, "solve with a singular (rank-one) coefficient", {m: u * u.T}, before=True)
        for other in plain[:1]:
            out += _replaced(d, step, "solve with a coefficient declared with no property", {m: other}, before=True)
    return out


FAMILIES = {
    "solve: dropped inverses": solve_inverse_dropped,
    "solve: transposed coefficients": solve_transposed,
    "solve: flipped signs": solve_sign_flipped,
    "solve: wrong-way inverses": solve_wrong_inverse,
    "solve: swapped factors": solve_factors_swapped,
    "solve: singular coefficients": solve_singular_coefficient,
}


# The prose rule: what a declaration gives D⁻¹ and Dᵀ, and declarations that do not give it.
_WEAKER = {
    "diagonal": ("symmetric pd", "invertible"),
    "symmetric": ("invertible",),
    "orthogonal": ("invertible", "symmetric invertible"),
    "positive definite": ("symmetric invertible", "invertible"),
    "invertible": ("symmetric",),
}
_STATED = re.compile(r"\$(\w+|\\\w+)(\^\{-1\}|\^\\top|\^T|\^\{\\top\})\$ is ([a-z ]+?)[.,]")


def derived_property_mutants(text: str) -> list[tuple[str, str]]:
    """(operator, new text) pairs: each stated property of D⁻¹ or Dᵀ made not to follow from D's declaration.

    The declaration ``% derivcheck: matrix D n n WORDS`` is replaced by one that does not give the
    property (``_WEAKER``); the statement stays, so the fact must restrict again.
    """
    out = []
    for stated in _STATED.finditer(text):
        name, prop = stated.group(1), stated.group(3).split(" and ")[0].strip()
        decl = re.search(rf"^% derivcheck: matrix {re.escape(name)} (\S+) (\S+)(.*)$", text, re.M)
        if decl is None or prop not in _WEAKER:
            continue
        for weaker in _WEAKER[prop]:
            line = f"% derivcheck: matrix {name} {decl.group(2)} {decl.group(2)} {weaker}"
            if line != decl.group(0):
                new = text[: decl.start()] + line + text[decl.end() :]
                out.append((f"declare {name} only {weaker}: {stated.group(0)[:-1]} does not follow", new))
    return out
