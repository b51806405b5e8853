"""Symbolic provers: equality to zero, gradients, solving, equivalence of equations, signs.

Each prover returns a ``Proof``: ``proved`` is True only when a symbolic argument holds under
the declared assumptions; otherwise ``reason`` says why not and ``residual`` carries the
simplest form of the difference it reached. Cheap canonical forms are tried before heavy ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import sympy as sp
from sympy.matrices.expressions import MatAdd, MatrixExpr, MatrixSymbol, ZeroMatrix

from checks import fastpoly
from checks.context import Context
from checks.sums import expand_sums


@dataclass
class Proof:
    """The outcome of a symbolic attempt."""

    proved: bool
    method: str
    residual: sp.Basic | None = None
    reason: str = ""


def is_matrix(e: sp.Basic) -> bool:
    """Whether ``e`` is a matrix-valued expression."""
    return bool(getattr(e, "is_Matrix", False))


def _is_zero(e: sp.Basic) -> bool:
    if isinstance(e, ZeroMatrix):
        return True
    if is_matrix(e) and not isinstance(e, MatrixExpr):  # explicit Matrix
        return all(x == 0 for x in e)
    return e == 0


def _scalar_terms_symmetric(e: sp.Basic) -> sp.Basic:
    """Identify each 1x1 term of a matrix sum with its transpose (a scalar equals its transpose)."""
    if not isinstance(e, MatAdd):
        return e
    terms = []
    for term in e.args:
        if term.shape == (1, 1):
            term = min((term, sp.Transpose(term).doit()), key=sp.default_sort_key)
        terms.append(term)
    return MatAdd(*terms).doit()


def canonical_forms(e: sp.Basic, heavy: bool = True) -> Iterator[tuple[str, sp.Basic]]:
    """Successively heavier normal forms of ``e``, cheap first: (method, form)."""
    if is_matrix(e):
        done = e.doit()
        yield "doit", done
        expanded = sp.expand(done)
        yield "expand", expanded
        yield "expand, 1x1 terms identified with their transposes", _scalar_terms_symmetric(expanded)
        return
    yield "expand", sp.expand(e)
    if e.has(sp.Sum, sp.sign):
        yield "expand sums", expand_sums(e)
    done = e.doit() if e.has(sp.Derivative) else e
    yield "cancel", sp.cancel(sp.together(sp.expand(done)))
    if heavy:
        yield "simplify", sp.simplify(done)
        if any(not p.exp.is_Integer for p in done.atoms(sp.Pow)):
            # x^(a+b) = x^a x^b and (xy)^a = x^a y^a: SymPy applies these only where the
            # assumptions allow (positive bases), so the form stays an identity
            yield "powers denested, then simplify", sp.simplify(sp.powdenest(sp.expand_power_base(done)))


def prove_zero(e: sp.Basic, *, heavy: bool = True) -> Proof:
    """Prove ``e == 0`` by canonical forms; on failure the residual is the simplest form seen.

    ``heavy=False`` stops before ``simplify``, for a quick look whose failure costs nothing.
    """
    fast = fastpoly.decide(e)  # exact polynomial arithmetic; None when out of scope or python-flint is missing
    if fast is not None:  # a nonzero rational function: no canonical form can reach zero, skip them all
        return Proof(True, fastpoly.METHOD) if fast[0] else Proof(
            False, fastpoly.METHOD, fast[1], f"the difference is a nonzero rational function ({fastpoly.METHOD})")
    best = None
    for method, form in canonical_forms(e, heavy):
        if _is_zero(form):
            return Proof(True, method)
        if best is None or sp.count_ops(form) < sp.count_ops(best):
            best = form
    return Proof(False, "canonical forms", best, "no canonical form of the difference is zero")


def gradient(e: sp.Basic, var: sp.Basic) -> sp.Basic:
    """The derivative of a scalar ``e`` in a scalar ``var``, or its gradient in a vector ``var``."""
    if isinstance(var, MatrixSymbol):
        return e.diff(var)
    if is_matrix(e):
        return e.diff(var)
    return sp.diff(e, var)


def difference(eq: sp.Basic) -> sp.Basic:
    """``lhs - rhs`` of an equation."""
    return eq.lhs - eq.rhs


def _nonzero(e: sp.Basic, ctx: Context) -> bool:
    e = ctx.with_facts(e)
    for form in (e, sp.factor(e)):
        if form.is_nonzero or form.is_positive or form.is_negative:
            return True
    return False


def prove_solve(before: sp.Eq, after: sp.Eq, var: sp.Basic, ctx: Context) -> Proof:
    """Prove that ``after`` (``var = S``) is the unique solution of ``before`` for ``var``."""
    if after.lhs != var:
        if after.rhs == var:
            after = sp.Eq(after.rhs, after.lhs, evaluate=False)
        else:
            return Proof(False, "solve", None, f"the new equation is not of the form {var} = ...")
    sol = after.rhs
    d1 = difference(before)
    if isinstance(var, MatrixSymbol):
        return _prove_solve_matrix(d1, sol, var, ctx)
    a = sp.cancel(sp.diff(d1, var))
    if sp.cancel(sp.diff(a, var)) != 0:
        return _prove_solve_general(before, sol, var)
    b = d1.subs(var, 0)
    if not _nonzero(a, ctx):
        return Proof(False, "solve (linear)", None, f"cannot show the coefficient {a} of {var} is nonzero")
    check = prove_zero(sol - (-b / a))
    if check.proved:
        return Proof(True, f"linear in {var} with nonzero coefficient {sp.factor(a)}; unique solution")
    return Proof(False, "solve (linear)", sp.factor(sol + b / a), f"the unique solution is {sp.factor(-b / a)}")


def _prove_solve_general(before: sp.Eq, sol: sp.Basic, var: sp.Basic) -> Proof:
    sols = sp.solve(before, var, dict=False)
    if len(sols) == 1 and prove_zero(sols[0] - sol).proved:
        return Proof(True, f"sympy.solve: unique solution {sols[0]}")
    return Proof(False, "sympy.solve", None, f"solutions found: {sols}")


def _prove_solve_matrix(d1: sp.Basic, sol: sp.Basic, var: MatrixSymbol, ctx: Context) -> Proof:
    const = d1.subs(var, ZeroMatrix(*var.shape)).doit()
    coeff = None
    for fact in ctx.invertibles:
        if prove_zero(d1 - const - fact.matrix * var).proved:
            coeff = fact
            break
    if coeff is None:
        return Proof(False, "solve (matrix)", None,
                     f"the equation is not (declared invertible matrix)·{var} + constant")
    at_sol = prove_zero(d1.subs(var, sol))
    if at_sol.proved:
        return Proof(True, f"affine in {var} with invertible coefficient ({coeff.because}); "
                           f"the solution satisfies it ({at_sol.method})")
    return Proof(False, "solve (matrix)", at_sol.residual, "the proposed solution does not satisfy the equation")


def prove_equation_step(
    before: sp.Eq, after: sp.Eq, relation: str, ctx: Context, numeric_ratio: Callable[[], sp.Basic | None]
) -> Proof:
    """Prove ``before ⇒ after`` (or ⇔) by writing ``after``'s difference as a multiple of ``before``'s."""
    d1, d2 = difference(before), difference(after)
    if is_matrix(d1) or is_matrix(d2):
        ratio = numeric_ratio()
        if ratio is None:
            return Proof(False, "multiple", None, "could not guess a constant factor between the two equations")
        check = prove_zero(d2 - ratio * d1)
        if check.proved and ratio != 0:
            return Proof(True, f"lhs - rhs is {ratio} times the previous ({check.method})")
        return Proof(False, "multiple", check.residual, "the two equations are not constant multiples")
    if prove_zero(d1, heavy=False).proved:
        ok = prove_zero(d2).proved
        return Proof(ok, "both identities", None, "" if ok else "the premise holds identically but the conclusion does not")
    r = sp.cancel(sp.together(d2 / d1))
    num, den = sp.fraction(r)
    if not _nonzero(den, ctx):
        return Proof(False, "ratio", None, f"the factor {r} may be undefined where the premise holds")
    if relation == "⇔" and not _nonzero(num, ctx):
        return Proof(False, "ratio", None, f"the factor {r} may vanish, so the converse is not shown")
    return Proof(True, f"lhs - rhs is ({r}) times the previous lhs - rhs")


def prove_sign(d: sp.Basic, strict: bool, given: Sequence[sp.Basic], ctx: Context) -> Proof:
    """Prove ``d > 0`` (``>= 0`` if not strict) from assumptions and hypotheses ``h > 0``."""

    def positive(e: sp.Basic) -> bool:
        e = ctx.with_facts(e)
        for form in (e, sp.cancel(e), sp.factor(e)):
            if (form.is_positive if strict else form.is_nonnegative):
                return True
        return False

    if positive(d):
        return Proof(True, "sign from the declared assumptions")
    for h in given:
        hd = _positive_part(h)
        if hd is None:
            continue
        r = sp.cancel(d / hd)
        if positive(r):
            return Proof(True, f"equals ({sp.factor(r)}) times the hypothesis {h}, a positive factor")
    return Proof(False, "sign", sp.cancel(d), "could not establish the sign from assumptions and hypotheses")


def _positive_part(h: sp.Basic) -> sp.Basic | None:
    if isinstance(h, sp.StrictGreaterThan):
        return h.lhs - h.rhs
    if isinstance(h, sp.StrictLessThan):
        return h.rhs - h.lhs
    return None
