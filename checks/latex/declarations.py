"""Declarations in comments: ``% derivcheck: WORD ARGS`` -> entries of a Context and its Notation.

One function, :func:`declare`, applies one declaration line to a :class:`DeclarationScope` (the
context being declared and the notation the reader uses with it). See :mod:`derivcheck_steps.latex.documents`
for the list of declarations; each problem is an :class:`~derivcheck_steps.errors.InputError` with its location.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

import sympy as sp

from derivcheck_steps.context import Context
from derivcheck_steps.errors import DeclarationError, InputError
from derivcheck_steps.latex.families import entry_index_name
from derivcheck_steps.latex.formulas import FunctionDecl, LatexInputError, Notation, parse_formula
from derivcheck_steps.latex.names import GREEK as _GREEK_NAMES
from derivcheck_steps.latex.names import canonical_name, context_name, latex_key
from derivcheck_steps.quoting import quoted
from derivcheck_steps.randomness import Bernoulli, Moments, Normal


@dataclass
class DeclarationScope:
    """A context being declared, the notation read with it, and the directives waiting for the next display."""

    ctx: Context
    notation: Notation
    derivation: object = None  # the Derivation being read (derivcheck_steps.model.Derivation), or None
    chain: object = None  # the chain the next row continues, or None
    pending: dict = field(default_factory=dict)


def _formula(text: str, state: DeclarationScope, where: str) -> sp.Basic:
    try:
        return parse_formula(text, state.notation)
    except LatexInputError as exc:
        raise InputError(exc.message, where) from None


def declare(state: DeclarationScope, word: str, rest: str, where: str) -> None:  # noqa: C901
    """Apply one ``% derivcheck: WORD REST`` declaration to the scope; problems are located InputErrors."""
    if _property_declaration(state, word, rest, where):  # matrix A n n symmetric, one-hot y, ‖u‖ = 1, …
        state.notation = Notation(state.ctx, state.notation.lets, state.notation.identity,
                                  functions=state.notation.functions)
        return
    ctx, args = state.ctx, rest.split()

    def need(k: int) -> None:
        if len(args) < k:
            raise InputError(f"'{word}' needs {k} argument(s): {quoted(rest)}", where)

    def sym(name: str) -> sp.Basic:
        obj = state.notation.names.get(name) or state.notation.names.get("\\" + name)
        if obj is None:
            raise InputError(f"{quoted(name)} is not declared", where)
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
        flags = [k for k, a in enumerate(args) if a in ("positive", "nonzero", "nonnegative", "interval", "integer")]
        args = [" ".join(args[:flags[0]]), *args[flags[0]:]] if flags and flags[0] > 1 else \
            ([" ".join(args)] if not flags else args)
        kw: dict = {}
        if "interval" in args:
            k = args.index("interval")
            if len(args) < k + 3:
                raise InputError("scalar NAME interval LOW HIGH needs both bounds", where)
            kw["interval"] = (args[k + 1], args[k + 2])  # Context.scalar checks they are finite numbers
        for flag in ("positive", "nonzero", "nonnegative", "integer"):
            if flag in args[1:]:
                kw[flag] = True
        name, latex = _name(args[0])
        ctx.scalar(name, latex=latex, **kw)
    elif word == "vector" and "per" in args[2:]:
        _vector_family(state, args, where)
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
        _data(state, args, where, sym)
    elif word == "random":
        from derivcheck_steps.latex.random_declarations import random_law  # the \\sim, "with" and vector forms

        random_law(state, rest, where) or _random(state, args, where)
    elif word == "independent":
        need(2)
        ctx.independent(*(_name(a)[0] for a in args))
    elif word == "centred":
        need(2)
        base = sym(args[0])
        ctx.centred(base, sym(args[1]))
    elif word == "assume":
        relation = _formula(rest, state, where)
        try:
            ctx.assume(relation, because="declared in the document")
        except DeclarationError as exc:
            if not str(exc).startswith("assume: expected"):
                raise
            raise DeclarationError(  # in the document's notation, not SymPy's
                f"assume {rest.strip()}: an assumption is `A > B`, `A < B`, `A \\neq B`, `A = A^\\top`, "
                "`Q^\\top Q = I`, `\\sum_k y_k = 1` or `\\|u\\|^2 = 1`") from None
    elif word == "let":
        pattern, eq, replacement = rest.partition(" = ")
        if not eq:
            raise InputError("let needs 'PATTERN = REPLACEMENT' (spaces around =)", where)
        state.notation.lets.append((pattern.strip(), replacement.strip()))
        return
    else:
        close = difflib.get_close_matches(word, [*WORDS, *DIRECTIVES], n=1)
        hint = f" — did you mean {quoted(close[0])}?" if close else f" (declarations: {', '.join(WORDS)})"
        raise InputError(f"unknown declaration {quoted(word)}{hint}", where)
    state.notation = Notation(ctx, state.notation.lets, state.notation.identity, functions=state.notation.functions)


#: the declarations :func:`declare` reads, and the directives the document reader takes
WORDS = ("dims", "index", "scalar", "matrix", "vector", "identity", "invertible", "data", "random", "independent",
         "centred", "assume", "let", "function")
#: words naming a property of a declared matrix or vector (derivcheck_steps.properties, derivcheck_steps.constraints)
PROPERTY_DECLARATIONS = ("symmetric", "diagonal", "pd", "psd", "orthogonal", "one-hot", "unit")
DIRECTIVES = ("context", "then", "expect", "equation", "by", "skip", "aside", "start", "inline")


#: the domain words of ``scalar`` and ``data`` (``interval`` takes two numbers after it)
DOMAIN_WORDS = ("positive", "nonzero", "nonnegative", "interval")


def _domain(args: list[str], what: str, where: str) -> dict:
    """The keywords of ``positive|nonzero|nonnegative|interval A B`` among ``args`` (the words after the name)."""
    kw: dict = {}
    if "interval" in args:
        k = args.index("interval")
        if len(args) < k + 3:
            raise InputError(f"{what} interval LOW HIGH needs both bounds", where)
        kw["interval"] = (args[k + 1], args[k + 2])  # Context checks they are finite numbers
    for flag in ("positive", "nonzero", "nonnegative"):
        if flag in args:
            kw[flag] = True
    return kw


def _data(state: DeclarationScope, args: list[str], where: str, sym: object) -> None:
    """``data x i j`` and ``data \\sigma j positive`` (also nonnegative, nonzero, interval A B): every entry in that domain."""
    k = next((k for k, a in enumerate(args) if a in DOMAIN_WORDS), len(args))
    indices, words = args[1:k], args[k:]
    if not indices:
        raise InputError(f"data {args[0]}: name its indices before the domain (data {args[0]} j positive)", where)
    rest = list(words)
    while rest:
        w = rest.pop(0)
        if w == "interval":
            del rest[:2]
        elif w not in DOMAIN_WORDS:
            raise InputError(f"data {args[0]}: unknown word {w!r} after the domain (positive, nonnegative, nonzero, "
                             "interval A B)", where)
    name, latex = _name(args[0])
    state.ctx.indexed(name, *(sym(a) for a in indices), latex=template(name, len(indices), latex),
                      **_domain(words, f"data {args[0]}", where))


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
        raise InputError(f"function {name.strip()}: empty parameter in {quoted(head)}", where)
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


def _vector_family(state: DeclarationScope, args: list[str], where: str) -> None:
    """``vector x d per i``: one vector x_i (or x^{(i)}) in R^d for each value of the declared index i."""
    k = args.index("per")
    if k < 2 or k + 1 >= len(args):
        raise InputError("vector NAME SIZE per INDEX: one vector of that size for each value of the index", where)
    name, latex = _name(" ".join(args[:k - 1]))
    size = _size(args[k - 1], state, where)
    if not isinstance(size, sp.Symbol):
        raise InputError(f"vector {name} {args[k - 1]} per ...: the size must be a declared dimension (dims d)", where)
    per = []
    for ix in args[k + 1:]:
        obj = state.notation.names.get(ix)
        if obj not in state.ctx.indices:
            raise InputError(f"vector {name} ... per {ix}: {quoted(ix)} is not a declared index (index {ix} N)", where)
        per.append(obj)
    hidden = state.ctx.index(entry_index_name(name), size)
    state.ctx.indexed(name, *per, hidden, latex=latex)


def _size(text: str, state: DeclarationScope, where: str) -> sp.Basic:
    if text.isdigit():
        return sp.Integer(int(text))
    obj = state.notation.names.get(text)
    if obj is None or obj not in state.ctx.dims_:
        raise InputError(f"size {quoted(text)} is not a declared dimension (dims {text})", where)
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
            raise InputError(f"index {quoted(ix)} of {name} is not declared (index {ix} N)", where)
    state.ctx.random(name, *(state.notation.names[i] for i in indices), dist=dist,
                     latex=template(name, len(indices), latex))


def template(name: str, rank: int, latex: str | None = None) -> str | None:
    """How the printer writes an entry, in the reader's convention: x_{j}^{(i)} for x[i, j].

    ``latex`` is the declared spelling of a name that is not plain (``\\hat{y}``); for one index or
    none it is the name's spelling itself.
    """
    base = latex or ("\\" + name if name in _GREEK_NAMES else name)
    if rank == 2:
        return base.replace("{", "{{").replace("}", "}}") + "_{{{1}}}^{{({0})}}"
    return latex


# -- matrix properties, constraints, identities declared once (derivcheck_steps.properties, derivcheck_steps.constraints) ----

_TWO_WORDS = {"positive definite": "positive-definite", "positive semidefinite": "positive-semidefinite",
              "positive semi-definite": "positive-semidefinite", "one hot": "one-hot"}
_VECTOR_WORDS = {"one-hot": "onehot", "onehot": "onehot", "unit": "unit"}
_NORM_IS = re.compile(r"^\\(?:\||Vert)\s*(.+?)\s*\\(?:\||Vert)(?:_\{?2\}?)?\s*=\s*(.+)$")


def _property_words(text: str) -> list[str]:
    """The words of ``text`` with two-word properties joined (``positive definite`` -> ``positive-definite``)."""
    for two, one in _TWO_WORDS.items():
        text = re.sub(rf"\b{two}\b", one, text)
    return text.split()


def _trailing_properties(words: list[str]) -> tuple[list[str], list[str]]:
    from derivcheck_steps.properties import PROPERTY_WORDS

    k = len(words)
    while k > 0 and (words[k - 1] in PROPERTY_WORDS or words[k - 1] in _VECTOR_WORDS):
        k -= 1
    return words[:k], words[k:]


def _property_declaration(state: DeclarationScope, word: str, rest: str, where: str) -> bool:
    """Declarations with properties; True if ``word rest`` was one (and is now applied).

    ``matrix A n n symmetric`` (also diagonal, pd / positive definite, psd / positive semidefinite,
    orthogonal, invertible), ``vector y K one-hot``, ``vector u n unit``, ``data y k one-hot``,
    ``symmetric A`` (a property of a matrix declared before), ``one-hot y``, ``assume \\|u\\| = 1``,
    and ``identity I n`` declared once per name.
    """
    from derivcheck_steps.properties import PROPERTY_WORDS

    if word in ("matrix", "vector", "data"):
        words = _property_words(rest)
        head, props = _trailing_properties(words)
        if not props:
            return False
        declare(state, word, " ".join(head), where)
        name = head[0] if word == "data" else _name(" ".join(head[:-(2 if word == "matrix" else 1)]))[0]
        _apply_properties(state, name, props, where)
        return True
    if (word in PROPERTY_WORDS and word != "invertible") or word in _VECTOR_WORDS or word == "positive":
        words = _property_words(f"{word} {rest}")
        props = [w for w in words if w in PROPERTY_WORDS or w in _VECTOR_WORDS]
        names = [w for w in words if w not in props and w != "and"]
        if not names or len(props) + len(names) != len([w for w in words if w != "and"]):
            raise InputError(f"'{word} {rest}': write the property, then the declared names (symmetric A B)", where)
        for nm in names:
            _apply_properties(state, _name(nm)[0], props, where)
        return True
    if word == "assume":
        m = _NORM_IS.match(rest.strip())
        if m:  # ‖u‖ = c as ‖u‖² = c² (c ≥ 0): the reader takes squared norms
            declare(state, "assume", f"\\|{m.group(1)}\\|^2 = ({m.group(2)})^2", where)
            return True
        return False
    if word == "identity":
        args = rest.split()
        if args and args[0] in state.notation.identity:
            raise InputError(f"identity {args[0]} is declared twice: use another name (identity I_N N), or "
                             f"'identity {args[0]}' alone for an identity sized where it stands", where)
        if len(args) == 1:  # identity I: sized by its position (derivcheck_steps.identities)
            from derivcheck_steps.identities import flexible_identity

            state.notation.identity[args[0]] = flexible_identity()
            return True
        return False
    return False


def _apply_properties(state: DeclarationScope, name: str, props: list[str], where: str) -> None:
    from derivcheck_steps.constraints import one_hot
    from derivcheck_steps.errors import DeclarationError
    from derivcheck_steps.properties import PROPERTY_WORDS

    ctx = state.ctx
    target = next((m for m in ctx.matrices if m.name == name), None) or next(
        (b for b in ctx.data if str(b) == name), None)
    if target is None:
        raise InputError(f"{' '.join(props)}: {quoted(name)} is not a declared matrix, vector or data", where)
    try:
        matrix_props = [p for p in props if p in PROPERTY_WORDS]
        if matrix_props:
            ctx.matrix_property(target, *matrix_props)
        for p in props:
            if _VECTOR_WORDS.get(p) == "onehot":
                ctx.constrain(one_hot(target, ctx))
            elif _VECTOR_WORDS.get(p) == "unit":
                declare(state, "assume", f"\\|{name}\\|^2 = 1", where)
    except DeclarationError as exc:
        raise InputError(str(exc), where) from None
