"""Round trip: what derivcheck prints reads back (through the LaTeX adapter) as a provably equal formula."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from derivcheck_steps.context import Context
from derivcheck_steps.errors import DerivcheckError
from derivcheck_steps.expectation import Undecidable, prove_equal_in_expectation
from derivcheck_steps.latex.formulas import LatexInputError, notation_for, parse_formula
from derivcheck_steps.latex.printer import expr_latex
from derivcheck_steps.randomness import Cov, E, Var
from derivcheck_steps.symbolic import prove_zero


@dataclass(frozen=True)
class RoundTrip:
    """The printed LaTeX of one formula, and whether it read back as an equal formula."""

    latex: str
    ok: bool
    reason: str = ""


def _equal(a: sp.Basic, b: sp.Basic, ctx: Context) -> bool:
    if a.has(E, Var, Cov) or b.has(E, Var, Cov):
        try:
            return prove_equal_in_expectation(a, b, ctx).proved
        except (Undecidable, DerivcheckError):
            return False
    return prove_zero(a - b).proved


def round_trip(expr: sp.Basic, ctx: Context, written: sp.Basic | None = None) -> RoundTrip:
    """Print ``expr`` in the notation of ``ctx``, parse it back, and prove the two equal.

    ``written``: print this written form of ``expr`` instead (``Step.written``), which must read back as ``expr``.
    """
    tex = expr_latex(expr, ctx) if written is None else expr_latex(written, ctx, written=True)
    try:
        back = parse_formula(tex, notation_for(ctx, expr))
    except LatexInputError as exc:
        return RoundTrip(tex, False, f"does not parse back: {exc}")
    if isinstance(expr, sp.Rel) != isinstance(back, sp.Rel):
        return RoundTrip(tex, False, f"read back as {back}")
    if isinstance(expr, sp.Rel):
        same = type(expr) is type(back) and _equal(expr.lhs, back.lhs, ctx) and _equal(expr.rhs, back.rhs, ctx)
    else:
        same = _equal(expr, back, ctx)
    return RoundTrip(tex, same, "" if same else f"read back as {back}, not proved equal")
