"""Declarations the document's own mathematics states: ``X \\in \\mathbb{R}^{N\\times d}``, ``w, x \\in \\mathbb{R}^n``,
``\\lambda > 0``, ``0 < p < 1``, ``i = 1, \\dots, N``.

:func:`declarations_from_text` reads one piece of mathematics (a display row, or the inline math of
the prose) and declares what it states in the scope, returning one human-readable line per
declaration ("X is a real N×d matrix") for the report. Nothing is guessed: a statement it does not
recognise declares nothing; a name already declared (by a comment, which overrides the text) is
left as it is; the sizes of a stated matrix are declared as dimensions.
"""

from __future__ import annotations

import sympy as sp

from checks.errors import DeclarationError, InputError
from checks.latex.declarations import DeclarationScope, _name
from checks.latex.formulas import Notation
from checks.latex.names import canonical_name, is_name, join
from checks.latex.tokens import Tok, TokenError, tokenize

_REALS = (r"\mathbb{R}", r"\R", r"\Bbb{R}", r"\mathbf{R}")
_BOUNDS = {"<": "lt", r"\lt": "lt", ">": "gt", r"\gt": "gt", r"\le": "le", r"\ge": "ge", r"\neq": "ne"}


def declarations_from_text(math: str, scope: DeclarationScope, where: str) -> list[str]:
    """Declare what ``math`` states (types, signs, ranges, index ranges); one description per declaration."""
    try:
        toks = [t for t in tokenize(math.replace("$", " ")) if t.text not in (r"\text", r"\forall")]
    except TokenError:
        return []
    found: list[str] = []
    for clause in _clauses(toks):
        try:
            found += _clause(clause, scope)
        except DeclarationError as exc:
            raise InputError(str(exc), where) from None
    if found:
        n = scope.notation
        scope.notation = Notation(scope.ctx, n.lets, n.identity, functions=n.functions)
    return found


def _clauses(toks: list[Tok]) -> list[list[Tok]]:
    """Split at top-level ``,`` / ``;`` / ``\\quad`` that follow a complete statement (``w, x \\in`` stays one)."""
    out, cur, depth = [], [], 0
    for t in toks:
        depth += {"{": 1, "(": 1, "}": -1, ")": -1}.get(t.text, 0)
        if depth == 0 and t.text in (",", ";", r"\text", r"\quad", r"\qquad", r"\and") and _complete(cur):
            out.append(cur)
            cur = []
        else:
            cur.append(t)
    out.append(cur)
    return [c for c in out if c]


def _complete(toks: list[Tok]) -> bool:
    texts = [t.text for t in toks]
    if "=" in texts:  # i = 1, \dots, N continues over commas
        return texts[-1] not in (r"\ldots", "1", ",") and "\\ldots" in texts
    return r"\in" in texts or any(x in _BOUNDS for x in texts)


def _clause(toks: list[Tok], scope: DeclarationScope) -> list[str]:
    texts = [t.text for t in toks]
    if r"\in" in texts:
        k = texts.index(r"\in")
        return _membership(toks[:k], toks[k + 1:], scope)
    if "=" in texts and r"\ldots" in texts:
        return _index_range(toks, scope)
    bounds = [k for k, t in enumerate(texts) if t in _BOUNDS]
    if len(bounds) == 2 and texts[bounds[0]] in ("<", r"\lt", r"\le") and texts[bounds[1]] in ("<", r"\lt", r"\le"):
        return _interval(toks[:bounds[0]], toks[bounds[0] + 1:bounds[1]], toks[bounds[1] + 1:], scope)
    if len(bounds) == 1 and join(toks[bounds[0] + 1:]) == "0":
        return _sign(toks[:bounds[0]], _BOUNDS[texts[bounds[0]]], scope)
    return []


def _declared(scope: DeclarationScope, spelling: str) -> bool:
    return canonical_name(spelling) in scope.notation.names or spelling in scope.notation.identity


def _names(toks: list[Tok]) -> list[str]:
    parts, cur = [], []
    for t in toks:
        if t.text == ",":
            parts.append(join(cur))
            cur = []
        else:
            cur.append(t)
    parts.append(join(cur))
    return [p for p in parts if p]


def _membership(left: list[Tok], right: list[Tok], scope: DeclarationScope) -> list[str]:
    """``w, x \\in \\mathbb{R}^n``, ``X \\in \\mathbb{R}^{N \\times d}``, ``\\lambda \\in \\mathbb{R}_{+}``."""
    text = join(right).replace(" ", "")
    real = next((r for r in _REALS if text.startswith(r.replace(" ", ""))), None)
    if real is None:
        return []
    rest = text[len(real):]
    positive = rest.startswith(("_{+}", "_+", "_{>0}", "^+", "^{+}"))
    if positive:
        rest = rest.split("}", 1)[1] if rest.startswith("_{") else rest[2:]
    sizes: list[str] = []
    if rest.startswith("^"):
        body = rest[2:-1] if rest.startswith("^{") and rest.endswith("}") else rest[1:]
        sizes = [s for s in body.replace(r"\times", "|").replace("*", "|").replace("×", "|").split("|") if s]
    elif rest:
        return []
    ctx, out = scope.ctx, []
    shape = []
    for size in sizes:
        if size.isdigit():
            shape.append(int(size))
            continue
        obj = scope.notation.names.get(canonical_name(size))
        if obj is None:
            name, _ = _name(size)
            obj = ctx.dim(name)
            scope.notation.names[canonical_name(size)] = obj
            out.append(f"{size} is a dimension (a positive integer)")
        elif obj not in ctx.dims_:
            return out
        shape.append(obj)
    for spelling in _names(left):
        if not is_name(spelling) or _declared(scope, spelling):
            continue
        name, latex = _name(spelling)
        if len(shape) == 0:
            ctx.scalar(name, latex=latex, positive=positive)
            out.append(f"{spelling} is a real scalar" + (" > 0" if positive else ""))
        elif len(shape) == 1:
            ctx.vector(name, shape[0], latex=latex)
            out.append(f"{spelling} is a real vector of size {sizes[0]}")
        elif len(shape) == 2:
            ctx.matrix(name, shape[0], shape[1], latex=latex)
            out.append(f"{spelling} is a real {sizes[0]}×{sizes[1]} matrix")
    return out


def _sign(left: list[Tok], kind: str, scope: DeclarationScope) -> list[str]:
    """``\\lambda > 0``, ``\\sigma \\ge 0``, ``x \\neq 0`` for a name not yet declared."""
    spelling = join(left)
    if not is_name(spelling) or _declared(scope, spelling):
        return []
    flag = {"gt": "positive", "ge": "nonnegative", "ne": "nonzero"}.get(kind)
    if flag is None:
        return []
    name, latex = _name(spelling)
    scope.ctx.scalar(name, latex=latex, **{flag: True})
    words = {"positive": "> 0", "nonnegative": "≥ 0", "nonzero": "≠ 0"}[flag]
    return [f"{spelling} is a real scalar {words}"]


def _interval(low: list[Tok], middle: list[Tok], high: list[Tok], scope: DeclarationScope) -> list[str]:
    """``0 < p < 1``: a scalar in an open interval (closed ends are read as open: samplers stay inside)."""
    spelling = join(middle)
    try:
        lo, hi = sp.Rational(join(low)), sp.Rational(join(high))
    except (TypeError, ValueError):
        return []
    if not is_name(spelling) or _declared(scope, spelling):
        return []
    name, latex = _name(spelling)
    scope.ctx.scalar(name, latex=latex, interval=(lo, hi))
    return [f"{spelling} is a real scalar in ({lo}, {hi})"]


def _index_range(toks: list[Tok], scope: DeclarationScope) -> list[str]:
    """``i = 1, \\dots, N``: an index over 1..N (N a declared dimension)."""
    texts = [t.text for t in toks]
    k = texts.index("=")
    spelling, rest = join(toks[:k]), [t for t in texts[k + 1:] if t not in (",", r"\ldots")]
    if len(rest) != 2 or rest[0] != "1" or _declared(scope, spelling):
        return []
    upper = scope.notation.names.get(canonical_name(rest[1]))
    if upper is None or upper not in scope.ctx.dims_:
        return []
    scope.ctx.index(_name(spelling)[0], upper)
    return [f"{spelling} runs over 1, …, {rest[1]}"]
