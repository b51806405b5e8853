"""Notation entries for fractions, roots, decorations, absolute values and norms, and the words of
``\\operatorname``/``\\mathrm``/``\\mathbb``/``\\text`` (E, Var, Cov, the indicator, declared functions).
Registered in :mod:`derivcheck_steps.latex.notation`'s table.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from derivcheck_steps.latex.formulas import Parser
from derivcheck_steps.latex.names import STYLES, join
from derivcheck_steps.latex.notation import ENTRIES, Entry, prefix, relation, scalar
from derivcheck_steps.latex.tokens import Tok
from derivcheck_steps.randomness import Cov, E, Var

# -- fractions, roots, binomials ------------------------------------------------------------------

@prefix(r"\frac", doc="\\frac{a}{b} \\dfrac \\tfrac \\cfrac, brace-less \\frac12 \\frac1N; "
        "\\frac{d}{dz} \\frac{\\partial f}{\\partial z} are derivatives")
def _frac(p: Parser, tok: Tok) -> sp.Basic:
    from derivcheck_steps.latex.calculus import fraction_derivative

    num, den = p.raw_argument(), p.raw_argument()
    derivative = fraction_derivative(p, num, den, tok)
    if derivative is not None:
        return derivative
    return p.binary("/", p.sub(num), p.sub(den), tok)


@prefix(r"\sqrt", doc="\\sqrt{x}, \\sqrt2, \\sqrt[n]{x}")
def _sqrt(p: Parser, tok: Tok) -> sp.Basic:
    index = None
    if p.at("["):
        opener = p.next()
        index = scalar(p, p.group(opener, "]"), tok)
    value = scalar(p, p.argument(), tok)
    return sp.sqrt(value) if index is None else sp.root(value, index)


@prefix(r"\binom", r"\dbinom", r"\tbinom", doc="\\binom{n}{k}")
def _binom(p: Parser, tok: Tok) -> sp.Basic:
    return sp.binomial(scalar(p, p.argument(), tok), scalar(p, p.argument(), tok))


@prefix(r"\boxed", r"\underbrace", r"\overbrace", r"\underset", r"\overset",
        doc="\\boxed{x}; \\underbrace{x}_{label} (the label is prose)")
def _decoration(p: Parser, tok: Tok) -> sp.Basic:
    if tok.text in (r"\underset", r"\overset"):
        p.raw_argument()  # the decoration above/below is prose
    if tok.text == r"\boxed":  # a boxed result may be a whole relation
        inner = Parser(p.n, p.src, p.raw_argument(), p.local)
        value = relation(inner)
        if inner.peek() is not None:
            raise inner.fail(f"unexpected '{inner.peek().text}'", inner.peek())
        return value
    value = p.argument()
    if tok.text in (r"\underbrace", r"\overbrace") and p.at("_", "^"):
        p.next()
        p.raw_argument()
    return value


@prefix(r"\infty", doc="\\infty (in bounds)")
def _infinity(p: Parser, tok: Tok) -> sp.Basic:
    return sp.oo


@prefix(r"\dcref", doc="a declared multi-token spelling (internal: notation_for)")
def _reference(p: Parser, tok: Tok) -> sp.Basic:
    raw = p.raw_argument()
    spelling = p.src[raw[0].pos:raw[-1].pos + len(raw[-1].text)] if raw else ""
    if spelling not in p.n.spellings:
        raise p.fail("unknown spelling reference", tok)
    return p.n.spellings[spelling]


# -- absolute values (norms: derivcheck_steps.latex.norms) --------------------------------------------------------------------

@prefix("|", doc="|x| absolute value (also \\left| … \\right|, \\lvert \\rvert)")
def _abs(p: Parser, tok: Tok) -> sp.Basic:
    value = p.group(tok, "|")
    if isinstance(value, sp.MatrixBase) and value.shape[0] == value.shape[1]:  # |A| of an explicit A: det A
        from derivcheck_steps.latex.matrix_literals import determinant

        return determinant(p, value, tok)
    if isinstance(value, sp.MatrixExpr) and value.shape != (1, 1):
        raise p.fail("|·| of a matrix or vector: write the norm \\|v\\|", tok)
    return sp.Abs(scalar(p, value, tok))


# -- the words of \operatorname, \mathrm, \mathbb, \text ---------------------------------------------

WORD_COMMANDS = {r"\operatorname", r"\operatorname*", r"\mathrm", r"\text", r"\textrm", r"\mathbb", r"\mbox",
                 r"\textit", r"\mathop"}


def word(p: Parser, tok: Tok) -> sp.Basic:
    """``\\operatorname{…}``, ``\\mathbb{…}``, ``\\text{…}``…: an operator, a constant, a function or a styled name."""
    from derivcheck_steps.latex.calculus import apply_declared, declared_function, name_or_application

    start = p.k - 1
    raw = p.raw_argument()
    text = join(raw).replace(" ", "")
    if tok.text == r"\mathbb" and text in ("1", "I"):
        return _indicator(p, tok)
    if tok.text in (r"\mathbb", r"\mathbf", r"\boldsymbol") and text == "0":
        return sp.Integer(0)  # the zero matrix, sized by the other side of its equation
    if text in OPERATORS and not (text == "E" and tok.text in (r"\mathrm", r"\text") and "E" in p.n.names):
        return OPERATORS[text](p, tok)
    if tok.text in (r"\mathrm", r"\text", r"\operatorname") and text == "e":
        return sp.E  # \mathrm{e} is always Euler's number
    key = f"\\operatorname{{{text}}}"
    if key in p.n.functions or (tok.text != r"\mathbb" and text in p.n.functions):
        return apply_declared(p, declared_function(p, key if key in p.n.functions else text), 0, tok)
    if tok.text in STYLES and len(raw) >= 1:
        p.k = start  # a styled name: \mathbf{x}, \mathrm{x}
        return name_or_application(p, p.next())
    if tok.text in (r"\text", r"\textrm", r"\mbox") and not text:
        return sp.Integer(1)
    raise p.fail(f"unknown notation {tok.text}{{{text}}}: declare it (function \\operatorname{{{text}}}) "
                 "or write it another way", tok)


def _indicator(p: Parser, tok: Tok) -> sp.Basic:
    """``\\mathbb{1}[a < b]`` or ``\\mathbb{1}_{a < b}``: 1 where the condition holds, 0 elsewhere."""
    if p.at("_"):
        p.next()
        raw = p.raw_argument()
    elif p.at("[", "(", r"\{"):
        opener = p.next()
        close = {"[": "]", "(": ")", r"\{": r"\}"}[opener.text]
        start, depth = p.k, 0
        while not (p.at(close) and depth == 0):
            t = p.next(f"'{close}'")
            depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(t.text, 0)
        raw = p.toks[start:p.k]
        p.next()
    else:
        raise p.fail("an indicator needs its condition: \\mathbb{1}[x > 0]", tok)
    inner = Parser(p.n, p.src, raw, p.local)
    cond = relation(inner)
    if not isinstance(cond, sp.Rel) or isinstance(cond.lhs, sp.MatrixExpr):
        raise p.fail("an indicator needs a condition between scalars, such as x > 0", tok)
    # written with sign(), which every checker evaluates: 1[d > 0] = (sign d + |sign d|)/2 exactly
    d = cond.lhs - cond.rhs if isinstance(cond, sp.StrictGreaterThan | sp.GreaterThan | sp.Eq | sp.Ne) \
        else cond.rhs - cond.lhs
    s = sp.sign(d)
    if isinstance(cond, sp.Eq | sp.Ne):
        return 1 - sp.Abs(s) if isinstance(cond, sp.Eq) else sp.Abs(s)
    if isinstance(cond, sp.StrictGreaterThan | sp.StrictLessThan):
        return (s + sp.Abs(s)) / 2
    return 1 - (sp.Abs(s) - s) / 2  # d >= 0 is 1 - [d < 0]


def _operator(kind: Callable, name: str) -> Callable:
    def build(p: Parser, tok: Tok) -> sp.Basic:
        if p.at("_"):  # E_m[…], \mathbb{E}_{\pi}[…]: the subscript names the randomness
            p.next()
            p.raw_argument()
        if not p.at("[", "(", r"\{"):
            raise p.fail(f"{name} needs its argument in brackets, e.g. {name}[X]", tok)
        opener = p.next()
        close = {"[": "]", "(": ")", r"\{": r"\}"}[opener.text]
        args = arguments(p, opener, close)
        if kind is Cov:
            if len(args) != 2:
                raise p.fail("Cov takes two arguments: Cov[X, Y]", tok)
            return Cov(*args)
        if len(args) != 1:
            raise p.fail(f"{name} takes one argument", tok)
        return kind(args[0])
    return build


def arguments(p: Parser, opener: Tok, close: str) -> list[sp.Basic]:
    """Comma-separated expressions up to ``close`` (consumed)."""
    p.closers.append(close)
    try:
        args = [p.expression()]
        while p.at(","):
            p.next()
            args.append(p.expression())
    finally:
        p.closers.pop()
    p.expect(close, opener)
    return args


OPERATORS: dict[str, Callable] = {
    "E": _operator(E, "E"), "Var": _operator(Var, "Var"), "Cov": _operator(Cov, "Cov"),
    "V": _operator(Var, "Var"),
}
ENTRIES.append(Entry("\\mathbb{E}[…] E_m[…] \\operatorname{Var}[…] \\text{Var} \\operatorname{Cov}[a, b]",
                     OPERATORS["E"], "expectation, variance, covariance (E alone only when E is not declared)"))
ENTRIES.append(Entry("\\mathbb{1}[x > 0]", _indicator, "indicator of a condition"))
