"""Domains of indexed data stated by the text, the way papers write them.

"where $\\sigma_j > 0$ for all $j$", "$w_i \\ge 0$", "$p_i \\in (0, 1)$", "$0 < p_i < 1$",
"$\\sigma_j \\in \\mathbb{R}_{>0}$": a sign or an open interval of an entry ``x_j`` whose indices are
declared indices is a statement about every entry of the data x. :func:`stated_domain` reads it as
the comment would say it (``% derivcheck: data \\sigma j positive``): it declares new data with that
domain, or narrows the domain of data declared before (by a comment or the text). Nothing else is
read into it: a closed interval (``0 \\le p_i \\le 1``, ``[0, 1]``) or a fact about one entry (``\\sigma_1 > 0``)
is kept as an unread fact, so that no counterexample is trusted without it, and the provers never
use a strict sign the text did not state.
"""

from __future__ import annotations

import re
from collections.abc import Collection

import sympy as sp

from derivcheck_steps.declared import DataDecl
from derivcheck_steps.errors import DeclarationError
from derivcheck_steps.latex.declarations import DeclarationScope, _name, declare
from derivcheck_steps.latex.names import canonical_name, join
from derivcheck_steps.latex.stated_families import _entry, declared, names_of
from derivcheck_steps.latex.tokens import Tok

#: sets (spaces removed) -> the domain they give every entry
_SETS = {
    **{
        s: {"positive": True}
        for s in (
            r"\mathbb{R}_{+}",
            r"\mathbb{R}_+",
            r"\mathbb{R}_{>0}",
            r"\mathbb{R}^+",
            r"\mathbb{R}^{+}",
            r"\mathbb{R}_{++}",
            r"(0,\infty)",
            r"(0,+\infty)",
        )
    },
    **{s: {"nonnegative": True} for s in (r"\mathbb{R}_{\ge0}", r"\mathbb{R}_{\geq0}", r"[0,\infty)", r"[0,+\infty)")},
    **{s: {"nonzero": True} for s in (r"\mathbb{R}\setminus\{0\}", r"\mathbb{R}\backslash\{0\}")},
}
_SIGNS = {"gt": {"positive": True}, "ge": {"nonnegative": True}, "ne": {"nonzero": True}}
_OPEN = re.compile(r"\(([^,()\[\]]+),([^,()\[\]]+)\)")
_CLOSED = re.compile(r"[\[(]([^,()\[\]]+),([^,()\[\]]+)[\])]")


def _parts(form: tuple) -> tuple[list[str], dict | None, bool] | None:
    """(the spellings a statement is about, the domain it states, whether an end is closed); None for
    a form that states no domain."""
    kind = form[0]
    if kind == "sign":
        return [join(form[1])], _SIGNS.get(form[2]), False
    if kind == "interval":
        return [join(form[2])], _interval(form[1], form[3]), form[4]
    if kind == "membership":
        return (names_of(form[1]), *_membership(join(form[2]).replace(" ", "")))
    return None


def about_data(form: tuple, scope: DeclarationScope, reserved: Collection[str]) -> bool:
    """Whether a sign, interval or membership statement is about entries of indexed data."""
    parts = _parts(form)
    return parts is not None and any(_about_data(s, scope, reserved) for s in parts[0])


def stated_domain(
    form: tuple, scope: DeclarationScope, reserved: Collection[str], where: str, *, narrow: bool = True
) -> list[str] | None:
    """What a sign, interval or membership statement about data entries declares; None if it is about no entry.

    ``form`` is a statement form of :mod:`derivcheck_steps.latex.statements`: ``("sign", left, kind)``,
    ``("interval", low, middle, high, closed)`` or ``("membership", left, right)``. ``narrow``: whether
    it may narrow the domain of data declared before (the prose may; a display row saying σ_j > 0
    about declared σ is a claim to check, and declares nothing).
    """
    kind = form[0]
    parts = _parts(form)
    if parts is None:
        return None
    spellings, domain, closed = parts
    if not any(_about_data(s, scope, reserved) for s in spellings):
        return None
    if kind == "membership" and domain is None and not closed:
        return None  # x_j \in \mathbb{R}: real data, read as before
    out: list[str] = []
    for spelling in spellings:
        if not narrow and _data_base(spelling, scope) is not None:
            continue
        if closed or domain is None:
            how = "only open intervals are read" if closed else "no declaration word says this sign"
            out += _unread_domain(spelling, how, scope, where, "in a closed interval" if closed else "of a stated sign")
            continue
        out += _declare(spelling, domain, scope, reserved, where)
    return out


def _interval(low: list[Tok], high: list[Tok]) -> dict | None:
    try:
        lo, hi = sp.Rational(join(low)), sp.Rational(join(high))
    except (TypeError, ValueError):
        return None
    return {"interval": (lo, hi)}


def _membership(text: str) -> tuple[dict | None, bool]:
    """(the domain, whether the set is a closed or half-closed interval the reader does not take)."""
    if text in _SETS:
        return _SETS[text], False
    m = _OPEN.fullmatch(text)
    if m is not None:
        try:
            return {"interval": (sp.Rational(m.group(1)), sp.Rational(m.group(2)))}, False
        except (TypeError, ValueError):
            return None, False
    return None, _CLOSED.fullmatch(text) is not None


def _about_data(spelling: str, scope: DeclarationScope, reserved: Collection[str]) -> bool:
    """Whether ``spelling`` is an entry (``\\sigma_j`` with j a declared index) or names an entry of declared data."""
    if _entry(spelling, scope) is not None:
        return True
    return _data_base(spelling, scope) is not None


#: a name with a subscript or superscript: ``\sigma_j``, ``\sigma_1``, ``x_{ij}``, ``x^{(1)}``
_SCRIPTED = re.compile(r"(\\?[A-Za-z]+)\s*[_^].+", re.S)


def _data_base(spelling: str, scope: DeclarationScope) -> sp.IndexedBase | None:
    r"""The declared data whose entry ``spelling`` is (any subscript: ``\sigma_1`` too), or None."""
    m = _SCRIPTED.fullmatch(spelling.strip())
    if m is None:
        return None
    obj = scope.notation.names.get(canonical_name(m.group(1)))
    return obj if obj in scope.ctx.data else None


def _words(domain: dict) -> tuple[str, str]:
    """(the declaration's domain words, how the report says it)."""
    if "interval" in domain:
        lo, hi = domain["interval"]
        return f"interval {lo} {hi}", f"in ({lo}, {hi})"
    word = next(iter(domain))
    return word, {"positive": "> 0", "nonnegative": "≥ 0", "nonzero": "≠ 0"}[word]


def _declare(spelling: str, domain: dict, scope: DeclarationScope, reserved: Collection[str], where: str) -> list[str]:
    entry = _entry(spelling, scope)
    base = _data_base(spelling, scope)
    words, said = _words(domain)
    if entry is None:  # \sigma_1 > 0: one entry of declared data (nothing new when every entry is so)
        if base is None or _implied(scope.ctx.data[base], domain):
            return []
        return _unread_domain(spelling, "a statement about one entry", scope, where, said)
    name, indices = entry
    every = f"for every {', '.join(indices)}"
    if base is None:
        if declared(scope, name, reserved):
            if _name(name)[0] in reserved and canonical_name(name) not in scope.notation.names:
                return _unread_domain(spelling, "its declaration comes later", scope, where, said)
            return []  # a name that is not data (a scalar, a matrix): nothing about entries
        declare(scope, "data", " ".join([_name(name)[0], *(_name(i)[0] for i in indices), words]), where)
        return [f"{spelling} is real data over {', '.join(indices)}, {said} {every}"]
    if len(indices) != len(scope.ctx.data[base].indices):
        return _unread_domain(spelling, f"{name} has {len(scope.ctx.data[base].indices)} indices", scope, where, said)
    try:
        new = scope.ctx.restrict_data(base, **domain)
    except DeclarationError as exc:
        return _unread_domain(spelling, str(exc), scope, where, said)
    if new == base:
        return []  # said before
    over = " ".join(str(i) for i in scope.ctx.data[new].indices)
    return [f"{spelling} {said} {every} (read as '% derivcheck: data {name} {over} {words}')"]


def _implied(decl: DataDecl, domain: dict) -> bool:
    """Whether every entry of ``decl`` already lies in the stated ``domain``."""
    if "interval" in domain:
        lo, hi = domain["interval"]
        return decl.low is not None and decl.high is not None and decl.low >= lo and decl.high <= hi
    if domain.get("positive"):
        return decl.low is not None and decl.low >= 0
    return bool(decl.nonnegative if domain.get("nonnegative") else decl.nonzero)


def _unread_domain(spelling: str, reason: str, scope: DeclarationScope, where: str, said: str) -> list[str]:
    """A stated domain that cannot be used: an unread fact (no counterexample is trusted without it)."""
    from derivcheck_steps.latex.prose import _unread

    return _unread(spelling, said, reason, scope, where)
