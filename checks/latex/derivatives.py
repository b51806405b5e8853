"""Notation entries for sums, products and derivatives.

- ``\\sum_{i=1}^{N}``, ``\\sum_j`` (bounds from the declared index), ``\\sum_{i,j}``, ``\\sum_{i \\neq j}``,
  ``\\sum_{k=1}^{t}`` over a bound variable that is not declared; ``\\prod`` alike. The body runs to the
  next ``+``/``-``/relation at its level.
- ``\\frac{d}{dz} f``, ``\\frac{\\mathrm{d}}{\\mathrm{d}z}``, ``\\frac{\\partial f}{\\partial z}``,
  ``\\frac{\\partial^2 f}{\\partial z^2}``, ``\\nabla_x f``, ``\\nabla^2_x f``: SymPy's derivative. In a
  scalar it is exact; in a vector or matrix it is used only after finite differences agree with it.
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from derivcheck_steps.latex.families import collapse_deltas, entry_gradient, entry_hessian, matrix_sum, uses_entries
from derivcheck_steps.latex.formulas import SUM, Parser, bound_range_key
from derivcheck_steps.latex.names import join, latex_key
from derivcheck_steps.latex.notation import prefix, scalar
from derivcheck_steps.latex.tokens import Tok

# -- sums and products ----------------------------------------------------------------------------


def _split(toks: list[Tok], sep: str) -> list[list[Tok]]:
    parts, cur, depth = [], [], 0
    for t in toks:
        depth += {"{": 1, "(": 1, "}": -1, ")": -1}.get(t.text, 0)
        if t.text == sep and depth == 0:
            parts.append(cur)
            cur = []
        else:
            cur.append(t)
    parts.append(cur)
    return parts


@prefix(r"\sum", r"\prod", doc="\\sum_{i=1}^{N} \\sum_j \\sum_{i,j} \\sum_{i \\neq j} \\prod_{k=1}^{n}; "
        "a sum over an undeclared letter needs both bounds")
def _big_operator(p: Parser, tok: Tok) -> sp.Basic:
    sub = sup = None
    while p.at("_", "^"):
        mark = p.next()
        if mark.text == "_" and sub is None:
            sub = p.raw_argument()
        elif mark.text == "^" and sup is None:
            sup = p.raw_argument()
        else:
            raise p.fail(f"a second '{mark.text}' on {tok.text}", mark)
    if not sub:
        raise p.fail(f"{tok.text} needs its index: {tok.text}_{{j=1}}^{{n}} or {tok.text}_j", tok)
    ranges: list[tuple[sp.Symbol, sp.Basic, sp.Basic]] = []
    distinct = False
    pieces = _split(sub, "=")
    if len(pieces) == 2:
        ranges.append(_range(p, pieces[0], p.sub(pieces[1]), sup, tok))
    else:
        neq = _split(sub, r"\neq")
        names = neq if len(neq) == 2 else _split(sub, ",")
        distinct = len(neq) == 2
        if sup is not None and len(names) > 1:
            raise p.fail(f"an upper bound on {tok.text} over several indices", tok)
        ranges = [_range(p, n, None, sup, tok) for n in names]
    saved = dict(p.local)
    p.local.update({latex_key(r[0].name): r[0] for r in ranges})
    p.local.update({bound_range_key(r[0]): sp.Tuple(r[1], r[2]) for r in ranges})  # z_k of a vector z: k's range
    try:
        body = p.expression(SUM)
    finally:
        p.local = saved
    if isinstance(body, sp.MatrixExpr) and body.shape != (1, 1):
        if tok.text != r"\sum":
            raise p.fail("a product of matrices over an index is not supported: write it out", tok)
        if distinct:
            body = body * (1 - sp.KroneckerDelta(ranges[0][0], ranges[1][0]))
        return matrix_sum(body, ranges)  # Σ_i s_i x_i x_i^T: the matrix of entrywise sums
    body = scalar(p, body, tok)
    if distinct:
        body = body * (1 - sp.KroneckerDelta(ranges[0][0], ranges[1][0]))
    kind = sp.Sum if tok.text == r"\sum" else sp.Product
    for var, lo, hi in reversed(ranges):
        body = kind(body, (var, lo, hi))
        if kind is sp.Product and lo.is_Integer and hi.is_Integer and hi - lo < 1000:
            body = body.doit()  # a product of a few written-out factors: its value
    return body


def _range(p: Parser, name: list[Tok], lo: sp.Basic | None, hi_toks: list[Tok] | None,
           tok: Tok) -> tuple[sp.Symbol, sp.Basic, sp.Basic]:
    text = join(name).strip()
    declared = next((ix for ix in p.n.ctx.indices if ix.name == text), None)
    hi = p.sub(hi_toks) if hi_toks else None
    if declared is None:
        if lo is None or hi is None or not (len(name) == 1 and name[0].text.isalpha()):
            raise p.fail(f"{tok.text}_{text} without bounds needs {text} declared as an index "
                         f"(index {text} N), or write both bounds: {tok.text}_{{{text}=1}}^{{n}}", tok)
        return sp.Symbol(text, integer=True), scalar(p, lo, tok), scalar(p, hi, tok)
    upper = p.n.ctx.indices[declared].upper
    return declared, scalar(p, lo, tok) if lo is not None else sp.Integer(1), hi if hi is not None else upper


# -- derivatives -------------------------------------------------------------------------------------

def _d_mark(toks: list[Tok], k: int) -> int | None:
    """The index after a differential mark (``d``, ``\\mathrm{d}``, ``\\partial``) at ``k``, or None."""
    if k >= len(toks):
        return None
    t = toks[k].text
    if t in ("d", r"\partial"):
        return k + 1
    if t in (r"\mathrm", r"\operatorname", r"\text") and k + 3 < len(toks) + 1 and k + 2 < len(toks) \
            and toks[k + 1].text == "{" and toks[k + 2].text == "d" and k + 3 < len(toks) and toks[k + 3].text == "}":
        return k + 4
    return None


def _order(p: Parser, toks: list[Tok], k: int) -> tuple[int, int]:
    """An order written ``^2`` / ``^{2}`` at ``k``: (order, index after it)."""
    if k < len(toks) and toks[k].text == "^":
        if k + 1 < len(toks) and toks[k + 1].text.isdigit():
            return int(toks[k + 1].text), k + 2
        if k + 3 < len(toks) and toks[k + 1].text == "{" and toks[k + 2].text.isdigit() and toks[k + 3].text == "}":
            return int(toks[k + 2].text), k + 4
    return 1, k


def fraction_derivative(p: Parser, num: list[Tok], den: list[Tok], tok: Tok) -> sp.Basic | None:
    """``\\frac{d^n f}{dz^n}`` and friends as a derivative; None when the fraction is not one."""
    after_num = _d_mark(num, 0)
    after_den = _d_mark(den, 0)
    if after_num is None or after_den is None or after_den >= len(den):
        return None
    if num[0].text == "d" and "d" in p.n.names and len(num) == 1 and len(den) == 1:
        return None
    order, body_start = _order(p, num, after_num)
    variables: list[sp.Basic] = []
    k = after_den
    while k < len(den):
        m = k
        while m < len(den) and _d_mark(den, m) is None:
            m += 1
        var_toks = den[k:m]
        times = 1
        if (len(var_toks) >= 2 and var_toks[-2].text == "^" or (len(var_toks) >= 4 and var_toks[-4].text == "^")) \
                and order > 1:  # dz^2 under d^2: twice in z; under a first derivative, z^2 is the variable
            at = max(i for i, t in enumerate(var_toks) if t.text == "^")
            times, _ = _order(p, var_toks, at)
            var_toks = var_toks[:at]
        var = _variable(p, var_toks, tok)
        variables += [var] * times
        k = _d_mark(den, m) if m < len(den) else m
    if len(variables) != order:
        raise p.fail(f"the order of the derivative ({order}) does not match its variables ({len(variables)})", tok)
    body = p.sub(num[body_start:]) if body_start < len(num) else p.expression(SUM)
    return derivative(p, body, variables, tok)


def _variable(p: Parser, toks: list[Tok], tok: Tok) -> sp.Basic:
    if not toks:
        raise p.fail("a derivative needs its variable: \\frac{d}{dz}", tok)
    var = p.sub(toks)
    if isinstance(var, sp.Pow) and isinstance(var.base, sp.Symbol) and var.base.is_positive and var.exp.is_Integer:
        return var  # \partial \sigma^2: the variance as the variable (σ > 0 declared)
    if isinstance(var, MatrixElement) and var.parent in p.n.ctx.matrices:
        return var  # ∂/∂z_m: an entry of a declared vector or matrix, at a declared index
    if not isinstance(var, sp.Symbol | sp.MatrixSymbol | sp.Indexed):
        raise p.fail("a derivative is taken with respect to a declared name, an entry z_k of a declared vector "
                     "(k a declared index), or a power of a positive name", tok)
    return var


def derivative(p: Parser, body: sp.Basic, variables: list[sp.Basic], tok: Tok) -> sp.Basic:
    """The derivative of ``body`` in ``variables`` (in order): exact for scalars, finite-difference checked for vectors."""
    for var in variables:
        if isinstance(var, sp.MatrixSymbol) and var.shape[1] == 1 and uses_entries(body, var):
            if len(variables) == 2 and variables == [var, var]:
                return entry_hessian(scalar(p, body, tok), var, p.n.ctx)
            body = entry_gradient(scalar(p, body, tok), var, p.n.ctx)
        elif isinstance(var, sp.MatrixSymbol):
            if variables.count(var) > 1 or len(variables) > 1 and isinstance(body, sp.MatrixExpr) \
                    and body.shape != (1, 1):
                return hessian(p, body, var, tok) if variables == [var, var] else _refuse(p, tok)
            body = trusted_gradient(p, body, var, tok)
        elif isinstance(var, sp.Pow):  # d/d(σ^k): write σ = v^(1/k) with v > 0, differentiate in v, put σ^k back
            v = sp.Symbol("_v", positive=True)
            body = sp.diff(scalar(p, body, tok).subs(var.base, v ** (1 / var.exp)), v).subs(v, var)
        elif isinstance(var, MatrixElement):
            body = collapse_deltas(sp.diff(scalar(p, body, tok), var), p.n.ctx)  # ∂/∂z_m: exact, δ collapsed
        elif isinstance(body, sp.MatrixExpr):
            body = body.diff(var)
        else:
            body = sp.diff(body, var)
    return body


def _refuse(p: Parser, tok: Tok) -> sp.Basic:
    raise p.fail("mixed derivatives in matrices are not supported: write them out", tok)


def trusted_gradient(p: Parser, expr: sp.Basic, var: sp.Basic, tok: Tok) -> sp.Basic:
    """SymPy's gradient, used only after finite differences agree with it (as for Python steps)."""
    from derivcheck_steps.numeric import check_gradient
    from derivcheck_steps.sampling import draw_instances
    from derivcheck_steps.symbolic import gradient

    computed = gradient(expr, var)
    outcome = check_gradient(expr, var, computed, draw_instances(p.n.ctx, 1234, 3, 0))
    if outcome.status == "disagree":
        raise p.fail("SymPy's gradient fails the finite-difference check here; write the derivative out", tok)
    return computed


def hessian(p: Parser, expr: sp.Basic, var: sp.MatrixSymbol, tok: Tok) -> sp.Basic:
    """The Hessian of a scalar in a vector: the Jacobian of its (checked) gradient, itself checked row by row."""
    grad = trusted_gradient(p, expr, var, tok)
    hess = grad.diff(var)
    if not isinstance(hess, sp.MatrixExpr) or hess.shape != (var.shape[0], var.shape[0]):
        raise p.fail("this Hessian is not supported: write it out", tok)
    import numpy as np

    from derivcheck_steps.numeric import check_gradient
    from derivcheck_steps.sampling import Instance, draw_instances

    u = sp.MatrixSymbol("_u", var.shape[0], 1)  # a fixed direction: Hᵀu is the gradient of uᵀ∇f
    for inst in draw_instances(p.n.ctx, 4321, 2, 0):
        shape = np.shape(inst.floats[var])
        floats = {**inst.floats, u: np.linspace(0.3, 1.1, int(np.prod(shape))).reshape(shape)}
        outcome = check_gradient(u.T * grad, var, hess.T * u, [Instance(inst.exact, floats, inst.simple)])
        if outcome.status == "disagree":
            raise p.fail("SymPy's Hessian fails the finite-difference check here; write it out", tok)
    return hess


@prefix(r"\nabla", doc="\\nabla_x f (gradient, checked by finite differences), \\nabla^2_x f (Hessian); "
        "the operand runs to the next + or -")
def _nabla(p: Parser, tok: Tok) -> sp.Basic:
    sub = None
    order = 1
    while p.at("_", "^"):
        mark = p.next()
        raw = p.raw_argument()
        if mark.text == "_":
            sub = raw
        elif join(raw) == "2":
            order = 2
        else:
            raise p.fail("\\nabla^2 is the Hessian; other powers are not read", mark)
    if sub is None:
        raise p.fail("\\nabla needs its variable: \\nabla_w", tok)
    var = _variable(p, sub, tok)
    body = p.expression(SUM)
    if isinstance(body, sp.MatrixExpr) and body.shape == (1, 1):
        body = body if isinstance(var, sp.MatrixSymbol) else scalar(p, body, tok)
    return derivative(p, body, [var] * order, tok)


@prefix(r"\partial", doc="\\partial alone: write \\frac{\\partial f}{\\partial x}")
def _partial(p: Parser, tok: Tok) -> sp.Basic:
    if p.at("_"):
        p.next()
        var = _variable(p, p.raw_argument(), tok)
        return derivative(p, p.expression(SUM), [var], tok)
    raise p.fail("a lone \\partial: write \\frac{\\partial f}{\\partial x} or \\partial_x f", tok)
