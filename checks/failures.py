"""One rule for failures: whatever goes wrong while checking a step becomes that step's UNKNOWN.

Each failure gets a *cause* (``StepResult.cause``) and a one-line reason a person understands:

- ``"input"``: a problem in what the user wrote (an unreadable row, an undeclared symbol, a
  shape error, a relation inside an expression, a number too large to evaluate exactly);
  the reason says what to write instead and names no Python class;
- ``"internal"``: a bug in derivcheck (any other exception); the reason says so and asks for a report;
- ``"timeout"``: the step's budget ran out; ``"undecided"``: no proof and no evidence.

Before any work, :func:`screen` refuses steps that cannot be checked as written (relations inside
a side, exponent towers, exact powers of more than :data:`MAX_EXACT_DIGITS` digits), so that such
work is never started.
"""

from __future__ import annotations

import math

import sympy as sp
from sympy.logic.boolalg import Boolean, BooleanAtom

from derivcheck_steps.errors import DerivcheckError, EvaluationError
from derivcheck_steps.numbers import abbreviate_digits, safe_str

MAX_EXACT_DIGITS = 1_000_000  # an exact power beyond this many digits is refused, not evaluated
INPUT, INTERNAL, TIMEOUT, UNDECIDED = "input", "internal", "timeout", "undecided"


def _shape_error_types() -> tuple[type, ...]:
    from sympy.matrices.exceptions import NonSquareMatrixError, ShapeError

    return ShapeError, NonSquareMatrixError


def _one_line(text: str, limit: int = 200) -> str:
    text = abbreviate_digits(" ".join(str(text).split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def classify(exc: BaseException) -> tuple[str, str]:
    """The cause and the one-line reason for an exception raised while checking a step."""
    from derivcheck_steps.expectation import Undecidable

    if isinstance(exc, (EvaluationError, Undecidable)):
        return UNDECIDED, _one_line(f"could not check this step: {exc}")
    if isinstance(exc, DerivcheckError):
        return INPUT, _one_line(str(exc))
    if isinstance(exc, _shape_error_types()):
        return INPUT, _one_line(f"the shapes do not fit: {exc}")
    if isinstance(exc, RecursionError):
        return INTERNAL, internal_reason("the expression is nested too deeply for derivcheck (RecursionError)")
    if isinstance(exc, MemoryError):
        return INTERNAL, internal_reason("ran out of memory (MemoryError)")
    return INTERNAL, internal_reason(f"{type(exc).__name__}: {exc}")


def internal_reason(short: str) -> str:
    """The reason shown for a bug in derivcheck: what happened, and what to do about it."""
    return _one_line(f"internal error in derivcheck: {_one_line(short, 140)}; please report it with the step", 260)


# -- screening before any work --------------------------------------------------------------------

def screen(exprs: list[sp.Basic], relation: str) -> str | None:
    """Why a step with these sides cannot be checked as written (an input problem), or None.

    ``exprs`` are the step's sides (before, after, hypotheses); a side may be a relation only at
    its top (an equation in a chain, an inequality in a claim or hypothesis).
    """
    for e in exprs:
        if e is None:
            continue
        if isinstance(e, BooleanAtom) or e in (sp.true, sp.false):
            return ("SymPy decided this side while building it (it became True or False), so there is nothing "
                    "left to check; build it unevaluated, e.g. sp.Eq(a, b, evaluate=False)")
        tops = e.args if isinstance(e, sp.Rel) else (e,)
        if relation == "=" and isinstance(e, sp.Rel) and not isinstance(e, sp.Eq):
            return (f"a step's side contains a relation ({_short(e)}); a '=' step joins expressions or "
                    "equations: state an inequality as a claim")
        for top in tops:
            inner = _inner_relation(top)
            if inner is not None:
                return (f"a step's side contains a relation ({_short(inner)}) inside an expression; "
                        "write one relation per step")
        problem = _huge_power(e)
        if problem:
            return problem
    return None


def _short(e: sp.Basic) -> str:
    return _one_line(safe_str(e), 80)


def _inner_relation(e: sp.Basic) -> sp.Basic | None:
    """The first relation (or logical connective) inside an expression; Piecewise conditions are fine."""
    if isinstance(e, sp.Piecewise) or not isinstance(e, sp.Basic):
        return None
    if isinstance(e, (sp.Rel, Boolean)) and not isinstance(e, sp.Symbol):  # a Symbol is also a Boolean
        return e
    for arg in e.args:
        found = _inner_relation(arg)
        if found is not None:
            return found
    return None


def _huge_power(e: sp.Basic) -> str | None:
    """A refusal for an exact power (or a tower) whose value would have more than MAX_EXACT_DIGITS digits."""
    for r in e.atoms(sp.Rational):  # a number already that long (SymPy evaluated the power while building)
        bits = max(abs(int(r.p)).bit_length(), int(r.q).bit_length())
        if bits > MAX_EXACT_DIGITS * 3.33:
            return (f"a number in this step has about {bits * math.log10(2):,.0f} digits; derivcheck refuses exact "
                    f"values of more than {MAX_EXACT_DIGITS:,} digits: write the step with a symbol for it")
    for node in sp.preorder_traversal(e):
        if isinstance(node, sp.Pow) and node.base.is_number and node.exp.is_number:
            digits = _log10_size(node)
            if digits is not None and digits > MAX_EXACT_DIGITS:
                size = "more digits than can be written down" if math.isinf(digits) else f"about {digits:,.0f} digits"
                return (f"the exact power {_short(node)} would have {size}; derivcheck refuses exact values of "
                        f"more than {MAX_EXACT_DIGITS:,} digits: write the step with a symbol for it")
    return None


def _log10_size(e: sp.Basic) -> float | None:
    """An upper bound of log10|e| for a number built of rationals, powers, products and sums (no evaluation)."""
    if isinstance(e, sp.Rational):
        return max(_log10_int(int(e.p)), _log10_int(int(e.q)))
    if isinstance(e, sp.Float):
        return 0.0 if e == 0 else abs(float(sp.log(abs(e), 10))) if abs(e) < 1e300 else 1e6
    if isinstance(e, sp.Pow):
        base, exp = _log10_size(e.base), _log10_size(e.exp)
        if base is None or exp is None:
            return None
        if exp > 300:
            return math.inf
        return abs(base) * 10**exp
    if isinstance(e, (sp.Mul, sp.Add)):
        sizes = [_log10_size(a) for a in e.args]
        known = [s for s in sizes if s is not None]
        if len(known) != len(sizes):
            return None
        return sum(known) + (math.log10(len(sizes)) if isinstance(e, sp.Add) else 0)
    if e.is_number:  # pi, E, sqrt(2) and the like: small
        return 1.0
    return None


def _log10_int(n: int) -> float:
    return 0.0 if n == 0 else math.log10(abs(n))
