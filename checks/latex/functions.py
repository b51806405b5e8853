"""Notation entries for functions: elementary functions (``\\exp``, ``\\log_2``, ``\\sin^2 x``), ``\\max``/``\\min``
and the optimum ``\\max_x f``, ``\\det``, and the operator words ``\\operatorname{tr}``, ``diag``, ``sign``,
``softmax``. Registered in :mod:`derivcheck_steps.latex.notation`'s table (through :mod:`derivcheck_steps.latex.calculus`).
"""

from __future__ import annotations

import sympy as sp

from derivcheck_steps.latex import matrix_literals as literals
from derivcheck_steps.latex.constructs import arguments
from derivcheck_steps.latex.formulas import PRODUCT, SUM, Parser
from derivcheck_steps.latex.names import join
from derivcheck_steps.latex.notation import power, prefix, scalar
from derivcheck_steps.latex.tokens import Tok

# -- elementary functions -------------------------------------------------------------------------

ELEMENTARY = {
    r"\exp": sp.exp, r"\ln": sp.log, r"\log": sp.log, r"\sin": sp.sin, r"\cos": sp.cos, r"\tan": sp.tan,
    r"\tanh": sp.tanh, r"\sinh": sp.sinh, r"\cosh": sp.cosh, r"\arctan": sp.atan, r"\arcsin": sp.asin,
    r"\arccos": sp.acos, r"\cot": sp.cot, r"\sec": sp.sec, r"\csc": sp.csc, r"\sign": sp.sign,
}


def function_argument(p: Parser, tok: Tok) -> list[sp.Basic]:
    """A function's arguments: ``(a, b)`` in brackets, or one factor without them (``\\log x``)."""
    if p.at("(", "[", r"\{"):
        opener = p.next()
        return arguments(p, opener, {"(": ")", "[": "]", r"\{": r"\}"}[opener.text])
    if p.at("{"):
        return [p.argument()]
    return [p.expression(PRODUCT)]


@prefix(*ELEMENTARY, doc="\\exp \\log \\ln \\log_2 \\sin \\cos \\tan \\tanh … with or without parentheses; "
        "\\sin^2 x; \\log is the natural logarithm")
def _elementary(p: Parser, tok: Tok) -> sp.Basic:
    base = exponent = None
    while p.at("_", "^"):
        mark = p.next()
        if mark.text == "_" and tok.text == r"\log" and base is None:
            base = scalar(p, p.argument(), mark)
        elif mark.text == "^" and exponent is None:
            exponent = (mark, p.argument())
        else:
            raise p.fail(f"unexpected '{mark.text}' after {tok.text}", mark)
    args = function_argument(p, tok)
    if len(args) != 1:
        raise p.fail(f"{tok.text} takes one argument", tok)
    arg = scalar(p, args[0], tok)
    value = sp.log(arg, base) if base is not None else ELEMENTARY[tok.text](arg)
    if exponent is not None:
        if exponent[1] == -1:
            raise p.fail(f"{tok.text}^{{-1}} is ambiguous: write the inverse function or 1/{tok.text}", exponent[0])
        value = power(p, value, exponent[1], exponent[0])
    return value


@prefix(r"\max", r"\min", doc="\\max(a, b) \\min(a, b) (ReLU \\max(0, z)); \\max_x f / \\min_w f: the optimum "
        "over a declared scalar, computed when f is a rational function of it, otherwise a located error")
def _extremum(p: Parser, tok: Tok) -> sp.Basic:
    if p.at("_"):
        return _optimum(p, tok)
    args = [scalar(p, a, tok) for a in function_argument(p, tok)]
    sign = 1 if tok.text == r"\max" else -1
    value = args[0]
    for other in args[1:]:  # max(a, b) = (a + b + |a - b|)/2 for reals: a form every checker evaluates
        value = (value + other + sign * sp.Abs(value - other)) / 2
    return value


def _optimum(p: Parser, tok: Tok) -> sp.Basic:
    from sympy.calculus.util import maximum, minimum

    mark = p.next()
    raw = p.raw_argument()
    var = p.local.get(join(raw)) or p.n.names.get(join(raw))
    what = f"optimisation over {join(raw)}"
    if not isinstance(var, sp.Symbol) or var not in p.n.ctx.scalars:
        raise p.fail(f"{what} is not supported (only over one declared scalar): write the optimum out", mark)
    body = p.expression(SUM)
    if isinstance(body, sp.MatrixExpr) or not body.is_rational_function(var) or body.free_symbols - {var}:
        raise p.fail(f"{what} is not supported for this expression: write the optimum out", mark)
    decl = p.n.ctx.scalars[var]
    low = sp.Rational(decl.low) if decl.low is not None else -sp.oo
    high = sp.Rational(decl.high) if decl.high is not None else sp.oo
    domain = sp.Interval(low, high, left_open=True, right_open=True)
    value = (maximum if tok.text == r"\max" else minimum)(body, var, domain)
    if value is None or value.has(sp.oo, -sp.oo, sp.zoo, sp.nan) or value.free_symbols:
        raise p.fail(f"{what}: the optimum is not attained on the declared domain", mark)
    return value


@prefix(r"\det", doc="\\det A, \\det(A)")
def _det(p: Parser, tok: Tok) -> sp.Basic:
    args = function_argument(p, tok)
    if literals.is_explicit(args[0]):
        return literals.determinant(p, args[0], tok)
    return sp.Determinant(_square(p, args[0], tok))


def _square(p: Parser, m: sp.Basic, tok: Tok) -> sp.MatrixExpr:
    if not isinstance(m, sp.MatrixExpr) or m.shape[0] != m.shape[1]:
        raise p.fail(f"{tok.text} needs a square matrix", tok)
    return m


def _trace(p: Parser, tok: Tok) -> sp.Basic:
    m = function_argument(p, tok)[0]
    if literals.is_explicit(m):
        return literals.trace(p, m, tok)
    return sp.Trace(_square(p, m, tok))


def _diag(p: Parser, tok: Tok) -> sp.Basic:
    from sympy.matrices.expressions.diagonal import DiagMatrix

    v = function_argument(p, tok)[0]
    if not isinstance(v, sp.MatrixExpr) or v.shape[1] != 1:
        raise p.fail("\\operatorname{diag} of a vector is read (diag(v) is the diagonal matrix)", tok)
    return DiagMatrix(v)


def _sign(p: Parser, tok: Tok) -> sp.Basic:
    return sp.sign(scalar(p, function_argument(p, tok)[0], tok))


def _softmax(p: Parser, tok: Tok) -> sp.Basic:
    """``\\operatorname{softmax}(z)_k`` for a vector ``z`` or data ``z`` over one index: e^{z_k} / Σ_j e^{z_j}."""
    p.expect("(")
    name = p.next("the vector softmax applies to")
    base = p.n.names.get(name.text)
    p.expect(")")
    if isinstance(base, sp.MatrixSymbol) and base.shape[1] == 1 and p.at("_"):
        p.next()
        raw = p.raw_argument()
        from derivcheck_steps.latex.name_lookup import _undeclared_letter, entry_hint  # (it imports this module)

        if _undeclared_letter(p, raw):
            raise p.fail(entry_hint(p, base, f"\\operatorname{{softmax}}({name.text})", [raw[0].text]), raw[0])
        k = p.sub(raw)
        # the normaliser's index: a declared index over the same size (as the document's own Σ_j), else a fresh one
        j = next((ix for ix, decl in p.n.ctx.indices.items() if decl.upper == base.shape[0]
                  and ix not in k.free_symbols and not ix.name.startswith("_")),
                 sp.Symbol("_j", integer=True, positive=True))
        return sp.exp(base[k - 1, 0]) / sp.Sum(sp.exp(base[j - 1, 0]), (j, 1, base.shape[0]))
    if not isinstance(base, sp.IndexedBase) or not p.at("_"):
        raise p.fail("softmax is read as \\operatorname{softmax}(z)_k with z a declared vector (vector z K)", tok)
    p.next()
    k = p.sub(p.raw_argument())
    ix = p.n.ctx.data[base].indices[0] if base in p.n.ctx.data else None
    if ix is None:
        raise p.fail("softmax: declare z as data over one index (data z k)", tok)
    j = sp.Symbol(f"_{ix.name}", integer=True, positive=True)
    return sp.exp(base[k]) / sp.Sum(sp.exp(base[j]), (j, 1, p.n.ctx.indices[ix].upper))


from derivcheck_steps.latex.constructs import OPERATORS  # noqa: E402
from derivcheck_steps.latex.notation import ENTRIES, Entry  # noqa: E402

OPERATORS.update({"tr": _trace, "Tr": _trace, "trace": _trace, "diag": _diag, "sign": _sign, "sgn": _sign,
                  "softmax": _softmax})
ENTRIES.append(Entry("\\operatorname{tr} \\operatorname{diag} \\operatorname{sign} \\operatorname{softmax}(z)_k",
                     _trace, "trace, diagonal matrix of a vector, sign, softmax entry"))
