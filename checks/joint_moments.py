"""Expectations of products of random variables whose joint law is not declared.

E is linear whatever the dependence, so a step such as Cov[aX + b, Y] = a Cov[X, Y] holds for
*every* joint law of X and Y. When a monomial mixes families that were not declared independent,
its expectation is kept as an opaque joint moment ``E[X Y]`` (one symbol per monomial) instead of
stopping the engine; the two sides are then equal for every joint law exactly when their normal
forms agree with those symbols left free (a symbolic argument: linearity and the declared
marginal moments only).

When they do not agree, the difference may still vanish for some joint laws, so it refutes only at
a law the declarations allow: variables known by their mean and variance (or normal) can be
jointly normal with every pairwise correlation 1/2 (a valid correlation matrix in any dimension),
which gives E[X Y] = μ_X μ_Y + ½ σ_X σ_Y. Only second-order mixed moments are resolved that way;
anything else stays undecided.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import sympy as sp

from derivcheck_steps.sum_terms import Undecidable

CORRELATION = sp.Rational(1, 2)  # every pair: a valid correlation matrix (compound symmetry) in any dimension


class JointMoment(sp.Function):
    """E[monomial] of variables from families not declared independent: a symbol for each monomial."""

    nargs = 1
    is_real = True

    def _sympystr(self, printer: object) -> str:
        return f"E[{self.args[0]}]"


def groups(names: list[str], independent: Callable[[str, str], bool]) -> list[set[str]]:
    """The families of a monomial joined wherever two were not declared independent (connected parts)."""
    parts = [{n} for n in names]
    for a, b in itertools.combinations(names, 2):
        if not independent(a, b):
            pa = next(p for p in parts if a in p)
            pb = next(p for p in parts if b in p)
            if pa is not pb:
                pa |= pb
                parts.remove(pb)
    return parts


def joint_value(powers: dict[sp.Basic, int], family: Callable[[sp.Basic], Any],
                independent: Callable[[str, str], bool], bound: set[sp.Basic]) -> sp.Expr:
    """E[∏ r^k] where the families need not be independent: declared moments for lone variables and
    independent groups, an opaque :class:`JointMoment` for a group of dependent families."""
    by_name: dict[str, list[sp.Basic]] = {}
    for r in powers:
        by_name.setdefault(str(family(r).base), []).append(r)
    value = sp.Integer(1)
    for part in groups(sorted(by_name), independent):
        members = sorted((r for n in part for r in by_name[n]), key=sp.default_sort_key)
        if len(part) == 1:
            for r in members:
                value *= family(r).dist.moment(powers[r])
            continue
        monomial = sp.Mul(*(r ** powers[r] for r in members))
        if monomial.free_symbols & bound:
            names = " and ".join(sorted(part))
            raise Undecidable(f"families {names} are not declared independent (a joint moment under a sum)")
        value *= JointMoment(monomial)
    return value


def has_joint_moments(e: sp.Basic) -> bool:
    return bool(e.atoms(JointMoment))


def correlated_law(e: sp.Basic, family: Callable[[sp.Basic], Any]) -> tuple[sp.Expr, str]:
    """``e`` with each second-order joint moment E[X Y] valued at jointly normal X, Y with correlation ½.

    Raises Undecidable when a joint moment is of higher order or a variable's law is not one that
    admits that joint law (known only by mean and variance, or normal).
    """
    values, names = {}, set()
    for jm in sorted(e.atoms(JointMoment), key=sp.default_sort_key):
        factors = sp.Mul.make_args(jm.args[0])
        if len(factors) != 2 or any(isinstance(f, sp.Pow) for f in factors):
            raise Undecidable(f"the sides differ by a joint moment {jm} of variables not declared independent")
        x, y = factors
        laws = [family(v).dist for v in (x, y)]
        if any(d.name not in ("Moments", "Normal") for d in laws):
            raise Undecidable(f"the sides differ by {jm}: {x} and {y} are not declared independent")
        (mx, vx), (my, vy) = (d.params for d in laws)
        values[jm] = mx * my + CORRELATION * sp.sqrt(vx) * sp.sqrt(vy)
        names |= {str(x), str(y)}
    law = f"{', '.join(sorted(names))} jointly normal with pairwise correlation 1/2 (they are not declared independent)"
    return e.xreplace(values), law
