"""Justifications: why a step holds (a label checked by algebra, or a rule such as differentiate(w))."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp


@dataclass(frozen=True)
class Justification:
    """Why a step holds. A plain label is checked as an equality/equivalence by algebra."""

    label: str

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Differentiate(Justification):
    """The new expression is the gradient (derivative) of the previous one in ``var``.

    If the new expression is an equation ``L = R``, the step reads "setting the gradient to
    zero gives L = R" and is checked as ``grad == L - R``.
    """

    var: sp.Basic = None


@dataclass(frozen=True)
class Solve(Justification):
    """The new equation ``var = value`` solves the previous equation for ``var``."""

    var: sp.Basic = None


def differentiate(var: sp.Basic, label: str | None = None) -> Differentiate:
    """Justification: take the derivative (gradient) with respect to ``var``."""
    return Differentiate(label or f"differentiate w.r.t. {var}", var)


def solve(var: sp.Basic, label: str | None = None) -> Solve:
    """Justification: solve the previous equation for ``var``."""
    return Solve(label or f"solve for {var}", var)
