"""The one printer that owns LaTeX: expressions the way a person writes them.

Transposes print as ``^{\\top}``, declared names use their LaTeX spelling, and indexed data use
the template given at declaration (``x_{j}^{(i)}`` for ``x[i, j]``).
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.latex import LatexPrinter

from checks.context import Context
from checks.derivation import Step


class DerivcheckLatexPrinter(LatexPrinter):
    """SymPy's LaTeX printer with the notation of a Context."""

    def __init__(self, ctx: Context | None = None) -> None:
        super().__init__({"mat_symbol_style": "plain", "order": "none"})
        self.ctx = ctx or Context()

    def _name(self, obj: sp.Basic) -> str | None:
        return self.ctx.latex_names.get(obj)

    def _print_Symbol(self, expr: sp.Symbol, style: str = "plain") -> str:
        return self._name(expr) or super()._print_Symbol(expr, style=style)

    def _print_MatrixSymbol(self, expr: sp.MatrixSymbol) -> str:
        return self._name(expr) or super()._print_MatrixSymbol(expr)

    def _print_Transpose(self, expr: sp.Transpose) -> str:
        arg = expr.arg
        inner = self._print(arg)
        if not isinstance(arg, sp.MatrixSymbol):
            inner = rf"\left({inner}\right)"
        return rf"{inner}^{{\top}}"

    def _print_Inverse(self, expr: sp.Inverse) -> str:
        inner = self._print(expr.arg)
        if not isinstance(expr.arg, sp.MatrixSymbol):
            inner = rf"\left({inner}\right)"
        return rf"{inner}^{{-1}}"

    def _print_Identity(self, expr: sp.Identity) -> str:
        return "I"

    def _print_Indexed(self, expr: sp.Indexed) -> str:
        template = self.ctx.latex_names.get(expr.base)
        indices = [self._print(i) for i in expr.indices]
        if template and "{0}" in template:
            return template.format(*indices)
        base = template or self._print(expr.base.label)
        return f"{base}_{{{' '.join(indices)}}}"


def expr_latex(expr: sp.Basic, ctx: Context | None = None) -> str:
    """LaTeX for one expression or relation in the notation of ``ctx``."""
    return DerivcheckLatexPrinter(ctx).doprint(expr)


def step_latex(step: Step, ctx: Context) -> str:
    """LaTeX of the step's new expression (the claim itself for a standalone claim)."""
    if step.experiment is not None:
        return rf"\text{{{step.by.label}}}"
    return expr_latex(step.after, ctx)
