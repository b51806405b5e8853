"""The notation table: one entry per LaTeX construct — its trigger, its precedence, how it builds SymPy.

Organised as the CortexJS Compute Engine's LaTeX dictionary is: a construct is a *prefix* entry
(it starts an expression: ``\\frac``, ``\\sqrt``, ``\\exp``, ``|``, ``\\sum``), an *infix/postfix*
entry (it follows one: ``+``, ``\\cdot``, ``^``, ``!``) with a binding power, or a *relation*
(``=``, ``\\le``, ``:=``, ``\\approx``). Names, numbers and juxtaposition are the parser's
(:mod:`derivcheck_steps.latex.formulas`); the builders for calculus (sums, derivatives, ``\\max_x``) live in
:mod:`derivcheck_steps.latex.calculus` and register here. Adding a notation = one entry + its test.

``ENTRIES`` lists every entry with a one-line description (the README's notation table is made
from it: ``python -m derivcheck_steps.latex.notation``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from derivcheck_steps.identities import fit_identities
from derivcheck_steps.latex import matrix_literals as literals
from derivcheck_steps.latex.families import entry, one_by_one
from derivcheck_steps.latex.families import is_1x1 as _is_1x1
from derivcheck_steps.latex.formulas import POSTFIX, PRODUCT, SUM, UNARY, Approx, Parser
from derivcheck_steps.latex.names import ACCENTS, FONTS, LETTERS, STYLES, join
from derivcheck_steps.latex.tokens import Tok
from derivcheck_steps.quoting import quoted

#: the largest number of digits an exact power may have while reading (10^{10^7} is refused, not computed)
MAX_DIGITS = 10_000
#: the largest integer exponent of a non-numeric base (x^{50000000} would be expanded by the provers)
MAX_EXPONENT = 1_000


@dataclass(frozen=True)
class Entry:
    """One construct: the token that triggers it, its binding power (infix), what it builds, and a description."""

    trigger: str
    build: Callable
    doc: str
    precedence: int = 0
    kind: str = "prefix"


PREFIX: dict[str, Entry] = {}
INFIX: dict[str, Entry] = {}
ENTRIES: list[Entry] = []


def prefix(*triggers: str, doc: str) -> Callable:
    """Register a prefix builder ``build(parser, tok) -> value`` for each trigger."""
    def register(build: Callable) -> Callable:
        for t in triggers:
            PREFIX[t] = Entry(t, build, doc)
        ENTRIES.append(Entry(" ".join(triggers), build, doc))
        return build
    return register


def infix(*triggers: str, precedence: int, doc: str) -> Callable:
    """Register an infix/postfix builder ``build(parser, left, tok) -> value``."""
    def register(build: Callable) -> Callable:
        for t in triggers:
            INFIX[t] = Entry(t, build, doc, precedence, "infix")
        ENTRIES.append(Entry(" ".join(triggers), build, doc, precedence, "infix"))
        return build
    return register


# -- dispatch -----------------------------------------------------------------------------------

def prefix_entry(p: Parser, tok: Tok) -> Callable:
    """The builder for a token that starts an expression (or one that raises a located error)."""
    text = tok.text
    if text[0].isdigit() or (text[0] == "." and len(text) > 1):
        return number
    if text in PREFIX:
        return PREFIX[text].build
    if (len(text) == 1 and text.isalpha()) or text in LETTERS or text in ACCENTS | FONTS:
        from derivcheck_steps.latex.calculus import name_or_application

        return name_or_application
    from derivcheck_steps.latex.constructs import WORD_COMMANDS, word

    if text in STYLES or text in WORD_COMMANDS:
        return word
    return unsupported


def infix_entry(p: Parser, tok: Tok) -> Entry | None:
    """The infix/postfix entry for ``tok``, or None (then the parser tries juxtaposition)."""
    return INFIX.get(tok.text)


RELATIONS: dict[str, Callable] = {
    "=": sp.Eq, "<": sp.Lt, ">": sp.Gt, r"\lt": sp.Lt, r"\gt": sp.Gt, r"\le": sp.Le, r"\ge": sp.Ge, r"\neq": sp.Ne,
    r"\approx": Approx, r"\coloneqq": sp.Eq, r"\triangleq": sp.Eq, r"\stackrel": None,
}


def is_relation(text: str) -> bool:
    """Whether ``text`` is a relation symbol (it ends an expression)."""
    return text in RELATIONS


def relation(p: Parser) -> sp.Basic:
    """An expression, or two joined by one relation (``:=`` is a definition: an equation)."""
    lhs = p.expression()
    tok = p.peek()
    if tok is None:
        return lhs
    op = tok.text
    if op == ":" and p.peek(1) is not None and p.peek(1).text == "=":
        p.k += 1
        op = "="
    if op not in RELATIONS or RELATIONS[op] is None:
        return lhs
    p.k += 1
    rhs = p.expression()
    after = p.peek()
    if after is not None and after.text in RELATIONS:
        if op == "=" and after.text == "=":
            raise p.fail(f"more than one '=' in {quoted(p.src.strip())}: split it into steps", after)
        raise p.fail("a chain of relations: write one relation per row", after)
    if op == r"\approx":
        return Approx(lhs, rhs)
    lhs, rhs = fit_identities("=", lhs, rhs)
    if RELATIONS[op] in (sp.Lt, sp.Gt, sp.Le, sp.Ge):  # an order compares numbers: x^T x > 0 is about the entry
        lhs, rhs = (entry(lhs, 0, 0) if _is_1x1(lhs) else lhs), (entry(rhs, 0, 0) if _is_1x1(rhs) else rhs)
    for a, b in ((lhs, rhs), (rhs, lhs)):
        if isinstance(a, sp.MatrixExpr) and b == 0:  # A w = 0: the zero matrix of the other side's shape
            lhs, rhs = (a, sp.ZeroMatrix(*a.shape)) if a is lhs else (sp.ZeroMatrix(*a.shape), a)
    if literals.is_explicit(lhs) or literals.is_explicit(rhs):  # an explicit matrix: compare entries
        lhs, rhs = literals.explicit(lhs), literals.explicit(rhs)
    if isinstance(lhs, sp.MatrixExpr) != isinstance(rhs, sp.MatrixExpr):  # a 1×1 beside a scalar: its entry
        lhs, rhs = (entry(lhs, 0, 0) if _is_1x1(lhs) else lhs), (entry(rhs, 0, 0) if _is_1x1(rhs) else rhs)
    if isinstance(lhs, sp.MatrixExpr) != isinstance(rhs, sp.MatrixExpr) and op != "=":
        raise p.fail("an inequality between a matrix and a scalar", tok)
    return RELATIONS[op](lhs, rhs, evaluate=False)


# -- numbers, groups, arithmetic ----------------------------------------------------------------

def number(p: Parser, tok: Tok) -> sp.Basic:
    """A number: ``12`` an Integer, ``2.5`` and ``.4`` the exact rational their digits say."""
    whole, _, frac = tok.text.partition(".")
    if not frac:
        return sp.Integer(int(whole))
    return sp.Rational(int((whole or "0") + frac), 10 ** len(frac))


def unsupported(p: Parser, tok: Tok) -> sp.Basic:
    """Any token no entry reads."""
    if tok.text == "'":
        raise p.fail("a prime belongs to a declared name (scalar x') or function (f'(x))", tok)
    if tok.text in (")", "]", r"\}", "}"):
        raise p.fail(f"'{tok.text}' closes nothing", tok)
    hint = _nearest_command(tok.text, p)
    raise p.fail(f"unsupported LaTeX {quoted(tok.text)}" + (f": did you mean {hint}?" if hint else ""), tok)


def _nearest_command(text: str, p: Parser) -> str | None:
    """The known command or declared LaTeX name closest to a misspelt one (``\\sigam`` → ``\\sigma``)."""
    import difflib

    from derivcheck_steps.latex.names import ACCENTS, FONTS, LETTERS, STYLES

    if not text.startswith("\\"):
        return None
    names = getattr(p.n, "names", {}) or {}
    known = {t for t in PREFIX if t.startswith("\\")} | LETTERS | ACCENTS | FONTS | STYLES
    known |= {str(n) for n in names if str(n).startswith("\\")}
    close = difflib.get_close_matches(text, sorted(known), n=1, cutoff=0.75)
    return close[0] if close else None


@prefix("(", "[", r"\{", "{", doc="grouping: ( ) [ ] \\{ \\} { }, also \\left( … \\right)")
def _group(p: Parser, tok: Tok) -> sp.Basic:
    return p.group(tok, {"(": ")", "[": "]", r"\{": r"\}", "{": "}"}[tok.text])


@prefix("-", "+", doc="unary minus and plus")
def _unary(p: Parser, tok: Tok) -> sp.Basic:
    value = p.expression(UNARY)
    return p.binary("*", sp.Integer(-1), value, tok) if tok.text == "-" else value


@infix("+", "-", precedence=SUM, doc="a + b, a - b")
def _add(p: Parser, left: sp.Basic, tok: Tok) -> sp.Basic:
    right = p.expression(SUM)
    return p.binary(tok.text, left, right, tok)


@infix("*", r"\cdot", r"\times", precedence=PRODUCT, doc="products: a b, a * b, a \\cdot b, a \\times b (scalars)")
def _mul(p: Parser, left: sp.Basic, tok: Tok) -> sp.Basic:
    return p.binary("*", left, p.expression(PRODUCT), tok)


@infix("/", precedence=PRODUCT, doc="a / b")
def _div(p: Parser, left: sp.Basic, tok: Tok) -> sp.Basic:
    return p.binary("/", left, p.expression(PRODUCT), tok)


@infix("!", precedence=POSTFIX, doc="n! (factorial)")
def _factorial(p: Parser, left: sp.Basic, tok: Tok) -> sp.Basic:
    return sp.factorial(scalar(p, left, tok))


def combine(p: Parser, op: str, a: sp.Basic, b: sp.Basic, at: Tok) -> sp.Basic:
    """``a op b`` with shapes checked as it is built: a mismatch is a located error in words."""
    for v in (a, b):
        if isinstance(v, sp.Rel | Approx):
            raise p.fail("a relation inside an expression: write one relation per formula", at)
    a, b = one_by_one(a, b, op)
    try:
        a, b = fit_identities(op, a, b)  # an `identity I` declared without a size takes the size its place demands
        am, bm = isinstance(a, sp.MatrixExpr), isinstance(b, sp.MatrixExpr)
        if (literals.is_explicit(a) or literals.is_explicit(b)) and not (op == "/" and (bm or b == 0)):
            value = literals.combine(p, op, a, b, at)  # entry by entry when both have a fixed size
            if value is not None:
                return value
        if op == "*":
            if am and bm and sp.expand(a.shape[1] - b.shape[0]) != 0 and (1, 1) not in (a.shape, b.shape):
                raise sp.ShapeError  # SymPy lets n×1 times n×1 pass, since n might be 1: a document means n
            return a * b
        if op == "/":
            if bm:
                raise p.fail("division by a matrix: write the inverse, A^{-1}", at)
            if b == 0:
                raise p.fail("division by zero", at)
            return a * (1 / b) if am else a / b
        if am != bm:
            if (b if am else a) == 0:
                return a if am else (b if op == "+" else -b)
            raise p.fail(f"cannot {'add' if op == '+' else 'subtract'} a {_shape(a)} and a {_shape(b)}", at)
        return a + b if op == "+" else a - b
    except sp.ShapeError:
        raise p.fail(f"the shapes do not match: a {_shape(a)} {'times' if op == '*' else op} a {_shape(b)}", at)\
            from None


def _shape(v: sp.Basic) -> str:
    if isinstance(v, sp.MatrixExpr):
        return f"{v.shape[0]}×{v.shape[1]} matrix"
    return "scalar"


def scalar(p: Parser, v: sp.Basic, at: Tok) -> sp.Basic:
    """``v`` as a scalar: a 1×1 matrix expression becomes its entry; a larger matrix is an error."""
    if isinstance(v, sp.MatrixExpr):
        if v.shape == (1, 1):
            return entry(v, 0, 0)
        raise p.fail(f"a scalar is needed here, not a {_shape(v)}", at)
    if isinstance(v, sp.Rel | Approx):
        raise p.fail("a relation where a value is needed", at)
    return v


# -- powers, transposes, subscripts on groups -------------------------------------------------------

_TRANSPOSE = {"T", r"\top", r"\mathsf{T}", r"\mathrm{T}", r"\mathit{T}", "t"}


@infix("^", precedence=POSTFIX, doc="powers x^2 x^{n} x^\\frac12; ^T ^\\top ^{\\top} transpose; A^{-1} inverse")
def _power(p: Parser, left: sp.Basic, tok: Tok) -> sp.Basic:
    raw = p.raw_argument()
    mark = join(raw)
    if mark in _TRANSPOSE and (mark != "t" or isinstance(left, sp.MatrixExpr)):
        if literals.is_explicit(left):
            return left.T
        if isinstance(left, sp.MatrixExpr):
            return sp.Transpose(left)
        if left.is_commutative and not left.atoms(sp.MatrixSymbol):
            return left  # the transpose of a scalar is itself
        raise p.fail("transpose of something that is not a declared matrix or vector", tok)
    if mark in ("*", r"\star", r"\ast", r"\prime"):
        raise p.fail(f"'^{mark}' on an expression: declare the name with it (scalar w^*)", tok)
    exponent = p.sub(raw)
    return power(p, left, exponent, tok)


def power(p: Parser, base: sp.Basic, exponent: sp.Basic, at: Tok) -> sp.Basic:
    """``base ** exponent``, refusing powers too large to evaluate while reading, and matrix powers that are not integers."""
    exponent = scalar(p, exponent, at)
    if _is_1x1(base) and exponent == 2 and isinstance(base, sp.MatAdd):
        return base.T * base  # (w^T x - t)^2: the square of a 1×1 sum, kept a matrix for gradients
    if _is_1x1(base) and exponent != -1:
        base = entry(base, 0, 0)
    if literals.is_explicit(base):
        return literals.power(p, base, exponent, at)
    if isinstance(base, sp.MatrixExpr):
        if exponent == -1:
            return sp.Inverse(base)
        if exponent.is_Integer and exponent > 0:
            return sp.MatPow(base, exponent)
        raise p.fail("a matrix power must be a positive integer (or -1 for the inverse)", at)
    if isinstance(base, sp.Rel | Approx):
        raise p.fail("a power of a relation", at)
    if exponent.is_Integer and abs(int(exponent)) > 1:
        if base.is_Number and base not in (0, 1, -1):
            digits = abs(int(exponent)) * math.log10(max(abs(float(sp.Abs(base))), 1 / abs(float(base))))
            if digits > MAX_DIGITS:
                raise p.fail(f"this power has about 10^{math.log10(digits):.0f} digits: too large to evaluate; "
                             "write it with a symbol", at)
        elif not base.is_Number and abs(int(exponent)) > MAX_EXPONENT:
            raise p.fail(f"the exponent {exponent} is too large to check (at most {MAX_EXPONENT})", at)
    if exponent.has(sp.Pow) and base.is_Number and any(
            e.is_Integer and abs(int(e)) > MAX_DIGITS for e in exponent.atoms(sp.Integer)):
        raise p.fail("an exponent tower too large to evaluate", at)
    return sp.Pow(base, exponent)


@infix("_", precedence=POSTFIX, doc="(Ax)_k: an entry of a vector expression, k a declared index")
def _entry(p: Parser, left: sp.Basic, tok: Tok) -> sp.Basic:
    raw = p.raw_argument()
    if not isinstance(left, sp.MatrixExpr) or left.shape[1] != 1:
        raise p.fail("a subscript on an expression: only an entry of a vector, (Ax)_k, is read", tok)
    k = p.sub(raw)
    return entry(left, k - 1, 0)  # the document counts from 1


@infix("'", precedence=POSTFIX, doc="primes belong to names and functions: x', f'(x)")
def _prime(p: Parser, left: sp.Basic, tok: Tok) -> sp.Basic:
    raise p.fail("a prime after an expression: declare the primed name (scalar x') or a function (function f)",
                 tok)


def doc_table() -> str:
    """The notation table as Markdown rows (trigger | precedence | meaning)."""
    rows = ["| trigger | binds | meaning |", "|---|---|---|"]
    for e in ENTRIES:
        rows.append(f"| `{e.trigger}` | {e.precedence or ''} | {e.doc} |")
    return "\n".join(rows)


import derivcheck_steps.latex.calculus  # noqa: E402,F401,I001  (registers the calculus and function entries)
import derivcheck_steps.latex.constructs  # noqa: E402,F401  (registers fractions, roots, operator words)
import derivcheck_steps.latex.norms  # noqa: E402,F401  (registers the norms)

PREFIX[r"\begin"] = Entry(r"\begin", literals.environment, "explicit matrices")
derivcheck_steps.latex.constructs.OPERATORS["adj"] = literals.adjugate
ENTRIES.append(Entry(r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}", literals.environment,
                     "explicit matrices (pmatrix bmatrix Bmatrix matrix smallmatrix array) and column vectors; "
                     "vmatrix is the determinant; products, sums, ^T, ^{-1}, \\det, \\operatorname{tr}, \\operatorname{adj} "
                     "computed"))
