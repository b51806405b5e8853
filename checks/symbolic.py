"""Symbolic provers: equality to zero, gradients, solving, equivalence of equations, signs.

Each prover returns a ``Proof``: ``proved`` is True only when a symbolic argument holds under
the declared assumptions; otherwise ``reason`` says why not and ``residual`` carries the
simplest form of the difference it reached. Cheap canonical forms are tried before heavy ones.

Rules that keep a proof honest (issue 12):
- sums follow the empty-sum convention (``checks.sums.empty_sum_convention``) before any SymPy
  form can apply Karr's reversed-range rule;
- an identity of rational functions says nothing where a denominator vanishes, so ``=``, ⇒ and ⇔
  steps also need both sides defined at the same points (``checks.domains``): a cancelled factor
  needs its condition from the context, and ``Proof.gaps`` names it;
- a solve step needs the complete solution set (degree-1 polynomial, ``solveset`` over the declared
  domain returning a finite set, or a strictly monotone power), never ``sympy.solve``'s principal one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import sympy as sp
from sympy.matrices.expressions import MatAdd, MatrixExpr, MatrixSymbol, ZeroMatrix

from checks import domains, fastpoly
from checks.context import Context
from checks.sums import empty_sum_convention, expand_sums


@dataclass
class Proof:
    """The outcome of a symbolic attempt."""

    proved: bool
    method: str
    residual: sp.Basic | None = None
    reason: str = ""
    # conditions (x − 1 ≠ 0) the step needs and the context does not give: numeric agreement at
    # sampled points, which miss such sets, is then no evidence
    gaps: tuple[str, ...] = ()


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


def _forms(e: sp.Basic, heavy: bool) -> Iterator[tuple[str, Callable[[], sp.Basic]]]:
    """The canonical forms to try, cheap first, each as (method, how to compute it)."""
    if is_matrix(e):
        yield "doit", e.doit
        yield "expand", lambda: sp.expand(e.doit())
        yield "expand, 1x1 terms identified with their transposes", lambda: _scalar_terms_symmetric(sp.expand(e.doit()))
        return
    yield "expand", lambda: sp.expand(e)
    if e.has(sp.Sum, sp.sign):
        yield "expand sums", lambda: expand_sums(e)
    done = e.doit() if e.has(sp.Derivative) else e
    yield "cancel", lambda: sp.cancel(sp.together(sp.expand(done)))
    if heavy:
        yield "simplify", lambda: sp.simplify(done)
        if any(not p.exp.is_Integer for p in done.atoms(sp.Pow)):
            # x^(a+b) = x^a x^b and (xy)^a = x^a y^a: SymPy applies these only where the
            # assumptions allow (positive bases), so the form stays an identity
            yield "powers denested, then simplify", lambda: sp.simplify(sp.powdenest(sp.expand_power_base(done)))


def canonical_forms(e: sp.Basic, heavy: bool = True) -> Iterator[tuple[str, sp.Basic]]:
    """Successively heavier normal forms of ``e``, cheap first: (method, form).

    A form that SymPy itself fails to compute (e.g. ``simplify`` of some nested sums raises
    StopIteration inside SymPy) is skipped: not finding a proof is never unsound.
    """
    for method, compute in _forms(e, heavy):
        try:
            form = compute()
        except (RecursionError, RuntimeError, StopIteration, TypeError, ValueError, AttributeError,
                NotImplementedError, IndexError, KeyError):
            continue
        yield method, form


def _entrywise(e: sp.MatrixExpr) -> sp.Basic:
    """The (r, c) entry of ``e`` for symbolic 0 <= r, c < the shape: zero for all r, c iff ``e`` is zero."""
    r, c = sp.Symbol("_r", integer=True, nonnegative=True), sp.Symbol("_c", integer=True, nonnegative=True)
    entry = e[r, c]  # each summand in one canonical rational form, as the "cancel" form does for the whole
    return entry.replace(lambda x: isinstance(x, sp.Sum),
                         lambda x: sp.Sum(sp.cancel(sp.together(x.function)), *x.limits))


def prove_zero(e: sp.Basic, *, heavy: bool = True) -> Proof:
    """Prove ``e == 0`` by canonical forms; on failure the residual is the simplest form seen.

    ``heavy=False`` stops before ``simplify``, for a quick look whose failure costs nothing.
    """
    if is_matrix(e) and e.has(sp.FunctionMatrix):  # a matrix given by its entries: prove its (r, c) entry
        return prove_zero(_entrywise(e), heavy=heavy)
    fast = fastpoly.decide(e)  # exact polynomial arithmetic; None when out of scope or python-flint is missing
    if fast is not None:  # a nonzero rational function: no canonical form can reach zero, skip them all
        return Proof(True, fastpoly.METHOD) if fast[0] else Proof(
            False, fastpoly.METHOD, fast[1], f"the difference is a nonzero rational function ({fastpoly.METHOD})")
    unsure: list[str] = []
    if not is_matrix(e) and e.has(sp.Sum):
        e, unsure = empty_sum_convention(e)
    best = None
    for method, form in canonical_forms(e, heavy):
        if _is_zero(form):
            return Proof(True, method)
        if best is None or sp.count_ops(form) < sp.count_ops(best):
            best = form
        if unsure:  # past plain expansion, SymPy would evaluate a possibly reversed sum by Karr's rule
            return Proof(False, "canonical forms", best,
                         f"not proved: {'; '.join(unsure)} — an empty sum is 0 here, and SymPy reads a "
                         "reversed range otherwise")
    return Proof(False, "canonical forms", best, "no canonical form of the difference is zero")


def same_domain(proof: Proof, before: sp.Basic, after: sp.Basic, ctx: Context) -> Proof:
    """A proof of ``before − after = 0`` (where defined) kept only if both sides are defined at the same points.

    ``(x² − 1)/(x − 1) = x + 1`` cancels a factor: the left side is undefined at x = 1, the right
    is 2. Such a step is PROVED only when the context gives the condition (x − 1 ≠ 0).
    """
    if not proof.proved or is_matrix(before) or is_matrix(after):
        return proof
    c1, c2 = domains.conditions(before), domains.conditions(after)
    needs = sorted({str(c) for c in c1 ^ c2 if not domains.holds_by_context(c, ctx)
                    and not (c.kind == "nonzero" and domains.Condition("nonzero", -c.expr) in (c1 & c2))})
    if needs:
        return Proof(False, "canonical forms", sp.Integer(0),
                     f"equal where both sides are defined ({proof.method}), but one side is undefined where "
                     f"the other is not: the step needs {', '.join(needs)} (declare it with ctx.assume)",
                     tuple(needs))
    return proof


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
    return domains.holds_by_context(domains.Condition("nonzero", e), ctx)


def _domain_gaps(before: sp.Eq, after: sp.Eq, relation: str, ctx: Context, r: sp.Expr | None = None) -> list[str]:
    """Where a rational identity between the two equations says nothing (see checks.domains)."""
    d1, d2 = difference(before), difference(after)
    c1, c2 = domains.conditions(d1), domains.conditions(d2)
    num, den = sp.fraction(r) if r is not None else (sp.Integer(1), sp.Integer(1))
    out = domains.gaps(d1, d2, c2, c1, [den], ctx)
    if relation == "⇔":
        out += [g for g in domains.gaps(d2, d1, c1, c2, [num], ctx) if g not in out]
    return out


def _gap_reason(gaps: list[str]) -> str:
    return ("the equations are not defined at the same points, or a factor was cancelled: the step needs "
            f"{', '.join(gaps)} (declare it with ctx.assume, or keep the factor)")


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
            return Proof(False, "solve", None, f"the new equation is not of the form {var} = ...")
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
        return Proof(False, "solve (linear)", None, f"cannot show the coefficient {a} of {var} is nonzero")
    check = prove_zero(sol - (-b / a))
    if check.proved:
        return Proof(True, f"linear in {var} with nonzero coefficient {sp.factor(a)}; unique solution")
    return Proof(False, "solve (linear)", sp.factor(sol + b / a), f"the unique solution is {sp.factor(-b / a)}")


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
        return Proof(False, "solveset", None,
                     f"the solution set over {domain} is not known to be a finite set: {found}")
    needs = sorted(str(c) for c in domains.conditions(written) if not domains.holds_by_context(c, ctx))
    if needs:
        return Proof(False, "solveset", None, f"the solution {written} is defined only where {', '.join(needs)}")
    if len(found) == 1 and prove_zero(next(iter(found)) - sol).proved:
        return Proof(True, f"solveset over {domain}: the complete solution set is {{{written}}}")
    return Proof(False, "solveset", None, f"the complete solution set over {domain} is {found}")


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
    return Proof(True, f"{var} > 0 and {var}^({exp}) is strictly monotone there: the positive solution "
                       f"{sol} ({at_sol.method}) is the only one")


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
    """Prove ``before ⇒ after`` (or ⇔) by writing ``after``'s difference as a multiple of ``before``'s.

    The multiple ``r`` is a rational function: the identity covers only the points where both
    equations and ``r`` are defined (and, for ⇔, ``r ≠ 0``). Every other point must be covered by the
    context or shown harmless (``checks.domains``), else the step is not proved.
    """
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
    if r == 0 or r.has(sp.nan, sp.zoo):
        return Proof(False, "ratio", None, "the new equation is not a multiple of the previous one")
    gaps = _domain_gaps(before, after, relation, ctx, r)
    if gaps:
        return Proof(False, "ratio", None, f"lhs − rhs is ({r}) times the previous lhs − rhs, but "
                                           + _gap_reason(gaps), tuple(gaps))
    return Proof(True, f"lhs - rhs is ({r}) times the previous lhs - rhs, where both equations are defined")


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
