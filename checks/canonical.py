"""Canonical forms and ``prove_zero``: is a difference identically zero?

Cheap forms are tried before heavy ones (``fastpoly`` exact polynomial arithmetic, ``expand``,
sums in normal form, ``cancel``, binomial sums in closed form (``derivcheck_steps.binomial_sums``),
powers of positive bases with their exponents added (``derivcheck_steps.power_products``),
``simplify``). Last, sums are compared flattened, with index-free factors pulled out and dummies
renamed canonically (``derivcheck_steps.sum_canonical``); a matrix identity that no form settles is
compared that way entry by entry (a 1×1 product such as wᵀx is then a scalar: x(wᵀx) = xxᵀw).

With a ``Context``, three rules that need the declarations join them, each a symbolic argument stated in the proof's method:

- a declared symmetric matrix M (``assume M = M^T``) has Mᵀ = M, in every form (SymPy's gradients
  and transposed 1×1 terms bring Mᵀ back);
- geometric sums with a symbolic number of terms are summed in closed form (``derivcheck_steps.geometric``),
  with r ≠ 1 from the context or checked where it fails, else a gap of the proof;
- matrix identities with inverses are proved by clearing the inverses (``derivcheck_steps.noncommutative``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import sympy as sp
from sympy.matrices.expressions import Inverse, MatAdd, MatrixExpr, Trace, ZeroMatrix

from derivcheck_steps import binomial_sums, fastpoly, geometric, logs, noncommutative, power_products, sum_canonical
from derivcheck_steps.context import Context
from derivcheck_steps.sums import empty_sum_convention, expand_sums
from derivcheck_steps.traces import cyclic_traces


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


def symmetric_replaced(e: sp.Basic, ctx: Context | None) -> sp.Basic:
    """``e`` with Mᵀ replaced by M for every matrix the context declares symmetric."""
    if ctx is None or not ctx.symmetric or not getattr(e, "has", None) or not e.has(sp.Transpose):
        return e
    return e.xreplace({sp.Transpose(m): m for m in ctx.symmetric})


def _scalar_terms_symmetric(e: sp.Basic, ctx: Context | None = None) -> sp.Basic:
    """Identify each 1x1 term of a matrix sum with its transpose (a scalar equals its transpose)."""
    if not isinstance(e, MatAdd):
        return e
    terms = []
    for term in e.args:
        if term.shape == (1, 1):
            term = min((term, symmetric_replaced(sp.Transpose(term).doit(), ctx)), key=sp.default_sort_key)
        terms.append(term)
    return MatAdd(*terms).doit()


def _then_sums(e: sp.Basic) -> sp.Basic:
    return expand_sums(e) if e.has(sp.Sum) else e


def _real_valued(e: sp.Basic, ctx: Context | None) -> bool:
    """Whether ``e`` is real wherever it is written: every logarithm of a positive argument, every
    fractional power of a nonnegative base, nothing but elementary functions (log x² − 2 log x is
    not: at x < 0 it is −2πi, though its exponential is 1)."""
    if e.has(sp.Sum, sp.Integral, sp.Indexed) or any(getattr(a, "is_Matrix", False) for a in sp.preorder_traversal(e)):
        return False
    facts = ctx.with_facts if ctx is not None else (lambda x: x)
    for f in e.atoms(sp.Function):
        if isinstance(f, sp.log):
            if not facts(f.args[0]).is_positive:
                return False
        elif not isinstance(f, (sp.exp, sp.sin, sp.cos, sp.tanh)):
            return False
    return all(p.exp.is_integer or facts(p.base).is_nonnegative for p in e.atoms(sp.Pow))


def _forms(e: sp.Basic, heavy: bool, ctx: Context | None = None) -> Iterator[tuple[str, Callable[[], sp.Basic]]]:
    """The canonical forms to try, cheap first, each as (method, how to compute it)."""
    if is_matrix(e):
        sym = symmetric_replaced
        yield "doit", lambda: sym(e.doit(), ctx)
        yield "expand", lambda: sym(sp.expand(sym(e.doit(), ctx)), ctx)
        yield (
            "expand, 1x1 terms identified with their transposes",
            lambda: _scalar_terms_symmetric(sym(sp.expand(sym(e.doit(), ctx)), ctx), ctx),
        )
        return
    if e.has(sp.KroneckerDelta):
        e = sum_canonical.deltas_by_difference(e)
    yield "expand", lambda: sp.expand(e)
    if e.has(sp.Sum, sp.sign):
        yield "expand sums", lambda: expand_sums(e)
    if e.has(Trace):
        yield "traces linear, cyclic and transpose-invariant", lambda: cyclic_traces(sp.expand(e))
    done = e.doit() if e.has(sp.Derivative) else e
    yield "cancel", lambda: sp.cancel(sp.together(sp.expand(done)))
    if logs.uses_context(done, ctx):
        yield "logarithms expanded over factors positive by the context", lambda: _logs_expanded(done, ctx)
    if done.has(sp.tanh, sp.sinh, sp.cosh, sp.coth, sp.sech, sp.csch):
        yield "hyperbolic functions written with exp", lambda: sp.cancel(sp.together(sp.expand(done.rewrite(sp.exp))))
    if done.has(sp.log) and _real_valued(done, ctx):
        # e = 0 ⇔ exp(e) = 1 for a real e (exp is one-to-one on the reals), and exp(log u) = u
        # turns sums of logarithms into products: log(eᵃ + eᵇ) − a − log(1 + eᵇ⁻ᵃ) ↦ 1
        yield "exponentiated (exp is one-to-one on the reals)", lambda: sp.cancel(sp.together(sp.expand(sp.exp(done)) - 1))
    then = ""
    closed = binomial_sums.closed_forms(done) if done.has(sp.Sum) and done.has(sp.binomial) else done
    if closed != done:  # the heavy forms then start from the closed form (simplify stalls on binomial sums)
        yield binomial_sums.METHOD, lambda: sp.cancel(sp.together(sp.expand(closed)))
        done, then = closed, f"{binomial_sums.METHOD}, then "
    if any(isinstance(p, sp.Pow) and not p.exp.is_Number for p in sp.preorder_traversal(done)):
        yield power_products.METHOD, lambda: power_products.form(done)  # before simplify: the same, 10× faster
    if heavy:
        yield f"{then}simplify", lambda: sp.simplify(done)
        if any(not p.exp.is_Integer for p in done.atoms(sp.Pow)):
            # x^(a+b) = x^a x^b and (xy)^a = x^a y^a: SymPy applies these only where the
            # assumptions allow (positive bases), so the form stays an identity
            yield f"{then}powers denested, then simplify", lambda: sp.simplify(sp.powdenest(sp.expand_power_base(done)))


def canonical_forms(e: sp.Basic, heavy: bool = True, ctx: Context | None = None) -> Iterator[tuple[str, sp.Basic]]:
    """Successively heavier normal forms of ``e``, cheap first: (method, form).

    A form that SymPy itself fails to compute (e.g. ``simplify`` of some nested sums raises
    StopIteration inside SymPy) is skipped: not finding a proof is never unsound.
    """
    for method, compute in _forms(e, heavy, ctx):
        try:
            form = compute()
        except (
            RecursionError,
            RuntimeError,
            StopIteration,
            TypeError,
            ValueError,
            AttributeError,
            NotImplementedError,
            IndexError,
            KeyError,
        ):
            continue
        yield method, form


def _entry_indices(e: sp.MatrixExpr) -> tuple[sp.Expr, sp.Expr, sum_canonical.Ranges]:
    """Symbolic (r, c) for an entry of ``e`` with their ranges; 0 along a dimension of size 1."""
    out: list[sp.Expr] = []
    ranges: sum_canonical.Ranges = {}
    for name, size in zip(("_r", "_c"), e.shape, strict=True):
        if size == 1:
            out.append(sp.Integer(0))
            continue
        k = sp.Symbol(name, integer=True, nonnegative=True)
        ranges[k] = (sp.Integer(0), size - 1)
        out.append(k)
    return out[0], out[1], ranges


def _entrywise(e: sp.MatrixExpr) -> sp.Basic:
    """The (r, c) entry of ``e`` for symbolic 0 <= r, c < the shape: zero for all r, c iff ``e`` is zero."""
    r, c, _ = _entry_indices(e)
    entry = e[r, c]  # each summand in one canonical rational form, as the "cancel" form does for the whole
    return entry.replace(lambda x: isinstance(x, sp.Sum),
                         lambda x: sp.Sum(sp.cancel(sp.together(x.function)), *x.limits))


def prove_zero(e: sp.Basic, *, heavy: bool = True, ctx: Context | None = None) -> Proof:
    """Prove ``e == 0`` by canonical forms; on failure the residual is the simplest form seen.

    ``heavy=False`` stops before ``simplify``, for a quick look whose failure costs nothing.
    ``ctx`` adds the rules that need the declarations (module docstring).
    """
    if is_matrix(e) and e.has(sp.FunctionMatrix):  # a matrix given by its entries: prove its (r, c) entry
        return prove_zero(_entrywise(e), heavy=heavy, ctx=ctx)
    fast = fastpoly.decide(e)  # exact polynomial arithmetic; None when out of scope or python-flint is missing
    if fast is not None:  # a nonzero rational function: no canonical form can reach zero, skip them all
        return (
            Proof(True, fastpoly.METHOD)
            if fast[0]
            else Proof(False, fastpoly.METHOD, fast[1], f"the difference is a nonzero rational function ({fastpoly.METHOD})")
        )
    unsure: list[str] = []
    if not is_matrix(e) and e.has(sp.Sum):
        e, unsure = empty_sum_convention(e)
    best = None
    for method, form in canonical_forms(e, heavy, ctx):
        if _is_zero(form):
            return Proof(True, method)
        if best is None or sp.count_ops(form) < sp.count_ops(best):
            best = form
        if unsure:  # past plain expansion, SymPy would evaluate a possibly reversed sum by Karr's rule
            return Proof(
                False,
                "canonical forms",
                best,
                f"not proved: {'; '.join(unsure)} — an empty sum is 0 here, and SymPy reads a reversed range otherwise",
            )
    if not unsure and (_entries_cancel(e) if is_matrix(e) else (e.has(sp.Sum, Trace) and sum_canonical.sums_cancel(e))):
        return Proof(True, f"{'entrywise: ' if is_matrix(e) else ''}{SUMS_METHOD}")
    if ctx is not None:
        found = _with_context(e, heavy, ctx)
        if found is not None:
            return found
    return Proof(False, "canonical forms", best, "no canonical form of the difference is zero")


SUMS_METHOD = "sums flattened, index-free factors pulled out, bound indices renamed canonically"


def _entries_cancel(e: sp.Basic) -> bool:
    """Whether the (r, c) entry of a symbolic-shape matrix expression is zero by ``sum_canonical``:
    x (wᵀx) and x xᵀ w have the entries x_r Σ_i w_i x_i and Σ_i x_r x_i w_i (a 1×1 product is a scalar)."""
    if not isinstance(e, MatrixExpr) or e.has(sp.FunctionMatrix, Inverse, sp.MatPow, Trace):
        return False
    try:
        r, c, ranges = _entry_indices(e)
        entry = e[r, c]
        entry, unsure = empty_sum_convention(entry)
        return not unsure and sum_canonical.sums_cancel(entry, ranges)
    except (TypeError, ValueError, AttributeError, NotImplementedError, IndexError, RecursionError):
        return False


def _logs_expanded(e: sp.Basic, ctx: Context | None) -> sp.Basic:
    """Logarithms expanded over positive factors, then the declared constraints applied again: a log of a
    quotient splits into sums the constraint may now match (Σ y_j (z_j − log S) gives (Σ y_j) log S)."""
    out = logs.expand_logs(e, ctx)
    if ctx is not None and ctx.has_matrix_facts() and not out.has(sp.Derivative):
        out = ctx.unfold(out)
    return _then_sums(out)


def prove_in_context(e: sp.Basic, ctx: Context, *, heavy: bool = True) -> Proof | None:
    """Only the rules that need the declarations (module docstring), for a difference that the plain
    canonical forms did not settle: a Proof (proved, or not proved with the gaps it needs), or None."""
    if is_matrix(e) and not (ctx.symmetric and e.has(sp.Transpose)) and not e.has(Inverse):
        return None
    if is_matrix(e) and ctx.symmetric and e.has(sp.Transpose):
        for method, form in list(canonical_forms(e, False, ctx))[:3]:
            if _is_zero(form):
                return Proof(True, f"{method}, with Mᵀ = M for the declared symmetric {', '.join(map(str, ctx.symmetric))}")
    elif logs.uses_context(e, ctx):
        try:
            if _is_zero(sp.cancel(sp.together(_logs_expanded(e, ctx)))):
                return Proof(True, "logarithms expanded over factors positive by the context")
        except (TypeError, ValueError, AttributeError, NotImplementedError, RecursionError):
            pass
    return _with_context(e, heavy, ctx)


def _with_context(e: sp.Basic, heavy: bool, ctx: Context) -> Proof | None:
    """The rules that need the declarations: geometric sums, inverses cleared (module docstring)."""
    if is_matrix(e):
        steps = noncommutative.clear_inverses(e, lambda m: any(_is_zero(f) for _, f in canonical_forms(m, False, ctx)))
        return None if steps is None else Proof(True, noncommutative.reason(steps))
    if not e.has(sp.Sum):
        return None
    closed = geometric.closed_forms(e, ctx)
    if not closed.changed:
        return None
    inner = prove_zero(sp.expand_power_exp(closed.expr), heavy=heavy)
    if not inner.proved:
        return None
    settled, gaps = geometric.settle_ratios(e, closed.ratios, ctx, lambda x: prove_zero(x, heavy=heavy, ctx=ctx).proved)
    if gaps:
        return Proof(
            False,
            geometric.METHOD,
            None,
            f"equal by {geometric.METHOD} ({inner.method}), which holds only where r ≠ 1: the step needs "
            f"{', '.join(gaps)} (declare it with ctx.assume)",
            tuple(gaps),
        )
    return Proof(True, f"{geometric.METHOD} ({'; '.join(settled)}), then {inner.method}")
