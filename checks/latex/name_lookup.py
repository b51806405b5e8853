"""A name in a formula -> what it names: a declared name with its subscript and star, an entry of an
indexed family or of a matrix, a built-in constant (e, \\pi, \\delta_{ij}), a 'let' abbreviation, or a
declared function applied (``f(x)``, ``f'(x)``, entry by entry to a vector).
"""

from __future__ import annotations

import sympy as sp

from derivcheck_steps.latex.constructs import OPERATORS
from derivcheck_steps.latex.families import family_size, member
from derivcheck_steps.latex.formulas import FunctionDecl, Parser, bound_range_key
from derivcheck_steps.latex.functions import function_argument
from derivcheck_steps.latex.names import declare_hint, join, read_base
from derivcheck_steps.latex.notation import power, scalar
from derivcheck_steps.latex.tokens import Tok
from derivcheck_steps.quoting import quoted


def declared_function(p: Parser, key: str) -> FunctionDecl:
    """The function declared under ``key``."""
    return p.n.functions[key]


def apply_declared(p: Parser, f: FunctionDecl, primes: int, tok: Tok) -> sp.Basic:
    """``f(args)`` (or ``f'(args)``) for a declared function: its body with the arguments, or an opaque application."""
    if not p.at("(", "[", r"\{"):
        raise p.fail(f"the function {f.key} needs its argument in parentheses: {f.key}(x)", tok)
    raw = function_argument(p, tok)
    if len(raw) == 1 and isinstance(raw[0], sp.MatrixExpr) and raw[0].shape != (1, 1):
        return _elementwise(p, f, primes, raw[0], tok)
    args = [scalar(p, a, tok) for a in raw]
    params = f.params if f.body is not None else tuple(sp.Symbol(f"_u{k}", real=True) for k in range(len(args)))
    if f.body is not None and len(args) != len(params):
        raise p.fail(f"{f.key} takes {len(params)} argument(s)", tok)
    body = f.body if f.body is not None else f.opaque()(*params)
    if primes:
        if len(params) != 1:
            raise p.fail(f"{f.key}' of a function of several variables: write the partial derivative", tok)
        body = sp.diff(body, params[0], primes)
    return body.subs(dict(zip(params, args, strict=True)), simultaneous=True)


def _elementwise(p: Parser, f: FunctionDecl, primes: int, v: sp.MatrixExpr, tok: Tok) -> sp.Basic:
    """``\\sigma(Xw)``: a declared function of one variable applied to each entry of a matrix or vector."""
    from derivcheck_steps.latex.families import C, R, entry, entrywise

    params = f.params if f.body is not None else (sp.Symbol("_u0", real=True),)
    if len(params) != 1:
        raise p.fail(f"{f.key} of a matrix or vector: only a function of one variable applies entry by entry", tok)
    body = f.body if f.body is not None else f.opaque()(*params)
    if primes:
        body = sp.diff(body, params[0], primes)
    return entrywise(v, body.subs(params[0], entry(v, R, C)))


def name_or_application(p: Parser, tok: Tok) -> sp.Basic:
    """A name (declared, or a built-in constant when not declared), or a declared function applied."""
    start = p.k - 1
    base = read_base(p.toks, start)
    if base is None:
        raise p.fail(f"cannot read a name at {quoted(tok.text)}", tok)
    key, p.k = base
    primes = 0
    while p.at("'"):
        p.next()
        primes += 1
    if key in p.n.functions:
        return apply_declared(p, p.n.functions[key], primes, tok)
    key += "'" * primes
    if key not in p.local and key not in p.n.names:
        special = _undeclared_special(p, key, tok)
        if special is not None:
            return special
    return resolve_name(p, key, start, tok)


def _undeclared_special(p: Parser, key: str, tok: Tok) -> sp.Basic | None:
    if key == "E" and p.at("[", "(", "_"):
        return OPERATORS["E"](p, tok)
    if key == "e" and p.at("^"):
        return sp.E  # e^{x} is Euler's number when e is not declared as something else
    if key == r"\pi" and not p.at("_", "^"):
        return sp.pi
    if key == r"\pi" and p.at("^"):
        return sp.pi
    if key == r"\delta" and p.at("_"):
        p.next()
        raw = p.raw_argument()
        idx = [t for t in raw if t.text != ","]
        if len(idx) != 2:
            raise p.fail("\\delta_{ij} takes two indices", tok)
        for t in idx:
            if _undeclared_letter(p, [t]):
                size = next(iter(p.n.ctx.dims_), None) if len(p.n.ctx.dims_) == 1 else None
                raise p.fail(f"`{t.text}` in \\delta_{{{''.join(x.text for x in idx)}}} is an index that is not declared: "
                             f"add `% derivcheck: index {t.text} {size or 'N'}`"
                             + ("" if size else " (N: its range)"), t)
        return sp.KroneckerDelta(p.sub([idx[0]]), p.sub([idx[1]]))
    return None


def resolve_name(p: Parser, key: str, start: int, tok: Tok) -> sp.Basic:
    """A declared name with its subscript (as part of the name, or as indices) and its superscript star."""
    from derivcheck_steps.latex.names import STARS

    sub = star = None
    k = p.k
    if p.at("_"):
        p.next()
        sub = p.raw_argument()
    if p.at("^") and p.peek(1) is not None and (p.peek(1).text in STARS or (
            p.peek(1).text == "{" and p.peek(3) is not None and p.peek(2).text in STARS and p.peek(3).text == "}")):
        p.next()
        star = join(p.raw_argument())
    lookup = {**p.n.names, **p.local}
    starred = f"^{{{star}}}" if star else ""
    if sub is not None and not _entry_of_bound_index(p, lookup.get(key + starred), sub):
        for cand in (key + f"_{{{join(sub)}}}" + starred, key + f"_{{{join(sub)}}}"):
            obj = lookup.get(cand)
            if obj is not None and not isinstance(obj, sp.IndexedBase):
                if star and not cand.endswith(starred):
                    break
                if _bound_by_sum(p, sub) and not getattr(obj, "is_Matrix", False):
                    letters = ", ".join(t.text for t in sub if t.text != ",")
                    raise p.fail(f"{cand} is declared as a name of its own, so it would not change with the sum's "
                                 f"index {letters}: declare {key} as data indexed by {letters} "
                                 f"(`% derivcheck: data {key} {letters}`) or write the name without that subscript", tok)
                return obj
    obj = lookup.get(key + starred)
    if isinstance(obj, sp.IndexedBase):
        return _indexed(p, obj, key, sub, tok)
    if obj is not None:
        if sub is not None and isinstance(obj, sp.MatrixSymbol):
            return _matrix_entry(p, obj, key, sub, tok)
        if sub is not None:
            raise p.fail(f"{key} is declared without indices but is written with a subscript {quoted(join(sub))}", tok)
        return obj
    if key == "I" and "I" in p.n.identity and sub is None:
        return p.n.identity["I"]
    if key in ("I", r"\mathbb{I}") and sub is not None and not star:  # I_n: the identity of a declared size
        size = p.n.names.get(join(sub)) if len(sub) == 1 else None
        if size in p.n.ctx.dims_:
            return sp.Identity(size)
    full = key + (f"_{{{join(sub)}}}" if sub is not None else "") + (f"^{{{star}}}" if star else "")
    replacement = p.n.let_for(full)
    if replacement is not None:  # a 'let' name written another way (\bar x for \bar{x}): its value, in parentheses
        return _let_value(p, replacement, tok)
    spelling = p.src[p.toks[start].pos:p.toks[p.k - 1].pos + len(p.toks[p.k - 1].text)]
    p.k = k
    raise p.fail(declare_hint(spelling.strip()), tok)


def _entry_of_bound_index(p: Parser, base: sp.Basic | None, sub: list[Tok]) -> bool:
    """Whether ``x_k`` is an entry of the vector, matrix or family ``x`` because an enclosing sum binds ``k``.

    Inside Σ_k a name ``x_k`` declared on its own (``$y_k \\ge 0$`` read from the prose) would not vary
    with ``k``: the sum's index makes it the entry ``x_k`` of the declared ``x``.
    """
    if not isinstance(base, sp.MatrixSymbol | sp.IndexedBase):
        return False
    bound = [p.local.get(t.text) for t in sub if t.text != ","]
    return bool(bound) and all(isinstance(ix, sp.Symbol) and bound_range_key(ix) in p.local for ix in bound)


def _bound_by_sum(p: Parser, sub: list[Tok]) -> bool:
    """Whether every letter of the subscript is the index of an enclosing sum (Σ_i … x_i …)."""
    letters = [t for t in sub if t.text != ","]
    bound = [p.local.get(t.text) for t in letters]
    return bool(letters) and all(isinstance(ix, sp.Symbol) and bound_range_key(ix) in p.local for ix in bound)


def _let_value(p: Parser, replacement: str, tok: Tok) -> sp.Basic:
    from derivcheck_steps.latex.tokens import tokenize

    inner = Parser(p.n, replacement, tokenize(p.n.expand_lets(replacement)), p.local)
    value = inner.expression()
    if inner.peek() is not None:
        raise p.fail(f"the abbreviation of this name does not read as one expression: {quoted(replacement)}", tok)
    return value


def _indexed(p: Parser, base: sp.IndexedBase, key: str, sub: list[Tok] | None, tok: Tok) -> sp.Basic:
    """``x_j^{(i)}`` (the superscript is the first index), ``t^{(i)}``, ``w_j``, ``t^{(i)2}``."""
    indices, after = [], None
    if p.at("^") and p.peek(1) is not None and p.peek(1).text == "{" and p.peek(2) is not None \
            and p.peek(2).text == "(":
        p.next()
        sup = p.raw_argument()
        depth = 0
        for m, t in enumerate(sup):
            depth += {"(": 1, ")": -1}.get(t.text, 0)
            if depth == 0:
                indices.append(p.sub(sup[1:m]))
                after = sup[m + 1:] or None
                break
    elif p.at("^") and p.peek(1) is not None and p.peek(1).text == "(" and sub is None:
        p.next()
        opener = p.next()
        indices.append(p.group(opener, ")"))
    if sub is not None:
        parts, cur = [], []
        for t in sub:
            if t.text == ",":
                parts.append(cur)
                cur = []
            else:
                cur.append(t)
        parts.append(cur)
        if len(parts) == 1 and len(sub) == 2 and all(t.text.isalpha() for t in sub) and _rank(p, base) == 2 \
                and not indices:
            parts = [[sub[0]], [sub[1]]]  # x_{ij}
        indices.extend(p.sub(part) for part in parts)
    rank = _rank(p, base)
    size = family_size(p.n.ctx, base)
    if size is not None and len(indices) == rank - 1:  # x_i of 'vector x d per i': the column x_i
        if after is not None:
            raise p.fail(f"{key}^{{(i)}} is a vector: write a power of a number made from it", tok)
        return member(base, tuple(indices), size)
    if len(indices) != rank:
        example = f"{key}_j^{{(i)}}" if rank == 2 else f"{key}_j"
        raise p.fail(f"{key} takes {rank} index(es): write e.g. {example}", tok)
    value = base[tuple(indices)] if indices else base  # a family without indices is one random variable
    if after is not None:
        value = power(p, value, p.sub(after), tok)
    return value


def _matrix_entry(p: Parser, m: sp.MatrixSymbol, key: str, sub: list[Tok], tok: Tok) -> sp.Basic:
    """``A_{kj}`` / ``A_{k,j}`` / ``x_k``: an entry of a declared matrix or vector, indices counted from 1.

    Only declared indices are read as indices (``x_1`` of a vector x is an error unless x_1 is declared
    as a name of its own), so a subscript that is part of a name is never misread as an entry.
    """
    parts = [[t] for t in sub if t.text != ","] if len(sub) <= 3 else []
    indices = [p.local.get(t[0].text) or p.n.names.get(t[0].text) for t in parts]
    if not indices or not all(ix in p.n.ctx.indices or _bound_within(p, ix, size)
                              for ix, size in zip(indices, m.shape, strict=False)):
        raise p.fail(entry_hint(p, m, key, [join(t) for t in parts]), tok)
    if len(indices) == 1 and m.shape[1] == 1:
        return m[indices[0] - 1, 0]
    if len(indices) == 2:
        return m[indices[0] - 1, indices[1] - 1]
    raise p.fail(f"{key} is a {m.shape[0]}×{m.shape[1]} matrix: write both indices, {key}_{{kj}}", tok)


def _bound_within(p: Parser, ix: sp.Basic, size: sp.Basic) -> bool:
    """Whether ``ix`` is a summation index whose written range lies in 1..size (Σ_{k=1}^{K} z_k of z in R^K)."""
    if not isinstance(ix, sp.Symbol):
        return False
    bounds = p.local.get(bound_range_key(ix))
    if bounds is None:
        return False
    lo, hi = bounds
    return bool(sp.simplify(lo - 1).is_nonnegative) and bool(sp.simplify(size - hi).is_nonnegative)


def _undeclared_letter(p: Parser, raw: list[Tok]) -> bool:
    """Whether ``raw`` is one letter that names nothing (an index the document did not declare)."""
    return (len(raw) == 1 and len(raw[0].text) == 1 and raw[0].text.isalpha()
            and raw[0].text not in p.local and raw[0].text not in p.n.names)


def entry_hint(p: Parser, m: sp.MatrixSymbol, key: str, written: list[str]) -> str:
    """What to write for an entry of ``m`` whose subscript is not read as its indices."""
    rows, cols = m.shape
    letters = [w for w in written if len(w) == 1 and w.isalpha()] or ["k"]
    if cols == 1:
        k = letters[0]
        return (f"{key} is a vector of size {rows}: its entries are written with declared indices, "
                f"{key}_{k} needs `% derivcheck: index {k} {rows}` or a sum over {k}'s range, "
                f"\\sum_{{{k}=1}}^{{{rows}}}")
    a, b = (letters + ["j"])[:2] if len(letters) < 2 or letters[0] != letters[1] else ("k", "j")
    return (f"{key} is a {rows}×{cols} matrix: an entry {key}_{{{a}{b}}} needs declared indices, "
            f"`% derivcheck: index {a} {rows}` and `% derivcheck: index {b} {cols}`")


def _rank(p: Parser, base: sp.IndexedBase) -> int:
    decl = p.n.ctx.data.get(base)
    if decl is not None:
        return len(decl.indices)
    fam = p.n.ctx.family_of(base)
    return len(fam.indices) if fam is not None else 1
