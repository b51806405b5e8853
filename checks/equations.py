"""Equation steps: ⇒ and ⇔ between equations, and solving for a variable.

- ⇒/⇔: ``after``'s lhs − rhs written as a multiple of ``before``'s, the multiple a rational
  function; the identity covers only where both equations and the multiple are defined (and, for
  ⇔, the multiple is nonzero): every other point must be covered by the context (``derivcheck_steps.domains``).
- solve: the complete solution set (degree-1 polynomial, ``solveset`` over the declared domain
  returning a finite set, a strictly monotone power, or an affine matrix equation with a declared
  invertible coefficient), never ``sympy.solve``'s principal one.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp
from sympy.matrices.expressions import MatrixSymbol, ZeroMatrix

from derivcheck_steps import domains
from derivcheck_steps.canonical import Proof, is_matrix, prove_zero
from derivcheck_steps.context import Context
from derivcheck_steps.plain import plain
from derivcheck_steps.scalar_multiples import prove_scalar_multiple
from derivcheck_steps.set_text import set_text
from derivcheck_steps.sums import empty_sum_convention, expand_sums


def difference(eq: sp.Basic) -> sp.Basic:
    """``lhs - rhs`` of an equation."""
    return eq.lhs - eq.rhs


def _nonzero(e: sp.Basic, ctx: Context) -> bool:
    return domains.holds_by_context(domains.Condition("nonzero", e), ctx)


def _domain_gaps(before: sp.Eq, after: sp.Eq, relation: str, ctx: Context, r: sp.Expr | None = None) -> list[str]:
    """Where a rational identity between the two equations says nothing (see derivcheck_steps.domains)."""
    d1, d2 = difference(before), difference(after)
    c1, c2 = domains.conditions(d1), domains.conditions(d2)
    num, den = sp.fraction(r) if r is not None else (sp.Integer(1), sp.Integer(1))
    out = domains.gaps(d1, d2, c2, c1, [den], ctx)
    if relation == "⇔":
        out += [g for g in domains.gaps(d2, d1, c1, c2, [num], ctx) if g not in out]
    return out


def _gap_reason(gaps: list[str]) -> str:
    return (
        "the equations are not defined at the same points, or a factor was cancelled: the step needs "
        f"{', '.join(gaps)} (declare it with ctx.assume, or keep the factor)"
    )


def _real_domain(var: sp.Symbol, ctx: Context) -> sp.Set:
    decl = ctx.scalars.get(var)
    if decl is None:
        return sp.S.Reals
    low = sp.Rational(decl.low) if decl.low is not None else -sp.oo
    high = sp.Rational(decl.high) if decl.high is not None else sp.oo
    if decl.nonnegative and decl.low is None:
        return sp.Interval(0, high, right_open=True)
    domain = sp.Interval.open(low, high)
    return domain - sp.FiniteSet(0) if decl.nonzero and 0 in domain else domain


def prove_solve(before: sp.Eq, after: sp.Eq, var: sp.Basic, ctx: Context) -> Proof:
    """Prove that ``after`` (``var = S``) is the unique solution of ``before`` for ``var``.

    PROVED only when the solution set is known complete: ``before`` is a polynomial of degree 1 in
    ``var`` with a nonzero coefficient (affine with a declared invertible coefficient, for a
    vector), or ``solveset`` over the declared domain of ``var`` returns exactly ``{S}``; and the
    two equations are defined at the same points (nothing cancelled). ``sympy.solve`` alone is
    never enough: it returns principal solutions (sin x = 1 has infinitely many).
    """
    if after.lhs != var:
        if after.rhs == var:
            after = sp.Eq(after.rhs, after.lhs, evaluate=False)
        else:
            return Proof(False, "solve", None, f"the new equation is not of the form {plain(var, ctx)} = ...")
    sol = after.rhs
    d1 = difference(before)
    if isinstance(var, MatrixSymbol):
        return _prove_solve_matrix(d1, sol, var, ctx)
    expanded = sp.expand(d1)
    if not (expanded.is_polynomial(var) and sp.degree(expanded, var) == 1):
        return _prove_solve_general(d1, sol, var, ctx)  # solveset accounts for where d1 is undefined
    gaps = _domain_gaps(before, after, "⇔", ctx)
    if gaps:
        return Proof(False, "solve", None, _gap_reason(gaps), tuple(gaps))
    a, b = sp.cancel(sp.diff(expanded, var)), expanded.subs(var, 0)
    if not _nonzero(a, ctx):
        return Proof(False, "solve (linear)", None, f"cannot show the coefficient {plain(a, ctx)} of {plain(var, ctx)} is nonzero")
    check = prove_zero(sol - (-b / a))
    if check.proved:
        return Proof(True, f"linear in {plain(var, ctx)} with nonzero coefficient {plain(sp.factor(a), ctx)}; unique solution")
    return Proof(False, "solve (linear)", sp.factor(sol + b / a), f"the unique solution is {plain(sp.factor(-b / a), ctx)}")


def _prove_solve_general(d1: sp.Basic, sol: sp.Basic, var: sp.Basic, ctx: Context) -> Proof:
    domain = _real_domain(var, ctx)
    # the other symbols' declared ranges and facts, made visible to the solver (p ↦ u/(1+u), u > 0)
    v = sp.Dummy("v", real=True)
    written, d1, sol = sol, ctx.with_facts(d1.xreplace({var: v})), ctx.with_facts(sol)
    try:
        found = sp.solveset(d1, v, domain)
    except (NotImplementedError, ValueError, TypeError) as exc:
        return Proof(False, "solveset", None, f"the solution set could not be computed ({type(exc).__name__})")
    if not isinstance(found, sp.FiniteSet):
        monotone = _prove_solve_power(d1.xreplace({v: var}), written, var, ctx)
        if monotone is not None:
            return monotone
        return Proof(
            False, "solveset", None,
            f"the solution set over {set_text(domain, ctx)} is not known to be a finite set: {_found_text(found, v, var, ctx)}",
        )
    needs = sorted(str(c) for c in domains.conditions(written) if not domains.holds_by_context(c, ctx))
    if needs:
        return Proof(False, "solveset", None, f"the solution {plain(written, ctx)} is defined only where {', '.join(needs)}")
    if len(found) == 1 and prove_zero(next(iter(found)) - sol).proved:
        return Proof(
            True, f"solveset over {set_text(domain, ctx)}: the complete solution set is {set_text(sp.FiniteSet(written), ctx)}"
        )
    return Proof(
        False, "solveset", None, f"the complete solution set over {set_text(domain, ctx)} is {_found_text(found, v, var, ctx)}"
    )


def _found_text(found: sp.Set, v: sp.Dummy, var: sp.Basic, ctx: Context) -> str:
    """A solution set for the reader: the solver's own variable named as the document names it."""
    return set_text(found.xreplace({v: var}), ctx)


def _prove_solve_power(d1: sp.Basic, sol: sp.Basic, var: sp.Symbol, ctx: Context) -> Proof | None:
    """``c·var^e + K = 0`` with var > 0, c ≠ 0, e ≠ 0 real: var ↦ var^e is strictly monotone on
    (0, ∞), so a positive solution, if it satisfies the equation, is the only one."""
    if not var.is_positive:
        return None
    terms = sp.Add.make_args(sp.expand(d1))
    moving = [t for t in terms if t.has(var)]
    if len(moving) != 1:
        return None
    coeff, power = sp.powsimp(moving[0]).as_independent(var, as_Add=False)
    base, exp = power.as_base_exp()
    if base != var or exp.has(var) or not _nonzero(coeff, ctx) or not _nonzero(exp, ctx):
        return None
    if not domains.holds_by_context(domains.Condition("positive", sol), ctx):
        return None
    at_sol = prove_zero(d1.xreplace({var: sol}))
    if not at_sol.proved:
        return None
    return Proof(
        True,
        f"{plain(var, ctx)} > 0 and {plain(var**exp, ctx)} is strictly monotone there: the positive solution {plain(sol, ctx)} "
        f"({at_sol.method}) is the only one",
    )


def _prove_solve_matrix(d1: sp.Basic, sol: sp.Basic, var: MatrixSymbol, ctx: Context) -> Proof:
    const = d1.subs(var, ZeroMatrix(*var.shape)).doit()
    coeff = None
    for matrix, because in _invertible_coefficients(var, ctx):
        if prove_zero(d1 - const - matrix * var).proved:
            coeff = because
            break
    if coeff is None:
        why = f"the equation is not (declared invertible matrix)·{var} + constant"
        return Proof(False, "solve (matrix)", None, why, _singular_gaps(d1 - const, var, ctx))
    at_sol = prove_zero(d1.subs(var, sol))
    if at_sol.proved:
        return Proof(
            True, f"affine in {var} with invertible coefficient ({coeff}); the solution satisfies it ({at_sol.method})"
        )
    return Proof(False, "solve (matrix)", at_sol.residual, "the proposed solution does not satisfy the equation")


def _singular_gaps(linear: sp.Basic, var: MatrixSymbol, ctx: Context) -> tuple[str, ...]:
    """The square matrices declared with no property, in ``var``'s coefficient: the coefficient may be
    singular exactly where they are (a set sampled points miss), so numeric agreement is no evidence."""
    square = {m for m in linear.free_symbols if isinstance(m, MatrixSymbol) and m != var
              and m.shape[0] == m.shape[1] and m.shape[0] != 1}
    known = {f.matrix for f in ctx.invertibles} | set(ctx.properties) | set(ctx.symmetric)
    return tuple(f"det({m}) ≠ 0" for m in sorted(square - known, key=str))


def _invertible_coefficients(var: MatrixSymbol, ctx: Context) -> list[tuple[sp.Basic, str]]:
    """Matrices known invertible that may multiply ``var``: ±I, and ±M, ±M⁻¹, ±Mᵀ for each declared invertible M."""
    n = var.shape[0]
    out: list[tuple[sp.Basic, str]] = [(sp.Identity(n), "the identity"), (-sp.Identity(n), "minus the identity")]
    for fact in ctx.invertibles:
        m = fact.matrix
        if m.shape != (n, n):
            continue
        for form, how in ((m, ""), (sp.Inverse(m), "the inverse of "), (sp.Transpose(m), "the transpose of ")):
            out += [(form, f"{how}{m}: {fact.because}"), (-form, f"minus {how}{m}: {fact.because}")]
    return out


def _sums_normal(e: sp.Basic) -> sp.Basic:
    """Sums in normal form (Σ_i 1 = N, Σ_i (x_i − μ) = Σ_i x_i − Nμ, bound indices renamed), so that a
    ratio of two differences sees the same sums; unchanged when a sum's range may be reversed."""
    if not e.has(sp.Sum):
        return e
    normal, unsure = empty_sum_convention(e)
    return e if unsure else expand_sums(normal)


def prove_equation_step(
    before: sp.Eq, after: sp.Eq, relation: str, ctx: Context, numeric_ratio: Callable[[], sp.Basic | None]
) -> Proof:
    """Prove ``before ⇒ after`` (or ⇔) by writing ``after``'s difference as a multiple of ``before``'s.

    The multiple ``r`` is a rational function: the identity covers only the points where both
    equations and ``r`` are defined (and, for ⇔, ``r ≠ 0``). Every other point must be covered by the
    context or shown harmless (``derivcheck_steps.domains``), else the step is not proved.
    """
    d1, d2 = difference(before), difference(after)
    if is_matrix(d1) or is_matrix(d2):
        scalar = prove_scalar_multiple(d1, d2, relation, ctx)
        if scalar is not None:
            return scalar
        ratio = numeric_ratio()
        if ratio is None:
            return Proof(False, "multiple", None, "could not guess a constant factor between the two equations")
        check = prove_zero(d2 - ratio * d1, ctx=ctx)
        if check.proved and ratio != 0:
            return Proof(True, f"lhs - rhs is {ratio} times the previous ({check.method})")
        return Proof(False, "multiple", check.residual, "the two equations are not constant multiples")
    if prove_zero(d1, heavy=False).proved:
        ok = prove_zero(d2).proved
        return Proof(ok, "both identities", None, "" if ok else "the premise holds identically but the conclusion does not")
    r = sp.cancel(sp.together(_sums_normal(d2) / _sums_normal(d1)))
    if r == 0 or r.has(sp.nan, sp.zoo):
        return Proof(False, "ratio", None, "the new equation is not a multiple of the previous one")
    gaps = _domain_gaps(before, after, relation, ctx, r)
    if gaps:
        return Proof(
            False, "ratio", None, f"lhs − rhs is ({r}) times the previous lhs − rhs, but " + _gap_reason(gaps), tuple(gaps)
        )
    return Proof(True, f"lhs - rhs is ({r}) times the previous lhs - rhs, where both equations are defined")
