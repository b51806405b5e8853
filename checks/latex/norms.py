"""Norms: ``\\|v\\|``, ``\\|v\\|_2``, ``\\|v\\|_1``, ``\\|v\\|_\\infty``, ``\\|v\\|_p``, ``\\|A\\|_F``, and induced
``\\|A\\|_1``, ``\\|A\\|_\\infty`` of explicit matrices. Registered in :mod:`derivcheck_steps.latex.notation`'s table.

What each one is (each the textbook definition, nothing guessed):

- a scalar: ``\\|x\\|`` (any subscript) is ``|x|``;
- a vector v: ``\\|v\\|``, ``\\|v\\|_2`` and ``\\|v\\|_F`` are √(vᵀv), squared ``vᵀv`` (kept a 1×1 matrix, so
  gradients use matrix calculus); ``\\|v\\|_1 = Σ_i |v_i|``; ``\\|v\\|_p = (Σ_i |v_i|^p)^{1/p}`` for a number
  p ≥ 1 or a declared scalar p; ``\\|v\\|_\\infty = max_i |v_i|`` when v is written entry by entry;
- a matrix A: ``\\|A\\|_F = √tr(AᵀA)`` (squared, ``tr(AᵀA)``); for an explicit A, ``\\|A\\|_1`` (largest
  column sum of |a_ij|) and ``\\|A\\|_\\infty`` (largest row sum). The spectral norm ``\\|A\\|_2`` (and
  ``\\|A\\|`` of a matrix) is not read: the message says to write ``\\|A\\|_F`` or ``\\operatorname{tr}(A^T A)``.
"""

from __future__ import annotations

import re

import sympy as sp

from derivcheck_steps.latex.families import canonical, entry
from derivcheck_steps.latex.formulas import Parser
from derivcheck_steps.latex.matrix_literals import is_explicit
from derivcheck_steps.latex.names import join
from derivcheck_steps.latex.notation import prefix, scalar
from derivcheck_steps.latex.tokens import Tok

_STYLE = re.compile(r"\\(mathrm|text|textrm|mathit|operatorname|mathsf|rm)\{(.*)\}$")
_ORDERS = {"2": "2", "F": "F", "Fro": "F", "fro": "F", "1": "1", r"\infty": "oo", r"\inf": "oo", "max": "oo"}


def _order(p: Parser, sub_tok: Tok) -> str | sp.Basic:
    """The norm's subscript as '2', 'F', '1', 'oo', or the exponent p of a p-norm."""
    raw = p.raw_argument()
    text = join(raw).replace(" ", "")
    styled = _STYLE.match(text)
    if styled is not None:
        text = styled.group(2)
    if text in _ORDERS:
        return _ORDERS[text]
    value = p.sub(raw)  # an undeclared p is a located error that says how to declare it
    if isinstance(value, sp.Symbol) or (isinstance(value, sp.Integer) and value >= 1):
        return value
    raise p.fail(f"the norm \\|·\\|_{{{text}}} is not read: write \\|v\\|_2, \\|v\\|_1, \\|v\\|_\\infty, \\|v\\|_p "
                 "or \\|A\\|_F", sub_tok)


@prefix(r"\|", doc="\\|v\\| \\|v\\|_2 (squared: vᵀv), \\|v\\|_1, \\|v\\|_\\infty, \\|v\\|_p, \\|A\\|_F (√tr AᵀA); "
        "\\|x\\| of a scalar is |x|")
def norm(p: Parser, tok: Tok) -> sp.Basic:
    value = p.group(tok, r"\|")
    order: str | sp.Basic = "2"
    sub_tok = None
    if p.at("_"):
        sub_tok = p.next()
        order = _order(p, sub_tok)
    if not isinstance(value, sp.MatrixExpr):
        return sp.Abs(scalar(p, value, tok))
    rows, cols = value.shape
    if (rows, cols) == (1, 1):
        return sp.Abs(entry(value, 0, 0))
    if rows != 1 and cols != 1:
        return _matrix_norm(p, value, order, sub_tok or tok)
    if order in ("2", "F"):
        v = value if cols == 1 else value.T
        if is_explicit(v):
            return sp.sqrt(sum(x**2 for x in v))
        if _squared(p):
            return v.T * v  # \|v\|^2: the 1×1 vᵀv
        return sp.sqrt(entry(v.T * v, 0, 0))
    entries = [sp.Abs(x) for x in value] if is_explicit(value) else None
    if order == "oo":
        if entries is None:
            raise p.fail("\\|v\\|_\\infty of a vector of symbolic size is not read: write its entries out, "
                         "or use \\|v\\|_1 or \\|v\\|_2", sub_tok)
        return _largest(entries)
    power = sp.Integer(1) if order == "1" else order
    if entries is not None:
        total = sum(x**power for x in entries)
    else:
        v = value if cols == 1 else value.T
        k = sp.Dummy("k", integer=True)
        total = canonical(sp.Sum(sp.Abs(entry(v, k, 0)) ** power, (k, 0, v.shape[0] - 1)))
    return total if power == 1 else total ** (1 / power)


def _squared(p: Parser) -> bool:
    """Consume a ``^2`` after the norm (the squared 2-norm is built as vᵀv)."""
    if p.at("^") and p.peek(1) is not None and p.peek(1).text in ("2", "{"):
        k = p.k
        p.next()
        if join(p.raw_argument()) == "2":
            return True
        p.k = k
    return False


def _largest(values: list[sp.Expr]) -> sp.Expr:
    """max(a, b, …) written as (a + b + |a − b|)/2, a form every checker evaluates."""
    out = values[0]
    for v in values[1:]:
        out = (out + v + sp.Abs(out - v)) / 2
    return out


def _matrix_norm(p: Parser, m: sp.MatrixExpr, order: object, at: Tok) -> sp.Basic:
    if order == "F":
        if is_explicit(m):
            return sp.sqrt(sum(x**2 for x in m))
        return sp.sqrt(sp.Trace(m.T * m))
    if order in ("1", "oo") and is_explicit(m):
        lines = m.T.tolist() if order == "1" else m.tolist()  # columns for ‖A‖₁, rows for ‖A‖∞
        return _largest([sum(sp.Abs(x) for x in line) for line in lines])
    which = {"2": "the spectral norm \\|A\\|_2 (or \\|A\\|)", "1": "\\|A\\|_1 of a matrix of symbolic size",
             "oo": "\\|A\\|_\\infty of a matrix of symbolic size"}.get(str(order), f"\\|A\\|_{{{order}}}")
    raise p.fail(f"{which} is not read: write the Frobenius norm \\|A\\|_F or \\operatorname{{tr}}(A^T A)", at)
