"""Sets in a report's prose the way a student writes them: ``(0, ∞)``, ``[0, ∞)``, ``ℝ``, ``ℝ \\ {0}``.

SymPy prints its sets as constructors (``Interval.open(0, oo)``, ``Union(Interval.open(-oo, 0),
Interval.open(0, oo))``); a reason shown to a reader prints every set through ``set_text``:

>>> import sympy as sp
>>> set_text(sp.Interval.open(0, sp.oo))
'(0, ∞)'
>>> set_text(sp.Interval(0, sp.oo))
'[0, ∞)'
>>> set_text(sp.S.Reals - sp.FiniteSet(0))
'ℝ \\\\ {0}'
>>> set_text(sp.FiniteSet(-sp.sqrt(2), sp.sqrt(2)))
'{−√2, √2}'

A union of intervals that misses only finitely many points of its hull is written as the hull
minus those points (``(0, 1) ∪ (1, ∞)`` is ``(0, ∞) \\ {1}``). Elements and ends are printed by
``derivcheck_steps.plain``, in the declared names of ``ctx`` when one is given.
"""

from __future__ import annotations

import sympy as sp

from derivcheck_steps.plain import plain

_NAMED = {sp.S.Reals: "ℝ", sp.S.Integers: "ℤ", sp.S.Naturals: "ℕ", sp.S.Naturals0: "ℕ₀", sp.S.EmptySet: "∅"}


def _value(e: sp.Basic, ctx: object) -> str:
    if e == sp.oo:
        return "∞"
    if e == -sp.oo:
        return "−∞"
    return plain(e, ctx)


def _in_order(elements: tuple[sp.Basic, ...]) -> list[sp.Basic]:
    """Numbers from the smallest up; otherwise SymPy's printing order (``{−√a, √a}``)."""
    if all(e.is_comparable for e in elements):
        return sorted(elements, key=lambda e: float(e.evalf()))
    return sorted(elements, key=sp.default_sort_key)


def _interval(s: sp.Interval, ctx: object) -> str:
    left = "(" if s.left_open or s.start == -sp.oo else "["
    right = ")" if s.right_open or s.end == sp.oo else "]"
    return f"{left}{_value(s.start, ctx)}, {_value(s.end, ctx)}{right}"


def _hull_minus_points(s: sp.Union, ctx: object) -> str | None:
    """``s`` as its hull minus finitely many points, when it is one (``ℝ \\ {0}``), else None."""
    try:
        low, high = s.inf, s.sup
        hull = sp.Interval(low, high, low not in s, high not in s)
        missing = hull - s
    except Exception:  # noqa: BLE001 - symbolic ends whose order SymPy cannot decide: print the union as it is
        return None
    if isinstance(missing, sp.FiniteSet) and missing != sp.S.EmptySet:
        return f"{set_text(hull, ctx)} \\ {set_text(missing, ctx)}"
    return None


def set_text(s: sp.Basic, ctx: object = None) -> str:
    """``s`` (a SymPy set) in the notation of a page: intervals, ``ℝ``, ``{a, b}``, ``∪``, ``\\``."""
    try:
        return _set_text(s, ctx)
    except Exception:  # noqa: BLE001 - a report must never fail on printing: fall back to SymPy's own text
        return str(s)


def _set_text(s: sp.Basic, ctx: object) -> str:
    for named, text in _NAMED.items():
        if s == named:
            return text
    if isinstance(s, sp.Interval):
        return _interval(s, ctx)
    if isinstance(s, sp.FiniteSet):
        return "{" + ", ".join(_value(e, ctx) for e in _in_order(s.args)) + "}"
    if isinstance(s, sp.Union):
        return _hull_minus_points(s, ctx) or " ∪ ".join(set_text(a, ctx) for a in s.args)
    if isinstance(s, sp.Complement):
        return f"{set_text(s.args[0], ctx)} \\ {set_text(s.args[1], ctx)}"
    if isinstance(s, sp.Intersection):
        return " ∩ ".join(set_text(a, ctx) for a in s.args)
    if isinstance(s, sp.ImageSet) and len(s.lamda.variables) == 1 and len(s.base_sets) == 1:
        n = s.lamda.variables[0]
        shown = sp.Symbol(n.name.lstrip("_") or "n")
        body = plain(s.lamda.expr.xreplace({n: shown}), ctx)
        return f"{{{body} : {plain(shown, ctx)} ∈ {set_text(s.base_sets[0], ctx)}}}"
    if isinstance(s, sp.ConditionSet):
        where = plain(s.condition, ctx)
        return f"{{{plain(s.sym, ctx)} ∈ {set_text(s.base_set, ctx)} : {where}}}"
    return str(s)
