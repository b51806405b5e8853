"""Declarations in comments: ``% derivcheck: WORD ARGS`` -> entries of a Context and its Notation.

One function, :func:`declare`, applies one declaration line to a :class:`DeclarationScope` (the
context being declared and the notation the reader uses with it). See :mod:`checks.latex.documents`
for the list of declarations; each problem is an :class:`~checks.errors.InputError` with its location.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

import sympy as sp

from checks.context import Context
from checks.errors import InputError
from checks.latex.formulas import FunctionDecl, LatexInputError, Notation, parse_formula
from checks.latex.names import GREEK as _GREEK_NAMES
from checks.latex.names import canonical_name, context_name, latex_key
from checks.randomness import Bernoulli, Moments, Normal


@dataclass
class DeclarationScope:
    """A context being declared, the notation read with it, and the directives waiting for the next display."""

    ctx: Context
    notation: Notation
    derivation: object = None  # the Derivation being read (checks.model.Derivation), or None
    chain: object = None  # the chain the next row continues, or None
    pending: dict = field(default_factory=dict)


def _formula(text: str, state: DeclarationScope, where: str) -> sp.Basic:
    try:
        return parse_formula(text, state.notation)
    except LatexInputError as exc:
        raise InputError(exc.message, where) from None


def declare(state: DeclarationScope, word: str, rest: str, where: str) -> None:  # noqa: C901
    """Apply one ``% derivcheck: WORD REST`` declaration to the scope; problems are located InputErrors."""
    ctx, args = state.ctx, rest.split()

    def need(k: int) -> None:
        if len(args) < k:
            raise InputError(f"'{word}' needs {k} argument(s): {rest!r}", where)

    def sym(name: str) -> sp.Basic:
        obj = state.notation.names.get(name) or state.notation.names.get("\\" + name)
        if obj is None:
            raise InputError(f"{name!r} is not declared", where)
        return obj

    if word == "dims":
        need(1)
        ctx.dims(" ".join(args))
    elif word == "index":
        need(2)
        ctx.index(args[0], sym(args[1]))
    elif word == "function":
        need(1)
        _function(state, rest, where)
        return
    elif word == "scalar":
        need(1)
        flags = [k for k, a in enumerate(args) if a in ("positive", "nonzero", "nonnegative", "interval")]
        args = [" ".join(args[:flags[0]]), *args[flags[0]:]] if flags and flags[0] > 1 else \
            ([" ".join(args)] if not flags else args)
        kw: dict = {}
        if "interval" in args:
            k = args.index("interval")
            if len(args) < k + 3:
                raise InputError("scalar NAME interval LOW HIGH needs both bounds", where)
            kw["interval"] = (args[k + 1], args[k + 2])  # Context.scalar checks they are finite numbers
        for flag in ("positive", "nonzero", "nonnegative"):
            if flag in args[1:]:
                kw[flag] = True
        name, latex = _name(args[0])
        ctx.scalar(name, latex=latex, **kw)
    elif word in ("matrix", "vector"):
        need(3 if word == "matrix" else 2)
        sizes = 2 if word == "matrix" else 1
        args = [" ".join(args[:-sizes]), *args[-sizes:]]  # a name may be written with spaces: \bar x
        shape = [_size(a, state, where) for a in args[1:3 if word == "matrix" else 2]]
        name, latex = _name(args[0])
        (ctx.matrix(name, *shape, latex=latex) if word == "matrix" else ctx.vector(name, *shape, latex=latex))
    elif word == "identity":
        need(2)
        state.notation.identity[args[0]] = sp.Identity(_size(args[1], state, where))
    elif word == "invertible":
        ctx.invertible(_formula(rest, state, where), because="declared in the document")
    elif word == "data":
        need(2)
        ctx.indexed(args[0], *(sym(a) for a in args[1:]), latex=template(args[0], len(args) - 1))
    elif word == "random":
        _random_law(state, rest, where) or _random(state, args, where)
    elif word == "independent":
        need(2)
        ctx.independent(*args)
    elif word == "centred":
        need(2)
        base = sym(args[0])
        ctx.centred(base, sym(args[1]))
    elif word == "assume":
        ctx.assume(_formula(rest, state, where), because="declared in the document")
    elif word == "let":
        pattern, eq, replacement = rest.partition(" = ")
        if not eq:
            raise InputError("let needs 'PATTERN = REPLACEMENT' (spaces around =)", where)
        state.notation.lets.append((pattern.strip(), replacement.strip()))
        return
    else:
        close = difflib.get_close_matches(word, [*WORDS, *DIRECTIVES], n=1)
        hint = f" — did you mean {close[0]!r}?" if close else f" (declarations: {', '.join(WORDS)})"
        raise InputError(f"unknown declaration {word!r}{hint}", where)
    state.notation = Notation(ctx, state.notation.lets, state.notation.identity, functions=state.notation.functions)


#: the declarations :func:`declare` reads, and the directives the document reader takes
WORDS = ("dims", "index", "scalar", "matrix", "vector", "identity", "invertible", "data", "random", "independent",
         "centred", "assume", "let", "function")
DIRECTIVES = ("context", "then", "expect", "equation", "by", "skip", "aside", "start", "inline")


def _name(spelling: str) -> tuple[str, str | None]:
    """The Context name and LaTeX spelling of a declared name (``\\sigma_w`` -> sigma_w; ``\\hat\\theta`` -> hat_theta)."""
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9_']*", spelling):
        return spelling, None  # a plain name: lambda is \lambda, sigma_w is \sigma_{w}
    key = canonical_name(spelling)
    name = context_name(key)
    return name, (key if latex_key(name) != key else None)


def _function(state: DeclarationScope, rest: str, where: str) -> None:
    """``function \\sigma(z) = BODY`` (by its definition) or ``function f`` / ``function f(x, y)`` (opaque)."""
    head, eq, body = rest.partition("=")
    head = head.strip()
    name, paren, params_text = head.partition("(")
    key = canonical_name(name.strip())
    if not key or (paren and not params_text.rstrip().endswith(")")):
        raise InputError("function NAME(PARAMS) = BODY, or function NAME (an unknown function)", where)
    params = [p.strip() for p in params_text.rstrip()[:-1].split(",")] if paren else ["x"]
    if any(not p for p in params):
        raise InputError(f"function {name.strip()}: empty parameter in {head!r}", where)
    symbols = tuple(sp.Symbol("_" + context_name(canonical_name(p)), real=True) for p in params)
    if not eq:
        state.notation.functions[key] = FunctionDecl(key, symbols if paren else (), None)
        return
    local = {canonical_name(p): s for p, s in zip(params, symbols, strict=True)}
    try:
        value = parse_formula(body.strip(), state.notation, local=local)
    except LatexInputError as exc:
        raise InputError(f"function {name.strip()}: {exc.message}", where) from None
    if isinstance(value, sp.MatrixExpr | sp.Rel):
        raise InputError(f"function {name.strip()}: the body must be a scalar expression", where)
    state.notation.functions[key] = FunctionDecl(key, symbols, value)


def _size(text: str, state: DeclarationScope, where: str) -> sp.Basic:
    if text.isdigit():
        return sp.Integer(int(text))
    obj = state.notation.names.get(text)
    if obj is None or obj not in state.ctx.dims_:
        raise InputError(f"size {text!r} is not a declared dimension (dims {text})", where)
    return obj

def _random(state: DeclarationScope, args: list[str], where: str) -> None:
    if "bernoulli" in args or "normal" in args or "moments" in args:
        k = next(k for k, a in enumerate(args) if a in ("bernoulli", "normal", "moments"))
    else:
        raise InputError("random NAME INDICES bernoulli P | normal MEAN VAR | moments MEAN VAR", where)
    (name, latex), indices, kind, params = _name(args[0]), args[1:k], args[k], args[k + 1:]
    values = [_formula(p, state, where) for p in params]
    if kind == "bernoulli" and len(values) == 1:
        dist = Bernoulli(values[0])
    elif kind in ("normal", "moments") and len(values) == 2:
        dist = (Normal if kind == "normal" else Moments)(*values)
    else:
        raise InputError(f"wrong number of parameters for {kind}", where)
    for ix in indices:
        if ix not in state.notation.names:
            raise InputError(f"index {ix!r} of {name} is not declared (index {ix} N)", where)
    state.ctx.random(name, *(state.notation.names[i] for i in indices), dist=dist,
                     latex=template(name, len(indices)) or latex)


def template(name: str, rank: int) -> str | None:
    """How the printer writes an entry, in the reader's convention: x_{j}^{(i)} for x[i, j]."""
    base = "\\" + name if name in _GREEK_NAMES else name
    if rank == 2:
        return base + "_{{{1}}}^{{({0})}}"
    return None


_LAW = re.compile(r"^(\\mathcal\{N\}|\\mathcal N|N|Normal|normal|\\mathrm\{Ber\}|\\operatorname\{Ber\}|Ber|Bernoulli|"
                  r"bernoulli|moments)\s*\((.*)\)\s*$", re.S)
_EYE = re.compile(r"\s*(\\cdot\s*)?(\\mathbf\{I\}|\\mathbb\{I\}|I)(_\{?[A-Za-z0-9]+\}?)?\s*$")


def _random_law(state: DeclarationScope, rest: str, where: str) -> bool:
    """``random NAME [INDICES] \\sim LAW``, ``random vector NAME SIZE LAW`` or ``random NAME with E[..] = M, Var[..] = V``.

    LAW: ``\\mathcal{N}(MEAN, VAR)``, ``\\mathrm{Ber}(P)``, ``moments(MEAN, VAR)``, or the words ``normal MEAN
    VAR`` etc.; a vector's covariance is ``VAR I`` (i.i.d. entries) or ``VAR \\Sigma`` (a declared matrix), its
    mean may be a vector.
    Returns False for the plain word form, which :func:`_random` reads.
    """
    from checks.random_vectors import random_vector

    text = rest.strip()
    vector = text.startswith("vector ")
    body = text[7:] if vector else text
    head, sim, law = re.split(r"(\\sim|~)", body, maxsplit=1) if re.search(r"\\sim|~", body) else (body, "", "")
    if not sim and " with " in f" {head} ":
        head, _, law = head.partition(" with ")
        kind, values = "moments", _stated_moments(law, state, where)
    elif sim:
        found = _LAW.match(law.strip())
        if found is None:
            raise InputError(f"unknown law {law.strip()!r}: write \\mathcal{{N}}(MEAN, VAR), \\mathrm{{Ber}}(P) or "
                             "moments(MEAN, VAR)", where)
        law_name = found.group(1).lower()
        kind = "bernoulli" if "ber" in law_name else "moments" if law_name == "moments" else "normal"
        values = _top_level(found.group(2))
    elif vector:
        words = head.split()
        k = next((k for k, a in enumerate(words) if a in ("bernoulli", "normal", "moments")), None)
        if k is None:
            raise InputError("random vector NAME SIZE normal MEAN VAR | moments MEAN VAR | bernoulli P", where)
        head, kind, values = " ".join(words[:k]), words[k], words[k + 1:]
    else:
        return False
    words = head.split()
    if not words or (vector and len(words) != 2):
        raise InputError("random vector NAME SIZE ~ LAW (one name, one size)" if vector else "random NAME ~ LAW", where)
    if not vector:
        _random_family(state, words, kind, values, where)
        return True
    name, latex = _name(words[0])
    size = _size(words[1], state, where)
    mean = matrix = None
    if kind != "bernoulli" and len(values) == 2:
        cov = values[1] if isinstance(values[1], str) else None
        if cov is not None and _EYE.search(cov):
            cov = cov[:_EYE.search(cov).start()].strip() or "1"
        elif cov is not None:
            value = _formula(cov, state, where)
            coeff, mats = value.as_coeff_matrices() if isinstance(value, sp.MatMul) else (1, [value])
            if len(mats) != 1 or not isinstance(mats[0], sp.MatrixSymbol):
                raise InputError(f"random vector {words[0]}: covariance {cov!r} is not VAR I or VAR \\Sigma with "
                                 "\\Sigma a declared matrix", where)
            cov, matrix = coeff, mats[0]
        m = values[0] if isinstance(values[0], str) else None
        m_obj = state.notation.names.get(canonical_name(m)) if m is not None else None
        if m_obj is not None and m_obj in state.ctx.matrices:
            mean, m = m_obj, "0"
        elif m is not None and m.strip() in (r"\mathbf{0}", r"\mathbf 0", r"\boldsymbol{0}", r"\vec{0}"):
            m = "0"
        values = [m if m is not None else values[0], cov if cov is not None else values[1]]
    dist = _law(kind, [_formula(v, state, where) if isinstance(v, str) else v for v in values], where)
    random_vector(state.ctx, name, size, dist, mean=mean, cov=matrix, latex=latex)
    return True


def _law(kind: str, values: list, where: str) -> object:
    if kind == "bernoulli" and len(values) == 1:
        return Bernoulli(values[0])
    if kind in ("normal", "moments") and len(values) == 2:
        return (Normal if kind == "normal" else Moments)(*values)
    raise InputError(f"wrong number of parameters for {kind}", where)


def _random_family(state: DeclarationScope, words: list[str], kind: str, values: list, where: str) -> None:
    """A random family (or one variable) whose law's parameters were read already or contain spaces."""
    (name, latex), indices = _name(words[0]), words[1:]
    dist = _law(kind, [_formula(v, state, where) if isinstance(v, str) else v for v in values], where)
    for ix in indices:
        if ix not in state.notation.names:
            raise InputError(f"index {ix!r} of {name} is not declared (index {ix} N)", where)
    state.ctx.random(name, *(state.notation.names[i] for i in indices), dist=dist,
                     latex=template(name, len(indices)) or latex)


def _top_level(text: str) -> list[str]:
    """``text`` split at the commas outside brackets."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += 1 if ch in "([{" else -1 if ch in ")]}" else 0
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    return [*parts, cur.strip()]


def _stated_moments(text: str, state: DeclarationScope, where: str) -> list:
    """MEAN and VAR from ``\\mathbb{E}[X] = MEAN, \\operatorname{Var}[X] = VAR`` (either order)."""
    found: dict[str, sp.Basic] = {}
    for part in _top_level(text):
        lhs, eq, rhs = part.partition("=")
        key = "var" if re.match(r"\s*(\\operatorname\{Var\}|\\mathrm\{Var\}|\\mathbb\{V\}|Var)", lhs) else \
            "mean" if re.match(r"\s*(\\mathbb\{E\}|\\mathrm\{E\}|\\operatorname\{E\}|E)", lhs) else None
        if not eq or key is None or key in found:
            raise InputError(f"expected E[X] = MEAN and Var[X] = VAR, got {part!r}", where)
        found[key] = _formula(rhs, state, where)
    if set(found) != {"mean", "var"}:
        raise InputError("random NAME with E[X] = MEAN, Var[X] = VAR: both are needed", where)
    return [found["mean"], found["var"]]
