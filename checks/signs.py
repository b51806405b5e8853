"""Signs of quadratic forms: a sum of Gram terms c·uᵀu with c ≥ 0 is nonnegative.

For a real vector (or matrix) u, uᵀu = Σ u_i² ≥ 0 (its trace, for a matrix: ‖u‖_F²). A 1×1 claim
such as ``(1/N)‖Xv‖² + λ‖v‖² ≥ λ‖v‖²`` is read as traces; by linearity the difference is a sum of
``c·tr(w)`` over words w of matrix factors plus scalar terms. Each word is a Gram form when it reads
``A₁ ⋯ A_m A_mᵀ ⋯ A₁ᵀ``, that is uᵀu with u = A_mᵀ ⋯ A₁ᵀ (vᵀXᵀXv = (Xv)ᵀ(Xv)). If every
coefficient of a Gram word is ≥ 0 by the declarations and every other term is a scalar that SymPy's
assumptions show ≥ 0, the difference is ≥ 0; it is > 0 when a scalar term is > 0.
"""

from __future__ import annotations

from collections import defaultdict

import sympy as sp
from sympy.matrices.expressions import MatAdd, MatMul, Trace

from derivcheck_steps.context import Context


def _words(m: sp.Basic) -> list[tuple[sp.Expr, tuple]] | None:
    """A matrix expression as (scalar coefficient, word of matrix factors) terms, after expanding."""
    m = sp.expand(m.doit()).doit()
    out = []
    for t in m.args if isinstance(m, MatAdd) else (m,):
        if not hasattr(t, "as_coeff_mmul"):
            return None
        coeff, mm = t.as_coeff_mmul()
        factors = list(mm.args) if isinstance(mm, MatMul) else [mm]
        scalars = [f for f in factors if not getattr(f, "is_Matrix", False)]
        out.append((coeff * sp.Mul(*scalars), tuple(f for f in factors if getattr(f, "is_Matrix", False))))
    return out


def _terms(d: sp.Basic) -> dict[tuple, sp.Expr] | None:
    """``d`` as {word: coefficient}, the empty word for the scalar part; None when not of that shape."""
    acc: dict[tuple, sp.Expr] = defaultdict(lambda: sp.Integer(0))
    if getattr(d, "is_Matrix", False):
        d = Trace(d) if d.shape == (1, 1) else None
        if d is None:
            return None
    for term in sp.Add.make_args(sp.expand(d)):
        traces = [f for f in sp.Mul.make_args(term) if isinstance(f, Trace)]
        if not traces:
            if term.has(Trace) or any(getattr(a, "is_Matrix", False) for a in sp.preorder_traversal(term)):
                return None
            acc[()] += term
            continue
        if len(traces) != 1:
            return None
        coeff = sp.Mul(*[f for f in sp.Mul.make_args(term) if f is not traces[0]])
        words = _words(traces[0].arg)
        if words is None:
            return None
        for c, w in words:
            acc[w] += coeff * c
    return {w: sp.expand(c) for w, c in acc.items() if sp.expand(c) != 0}


def is_gram(word: tuple) -> bool:
    """Whether the word is A₁ ⋯ A_m A_mᵀ ⋯ A₁ᵀ, i.e. uᵀu for u = A_mᵀ ⋯ A₁ᵀ."""
    m, odd = divmod(len(word), 2)
    if odd or m == 0:
        return False
    return all(sp.Transpose(word[i]).doit() == word[len(word) - 1 - i] for i in range(m))


def gram_sign(d: sp.Basic, strict: bool, ctx: Context) -> str | None:
    """A proof text that ``d ≥ 0`` (``> 0`` if ``strict``) as a sum of Gram terms, or None."""
    terms = _terms(d)
    if terms is None or not any(terms):
        return None
    grams = []
    for w, c in terms.items():
        if w and not (is_gram(w) and ctx.with_facts(c).is_nonnegative):
            return None
        if w:
            grams.append(w)
    scalar = ctx.with_facts(terms.get((), sp.Integer(0)))
    if not (scalar.is_positive if strict else scalar.is_nonnegative):
        return None
    shown = ", ".join(str(MatMul(*w)) for w in grams)
    return f"a sum of Gram terms c·uᵀu = c·‖u‖² with c ≥ 0 ({shown})" + (" and a positive scalar" if strict else "")


_SMOOTH = (sp.exp, sp.log, sp.sin, sp.cos, sp.tanh, sp.atan)


def _nonneg(e: sp.Basic, strict: bool, ctx: Context) -> bool:
    e = ctx.with_facts(e)
    forms = [e]
    try:
        forms += [sp.factor(sp.cancel(e))]
    except (sp.polys.polyerrors.PolynomialError, TypeError, ValueError):
        pass
    return any(f.is_positive if strict else f.is_nonnegative for f in forms)


def monotone_sign(d: sp.Basic, strict: bool, ctx: Context, depth: int = 3) -> str | None:
    """A proof text that ``d(x) ≥ 0`` (``> 0``) on the declared interval of its one variable, or None.

    Mean value theorem: d is elementary and defined on [a, b) (a the declared lower end, finite,
    d(a) a finite number ≥ 0), and d′ ≥ 0 on (a, b) — proved the same way, down to ``depth``
    derivatives — so d(x) ≥ d(a) ≥ 0; strictly when d(a) > 0 or d′ > 0 (x > a on the open
    interval). Mirrored at a finite upper end b with d′ ≤ 0. log(1 + x) ≤ x on (0, 2): d(0) = 0,
    d′ = x/(1 + x) ≥ 0.
    """
    syms = list(d.free_symbols)
    if len(syms) != 1 or syms[0] not in ctx.scalars or depth == 0:
        return None
    x = syms[0]
    if any(not isinstance(f, _SMOOTH) for f in d.atoms(sp.Function)) or d.has(sp.Abs, sp.Piecewise, sp.Sum):
        return None
    from derivcheck_steps import domains

    if not all(domains.holds_by_context(c, ctx) for c in domains.conditions(d)):
        return None  # d may be undefined inside the interval
    decl = ctx.scalars[x]
    for end, sign in ((decl.low, 1), (decl.high, -1)):
        if end is None:
            continue
        a = sp.Rational(end.numerator, end.denominator)
        at = sp.simplify(d.xreplace({x: a}))
        if not at.is_finite or not at.is_real or at.is_negative is not False:
            continue  # undefined at the end, or not known ≥ 0 there
        slope = sp.diff(d, x) * sign
        strict_slope = strict and not at.is_positive
        how = ("sign from the declared assumptions" if _nonneg(slope, strict_slope, ctx)
               else monotone_sign(slope, strict_slope, ctx, depth - 1))
        if how is not None:
            side = "lower" if sign == 1 else "upper"
            return (f"{d} is {at} at the {side} end {x} = {a} and {'increases' if sign == 1 else 'decreases'} "
                    f"away from it (its derivative {sp.factor(slope * sign)}: {how}), by the mean value theorem")
    return None


def _square_roots_removed(e: sp.Basic) -> sp.Basic:
    """``e`` with every positive symbol s under a square root written t² (t > 0): a bijection of (0, ∞)."""
    swap = {}
    for p in e.atoms(sp.Pow):
        s, ex = p.base, p.exp
        if isinstance(s, sp.Symbol) and s.is_positive and ex.is_Rational and ex.q == 2 and s not in swap:
            swap[s] = sp.Dummy(f"sqrt_{s}", positive=True) ** 2
    return sp.powsimp(sp.powdenest(e.xreplace(swap), force=False)) if swap else e


def substituted_sign(d: sp.Basic, strict: bool, ctx: Context) -> str | None:
    """A proof text for ``d ≥ 0`` (``> 0``) after a change of variables, or None.

    - logarithms: d = P − N with P the terms of positive coefficient; exp is increasing, so for real
      P, N (every logarithm of a positive argument) d ≥ 0 ⇔ e^P − e^N ≥ 0, where e^{log u} = u;
    - square roots: a positive s under √ is written t² with t > 0, so √s = t and sums of squares
      appear: (a + b)/2 − √(ab) = (t − u)²/2 ≥ 0.
    """
    from derivcheck_steps import domains

    target, how = d, []
    if d.has(sp.log):
        if not all(domains.holds_by_context(domains.Condition("positive", g.args[0]), ctx) for g in d.atoms(sp.log)):
            return None
        terms = sp.Add.make_args(sp.expand(d))
        pos = sp.Add(*[t for t in terms if t.as_coeff_Mul()[0] > 0])
        neg = -sp.Add(*[t for t in terms if not t.as_coeff_Mul()[0] > 0])
        target = sp.expand(sp.exp(pos)) - sp.expand(sp.exp(neg))
        how.append("exp is increasing (both sides real)")
    elif d.has(sp.exp):
        powered = exponentials_as_powers(d, ctx)
        if powered is not None:
            target = powered
            how.append("e^(x/L) written t > 0 for each real x found only in exponents")
    swapped = _square_roots_removed(ctx.with_facts(target))
    if swapped != ctx.with_facts(target):
        how.append("a positive s under √ written t²")
    if not how or target.has(sp.log):
        return None
    try:
        forms = [swapped, sp.factor(sp.cancel(swapped))]
    except (sp.polys.polyerrors.PolynomialError, TypeError, ValueError):
        forms = [swapped]
    if any(f.is_positive if strict else f.is_nonnegative for f in forms):
        return f"sign after a change of variables ({'; '.join(how)}): {sp.factor(swapped)}"
    return None


def exponentials_as_powers(e: sp.Basic, ctx: Context) -> sp.Basic | None:
    """``e`` with e^x written t^L (t = e^(x/L) > 0, a bijection of the reals onto (0, ∞)) for each real
    scalar x found only in the exponents of exponentials linear in the scalars, L the least common
    denominator of x's coefficients: (eᵃ + eᵇ)/2 − e^((a+b)/2) = (u² + v²)/2 − uv; None if none is."""
    exps = e.atoms(sp.exp)
    names = set().union(*(g.free_symbols for g in exps)) if exps else set()
    outside = e.xreplace({g: sp.Dummy() for g in exps}).free_symbols
    names = {x for x in names if x in ctx.scalars and x.is_real and x not in outside}
    if not names:
        return None
    denominators: dict[sp.Symbol, int] = {x: 1 for x in names}
    for g in exps:
        arg = sp.expand(g.args[0])
        if not arg.is_polynomial(*names) or sp.Poly(arg, *names).total_degree() > 1:
            return None
        for x in names:
            c = arg.coeff(x)
            if not c.is_Rational:
                return None
            denominators[x] = int(sp.ilcm(denominators[x], c.q))
    t = {x: sp.Dummy(f"e_{x}", positive=True) for x in names}

    def powered(g: sp.exp) -> sp.Basic:
        arg = sp.expand(g.args[0])
        rest = arg - sum(arg.coeff(x) * x for x in names)
        return sp.exp(rest) * sp.Mul(*[t[x] ** (arg.coeff(x) * denominators[x]) for x in names])

    return sp.expand(e.xreplace({g: powered(g) for g in exps}))
