"""Statements about indexed things and names, shared by the statement forms: entries ``x_j^{(i)}`` of data
declared by ``x_j^{(i)}, t^{(i)} \\in \\mathbb{R}``, and i.i.d. random families
``m_j^{(i)} \\stackrel{\\text{i.i.d.}}{\\sim} \\mathrm{Ber}(p)`` / ``\\epsilon_i \\sim \\mathcal{N}(0, \\sigma^2)``.

An entry's indices must be declared indices (the superscript first, the reader's convention); a
family needs "i.i.d." stated (in the formula or its sentence): one law per entry says nothing about
independence. Each declares through :func:`derivcheck_steps.latex.declarations.declare`, as the comment would.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from derivcheck_steps.latex.declarations import DeclarationScope, _name, declare
from derivcheck_steps.latex.names import canonical_name, is_name, join
from derivcheck_steps.latex.tokens import Tok, TokenError

_LAWS = {"ber": "bernoulli", "bern": "bernoulli", "bernoulli": "bernoulli", "n": "normal", "normal": "normal",
         "gauss": "normal", "gaussian": "normal"}


def is_name_safe(spelling: str) -> bool:
    """Whether ``spelling`` is one name (False for a fragment whose braces do not match)."""
    try:
        return is_name(spelling)
    except TokenError:
        return False


def declared(scope: DeclarationScope, spelling: str, reserved: Collection[str] = ()) -> bool:
    """Whether the name is declared already (a symbol, function or abbreviation), or ``reserved`` (a comment of
    this context declares it)."""
    key, n = canonical_name(spelling), scope.notation
    return (key in n.names or spelling in n.identity or key in n.functions or n.let_for(key) is not None
            or _name(key)[0] in reserved)


def names_of(toks: list[Tok]) -> list[str]:
    """The comma-separated spellings of ``w, x``."""
    parts, cur = [], []
    for t in toks:
        if t.text == ",":
            parts.append(join(cur))
            cur = []
        else:
            cur.append(t)
    parts.append(join(cur))
    return [p for p in parts if p]


_ENTRY = re.compile(r"(?P<base>\\?[A-Za-z]+)(?:_\{?(?P<sub>\\?[A-Za-z])\}?)?(?:\^\{\((?P<sup>\\?[A-Za-z])\)\})?")


def _entry(spelling: str, scope: DeclarationScope) -> tuple[str, list[str]] | None:
    """``x_j^{(i)}`` -> ("x", ["i", "j"]) when every index is a declared index (the superscript first), else None."""
    m = _ENTRY.fullmatch(spelling.replace(" ", ""))
    if m is None or not (m.group("sub") or m.group("sup")):
        return None
    indices = [g for g in (m.group("sup"), m.group("sub")) if g]
    for ix in indices:
        if scope.notation.names.get(canonical_name(ix)) not in scope.ctx.indices:
            return None
    return m.group("base"), indices


def indexed(spelling: str, scope: DeclarationScope, reserved: Collection[str]) -> bool:
    """Whether ``spelling`` is an entry: a base with a subscript/superscript that is a declared (or reserved) index."""
    m = _ENTRY.fullmatch(spelling.replace(" ", ""))
    if m is None:
        return False
    return any(g and (scope.notation.names.get(canonical_name(g)) in scope.ctx.indices or _name(g)[0] in reserved)
               for g in (m.group("sub"), m.group("sup")))


def data(spelling: str, scope: DeclarationScope, reserved: Collection[str], where: str) -> list[str]:
    """``x_j^{(i)} \\in \\mathbb{R}``: real data indexed by declared indices (``data x i j``)."""
    entry = _entry(spelling, scope)
    if entry is None or declared(scope, entry[0], reserved):
        return []
    base, indices = entry
    declare(scope, "data", " ".join([_name(base)[0], *(_name(i)[0] for i in indices)]), where)
    return [f"{spelling} is real data over {', '.join(indices)}"]


def random_family(left: list[Tok], right: list[Tok], scope: DeclarationScope, reserved: Collection[str], iid: bool,
            where: str) -> list[str]:
    """``m_j^{(i)} \\stackrel{\\text{i.i.d.}}{\\sim} \\mathrm{Ber}(p)``, ``\\epsilon_i \\sim \\mathcal{N}(0, \\sigma^2)``
    (with i.i.d. stated)."""
    law = re.fullmatch(r"(?:\\(?:mathrm|operatorname|text|mathcal|mathbf|mathsf)\{)?([A-Za-z]+)\}?\((.*)\)",
                       join(right).replace(" ", ""))
    kind = _LAWS.get(law.group(1).lower()) if law else None
    if kind is None or not iid:
        return []
    params = _params(law.group(2))
    if len(params) != (1 if kind == "bernoulli" else 2) or any(not p for p in params):
        return []
    out = []
    for spelling in names_of(left):
        entry = _entry(spelling, scope)
        if entry is None or declared(scope, entry[0], reserved):
            continue
        base, indices = entry
        declare(scope, "random", " ".join([_name(base)[0], *(_name(i)[0] for i in indices), kind, *params]), where)
        law_text = f"Bernoulli({params[0]})" if kind == "bernoulli" else f"N({params[0]}, {params[1]})"
        out.append(f"{spelling} are i.i.d. {law_text} over {', '.join(indices)}")
    return out


def _params(text: str) -> list[str]:
    out, cur, depth = [], "", 0
    for ch in text:
        depth += {"{": 1, "(": 1, "}": -1, ")": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    return [*out, cur]
