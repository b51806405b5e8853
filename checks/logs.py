"""Logarithms of positive factors, expanded: log(uv) = log u + log v and log(u^a) = a·log u for u, v > 0, a real.

SymPy applies these rules only to factors it knows are positive; the declarations know more
(0 < p < 1 makes 1 − p positive, a sum of exponentials over a nonempty range is positive, data
entries are real so e^{z_j} is positive). Each factor of a logarithm's argument, and each base of
a power there, that the context shows positive is replaced by a positive symbol, SymPy expands the
logarithms, and the factors are put back: every rule applied was valid at every point.
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from derivcheck_steps import domains
from derivcheck_steps.context import Context
from derivcheck_steps.declared import entry_stand_in


def _positive_parts(arg: sp.Basic, ctx: Context) -> list[sp.Basic]:
    out = []
    for f in sp.Mul.make_args(arg):
        base, _ = f.as_base_exp()
        for cand in (base, f):  # the base first: log(u^a) = a·log u needs u > 0 (and a real)
            if cand.is_number or cand.is_positive or isinstance(cand, sp.exp):
                continue  # SymPy knows these (e^x with x real: the entries become real symbols)
            if domains.holds_by_context(domains.Condition("positive", cand), ctx):
                out.append(cand)
                break
    return out


def uses_context(e: sp.Basic, ctx: Context | None) -> bool:
    """Whether ``expand_logs`` would use the declarations (a positive factor, or a real data entry)."""
    if ctx is None or not e.has(sp.log):
        return False
    return bool(e.atoms(sp.Indexed, MatrixElement)) or any(_positive_parts(g.args[0], ctx) for g in e.atoms(sp.log))


def expand_logs(e: sp.Basic, ctx: Context | None) -> sp.Basic:
    """``e`` with logarithms expanded over the factors the context shows positive (module docstring)."""
    if ctx is None or not e.has(sp.log):
        return e
    swap: dict[sp.Basic, sp.Dummy] = {}
    for log in e.atoms(sp.log):
        for part in _positive_parts(log.args[0], ctx):
            swap.setdefault(part, sp.Dummy("pos", positive=True))
    entries = {a: entry_stand_in(a) for a in e.atoms(sp.Indexed, MatrixElement)}  # declared data are real (signed if declared)
    swapped = e.xreplace(swap).xreplace(entries)
    back = {d: a for a, d in entries.items()}
    out = sp.expand_log(swapped, force=False).xreplace(back)
    return sp.expand(out.xreplace({d: part for part, d in swap.items()}))
