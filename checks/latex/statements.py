"""Declarations the document's own mathematics states: ``X \\in \\mathbb{R}^{N\\times d}``, ``w, x \\in \\mathbb{R}^n``,
``\\lambda > 0``, ``0 < p < 1``, ``i = 1, \\dots, N``, ``x_j^{(i)}, t^{(i)} \\in \\mathbb{R}`` (indexed data),
``m_j^{(i)} \\stackrel{\\text{i.i.d.}}{\\sim} \\mathrm{Ber}(p)``, ``A = A^\\top``, ``A \\succ 0``.

:func:`declarations_from_text` reads one piece of mathematics (the inline math of the prose, or a
display the author marked as prose) and declares what it states in the scope, returning one
human-readable line per declaration ("X is a real N×d matrix") for the report. :func:`statement_row`
says whether a display row is a statement (it types at least one new name and says nothing else)
rather than a step. Nothing is guessed: a statement it does not recognise declares nothing; a name
already declared, or ``reserved`` (declared by a ``% derivcheck:`` comment of the same context, which
overrides the text), is left as it is; the sizes of a stated matrix, and the upper end of an index
range, are declared as dimensions; a random family needs "i.i.d." (over the stated indices).
Matrix facts (symmetric, ≻ 0, diagonal, …) become the declaration a comment would write
(:data:`derivcheck_steps.latex.prose.PROPERTIES`); one that cannot be read is kept as an unread fact, so that
no counterexample is trusted without it.
"""

from __future__ import annotations

import re
from collections.abc import Collection

import sympy as sp

from derivcheck_steps.errors import DeclarationError, InputError
from derivcheck_steps.latex.declarations import DeclarationScope, _name
from derivcheck_steps.latex.formulas import Notation
from derivcheck_steps.latex.names import canonical_name, join
from derivcheck_steps.latex.stated_families import data, declared, indexed, is_name_safe, names_of, random_family
from derivcheck_steps.latex.tokens import Tok, TokenError, tokenize

_REALS = (r"\mathbb{R}", r"\R", r"\Bbb{R}", r"\mathbf{R}")
_BOUNDS = {"<": "lt", r"\lt": "lt", ">": "gt", r"\gt": "gt", r"\le": "le", r"\ge": "ge", r"\neq": "ne"}
_IID = re.compile(r"\\(?:stackrel|overset|underset)\s*\{((?:[^{}]|\{[^{}]*\})*)\}\s*\{\s*\\sim\s*\}"
                  r"|\\sim\s*[_^]\s*\{((?:[^{}]|\{[^{}]*\})*)\}")
#: the kinds of statement a display row may be (a fact such as A = Aᵀ in a display is a step, not a statement)
ROW_KINDS = ("membership", "sign", "interval", "range", "random")


def declarations_from_text(math: str, scope: DeclarationScope, where: str, *, reserved: Collection[str] = (),
                           iid: bool = False, some: bool = False) -> list[str]:
    """Declare what ``math`` states (types, signs, ranges, index ranges, random families, matrix facts).

    One description per declaration; ``reserved``: Context names a comment of this context declares
    (the text never declares them); ``iid``: the sentence around the formula says "i.i.d."/"independent";
    ``some``: its words make it a statement about some entries only ("at least one", "for some i"), so
    a sign or interval of data entries restricts nothing.
    """
    return _read(math, scope, where, reserved, iid, kinds=None, some=some) or []


def only_ranges(math: str) -> bool:
    """Whether every clause of ``math`` states an index range (``i = 1, \\dots, N``)."""
    try:
        forms = [_form(c) for c in _clauses(math)]
    except (InputError, DeclarationError):
        return False
    return bool(forms) and all(f is not None and f[0] == "range" for f in forms)


def statement_row(math: str, scope: DeclarationScope, where: str, *, reserved: Collection[str] = ()) -> list[str] | None:
    """The declarations of a display row that is only a statement (``w, x \\in \\mathbb{R}^n``), or None.

    A row is a statement when every clause is a statement form and it declares at least one new
    name; otherwise (a claim such as ``\\lambda > 0`` about a declared λ) nothing is declared and it stays a step.
    """
    return _read(math, scope, where, reserved, False, kinds=ROW_KINDS)


def _read(math: str, scope: DeclarationScope, where: str, reserved: Collection[str], iid: bool,
          kinds: tuple[str, ...] | None, some: bool = False) -> list[str] | None:
    clauses = _clauses(math)
    forms = [_form(c) for c in clauses]
    if kinds is not None and (not forms or any(f is None or f[0] not in kinds for f in forms)):
        return None
    found: list[str] = []
    for form in forms:
        if form is None:
            continue
        if some and form[0] in ("sign", "interval", "membership"):
            from derivcheck_steps.latex.data_facts import about_data

            if about_data(form, scope, reserved):  # "at least one $x_i \neq 0$": no entry is restricted
                found.append(f"{math.strip()}: said of some entries only, restricts none of them")
                continue
        try:
            found += _apply(form, scope, set(reserved), iid, where, rows=kinds is not None)
        except (DeclarationError, InputError) as exc:
            if kinds is not None and not found:  # a row that declares nothing stays a row (its step says why)
                raise InputError(getattr(exc, "message", str(exc)), where) from None
            found.append(f"not used ({getattr(exc, 'message', str(exc))})")
    if found:
        n = scope.notation
        scope.notation = Notation(scope.ctx, n.lets, n.identity, functions=n.functions)
    if kinds is not None and not found:
        return None
    return found


def _clauses(math: str) -> list[list[Tok]]:
    """Split at ``\\text{…}`` words, ``\\quad``, ``;`` and at top-level ``,`` after a complete statement."""
    src = _IID.sub(lambda m: r" \simiid " if _is_iid(m.group(1) or m.group(2) or "") else r" \sim ", math)
    src = re.sub(r"\\(?:text|textrm|textit|mbox)\s*\{[^{}]*\}(?!\s*\()|\\q?quad(?![A-Za-z])|\\[,;:]|\\(?:forall|and)\b",
                 " ; ", src.replace("$", " "))
    out: list[list[Tok]] = []
    for part in src.split(";"):
        try:
            toks = tokenize(part)
        except TokenError:
            continue
        cur: list[Tok] = []
        depth = 0
        for t in toks:
            depth += {"{": 1, "(": 1, "}": -1, ")": -1, r"\{": 1, r"\}": -1}.get(t.text, 0)
            if depth == 0 and t.text == "," and _complete(cur):
                out.append(cur)
                cur = []
            else:
                cur.append(t)
        out.append(cur)
    return [[t for t in c if t.text != "."] or c for c in out if [t for t in c if t.text != "."]]


def _is_iid(top: str) -> bool:
    return re.sub(r"[^a-z]", "", re.sub(r"\\[A-Za-z]+", "", top).lower()) in ("iid", "independent")


def _complete(toks: list[Tok]) -> bool:
    texts = [t.text for t in toks]
    if "=" in texts:  # i = 1, \dots, N continues over commas
        return texts[-1] not in (r"\ldots", "1", ",") and "\\ldots" in texts
    return r"\in" in texts or any(x in _BOUNDS for x in texts) or r"\sim" in texts or r"\simiid" in texts or r"\succ" in texts


def _form(toks: list[Tok]) -> tuple | None:  # noqa: C901 - one case per statement form
    """What kind of statement a clause is, and its parts; None if it is none of them."""
    texts, depth = [], 0
    for t in toks:  # relations inside braces or brackets (\sum_{i=1}) are not the clause's own: masked
        depth += {"{": 1, "(": 1, "[": 1, "}": -1, ")": -1, "]": -1}.get(t.text, 0)
        texts.append(t.text if depth == 0 or t.text in ("{", "(", "[") else "")
    if r"\in" in texts:
        k = texts.index(r"\in")
        return ("membership", toks[:k], toks[k + 1:])
    if r"\sim" in texts or r"\simiid" in texts:  # \simiid: "\stackrel{\text{i.i.d.}}{\sim}"
        k = next(k for k, t in enumerate(texts) if t in (r"\sim", r"\simiid"))
        return ("random", toks[:k], toks[k + 1:], texts[k] == r"\simiid")
    if "=" in texts and r"\ldots" in texts:
        return ("range", toks)
    if texts.count("=") == 1:
        k = texts.index("=")
        left, right = join(toks[:k]), join(toks[k + 1:])
        if is_name_safe(left) and re.fullmatch(re.escape(left) + r"\^(\{?\\top\}?|\{?T\}?|\{?\\intercal\}?)", right):
            return ("fact", "symmetric", left)
        if is_name_safe(right) and re.fullmatch(re.escape(right) + r"\^(\{?\\top\}?|\{?T\}?)", left):
            return ("fact", "symmetric", right)
        if is_name_safe(left) and re.match(r"\\(operatorname|mathrm|text)\{diag\}", right):
            return ("fact", "diagonal", left)
        if is_name_safe(left) and re.fullmatch(r"\\begin\{[pbB]?matrix\}.*\\end\{[pbB]?matrix\}", right, re.S):
            return ("explicit", left, right)
        return None
    if len(texts) == 3 and texts[1] in (r"\succ", r"\succeq") and texts[2] == "0" and is_name_safe(texts[0]):
        return ("fact", "positive definite" if texts[1] == r"\succ" else "positive semidefinite", texts[0])
    bounds = [k for k, t in enumerate(texts) if t in _BOUNDS]
    if len(bounds) == 2 and texts[bounds[0]] in ("<", r"\lt", r"\le") and texts[bounds[1]] in ("<", r"\lt", r"\le"):
        return ("interval", toks[:bounds[0]], toks[bounds[0] + 1:bounds[1]], toks[bounds[1] + 1:],
                r"\le" in (texts[bounds[0]], texts[bounds[1]]))  # closed at an end
    if len(bounds) == 1 and join(toks[bounds[0] + 1:]) == "0" and is_name_safe(join(toks[:bounds[0]])):
        return ("sign", toks[:bounds[0]], _BOUNDS[texts[bounds[0]]])
    return None


def _apply(form: tuple, scope: DeclarationScope, reserved: set[str], iid: bool, where: str, *,
           rows: bool = False) -> list[str]:
    kind = form[0]
    if kind in ("sign", "interval", "membership"):  # σ_j > 0, p_i ∈ (0, 1): the domain of data entries
        from derivcheck_steps.latex.data_facts import stated_domain

        said = stated_domain(form, scope, reserved, where, narrow=not rows)
        if said is not None:
            return said
    if kind == "membership":
        return _membership(form[1], form[2], scope, reserved, where)
    if kind == "random":
        return random_family(form[1], form[2], scope, reserved, form[3] or iid, where)
    if kind == "range":
        return _index_range(form[1], scope, reserved)
    if kind == "interval":
        return _interval(*form[1:4], scope, reserved)
    if kind == "sign":
        return _sign(form[1], form[2], scope, reserved)
    if kind == "explicit":
        return _explicit(form[1], form[2], scope, reserved)
    from derivcheck_steps.latex.prose import matrix_fact

    return matrix_fact(form[2], form[1], scope, where)


def _explicit(name: str, matrix: str, scope: DeclarationScope, reserved: Collection[str]) -> list[str]:
    """``A = \\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}`` for a new name: ``A`` abbreviates that explicit matrix."""
    from derivcheck_steps.latex.formulas import parse_formula
    from derivcheck_steps.latex.matrix_literals import is_explicit

    if declared(scope, name, reserved):
        return []
    value = parse_formula(matrix, scope.notation)  # entries with undeclared names: a located error
    if not is_explicit(value):
        return []
    scope.notation.lets.append((name, matrix))
    return [f"{name} is the {value.shape[0]}×{value.shape[1]} matrix {matrix} (an abbreviation)"]


def _dimension(size: str, scope: DeclarationScope, reserved: Collection[str], out: list[str]) -> sp.Basic | None:
    """A size: a number, a declared dimension, or a new name (declared a dimension); None if it cannot be one."""
    if size.isdigit():
        return sp.Integer(int(size))
    obj = scope.notation.names.get(canonical_name(size))
    if obj is None:
        if not is_name_safe(size) or declared(scope, size, reserved):
            return None
        obj = scope.ctx.dim(_name(size)[0])
        scope.notation.names[canonical_name(size)] = obj
        out.append(f"{size} is a dimension (a positive integer)")
    return obj if obj in scope.ctx.dims_ else None


def _membership(left: list[Tok], right: list[Tok], scope: DeclarationScope, reserved: Collection[str],
                where: str) -> list[str]:
    """``w, x \\in \\mathbb{R}^n``, ``X \\in \\mathbb{R}^{N \\times d}``, ``\\lambda \\in \\mathbb{R}_{+}``,
    ``x_j^{(i)} \\in \\mathbb{R}`` (data)."""
    text = join(right).replace(" ", "")
    spelling = join(left)
    ends = re.fullmatch(r"\\\{1,\\ldots,(.+)\\\}", text)  # i \in \{1, \dots, N\}
    if ends is not None:
        return _index_range(tokenize(f"{spelling} = 1, \\ldots, {ends.group(1)}"), scope, reserved)
    ends = re.fullmatch(r"\(([^,()]+),([^,()]+)\)", text)  # p \in (0, 1)
    if ends is not None:
        return _interval(tokenize(ends.group(1)), left, tokenize(ends.group(2)), scope, reserved)
    if text in _INTEGERS:
        return _integers(left, _INTEGERS[text], scope, reserved)
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
        obj = _dimension(size, scope, reserved, out)
        if obj is None:
            return out
        shape.append(obj)
    for spelling in names_of(left):
        if indexed(spelling, scope, reserved):  # x_j^{(i)}, w_j: data; x_i \in \mathbb{R}^d: not read here
            out += data(spelling, scope, reserved, where) if not shape and not positive else []
            continue
        if not is_name_safe(spelling) or declared(scope, spelling, reserved):
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


#: sets of integers (spaces removed) -> (the scalar flag, how the report says it); ℕ alone is read as {0, 1, 2, …}
_INTEGERS = {
    **{s: ("", "an integer") for s in (r"\mathbb{Z}", r"\Z")},
    **{s: ("nonnegative", "an integer ≥ 0") for s in (
        r"\mathbb{N}_0", r"\mathbb{N}_{0}", r"\mathbb{Z}_{\ge0}", r"\mathbb{Z}_{\geq0}", r"\{0,1,2,\ldots\}",
        r"\{0,1,2,\dots\}", r"\mathbb{N}", r"\N")},
    **{s: ("positive", "an integer ≥ 1") for s in (
        r"\mathbb{N}_{>0}", r"\mathbb{N}^+", r"\mathbb{N}^{+}", r"\mathbb{N}^*", r"\mathbb{Z}_{>0}", r"\mathbb{Z}_{+}",
        r"\mathbb{Z}_+", r"\mathbb{Z}^+", r"\{1,2,\ldots\}", r"\{1,2,3,\ldots\}", r"\{1,2,\dots\}")},
}


def _integers(left: list[Tok], how: tuple[str, str], scope: DeclarationScope, reserved: Collection[str]) -> list[str]:
    r"""``y \in \mathbb{N}``, ``k \in \mathbb{Z}``: integer scalars (``\mathbb{N}`` alone includes 0, and the report says so)."""
    flag, words = how
    out = []
    for spelling in names_of(left):
        if indexed(spelling, scope, reserved) or not is_name_safe(spelling) or declared(scope, spelling, reserved):
            continue
        name, latex = _name(spelling)
        scope.ctx.scalar(name, latex=latex, integer=True, **({flag: True} if flag else {}))
        out.append(f"{spelling} is {words}" + (" (ℕ read as {0, 1, 2, …})" if words.endswith("≥ 0") else ""))
    return out


def _sign(left: list[Tok], kind: str, scope: DeclarationScope, reserved: Collection[str]) -> list[str]:
    """``\\lambda > 0``, ``\\sigma \\ge 0``, ``x \\neq 0`` for a name not yet declared."""
    spelling = join(left)
    if not is_name_safe(spelling) or declared(scope, spelling, reserved):
        return []
    flag = {"gt": "positive", "ge": "nonnegative", "ne": "nonzero"}.get(kind)
    if flag is None:
        return []
    name, latex = _name(spelling)
    scope.ctx.scalar(name, latex=latex, **{flag: True})
    words = {"positive": "> 0", "nonnegative": "≥ 0", "nonzero": "≠ 0"}[flag]
    return [f"{spelling} is a real scalar {words}"]


def _interval(low: list[Tok], middle: list[Tok], high: list[Tok], scope: DeclarationScope,
              reserved: Collection[str]) -> list[str]:
    """``0 < p < 1``: a scalar in an open interval (closed ends are read as open: samplers stay inside)."""
    spelling = join(middle)
    try:
        lo, hi = sp.Rational(join(low)), sp.Rational(join(high))
    except (TypeError, ValueError):
        return []
    if not is_name_safe(spelling) or declared(scope, spelling, reserved):
        return []
    name, latex = _name(spelling)
    scope.ctx.scalar(name, latex=latex, interval=(lo, hi))
    return [f"{spelling} is a real scalar in ({lo}, {hi})"]


def _index_range(toks: list[Tok], scope: DeclarationScope, reserved: Collection[str]) -> list[str]:
    """``i = 1, \\dots, N``: an index over 1..N (N a declared dimension, or a new name declared one)."""
    texts = [t.text for t in toks]
    k = texts.index("=")
    spelling, rest = join(toks[:k]), [t for t in texts[k + 1:] if t not in (",", r"\ldots")]
    if len(rest) != 2 or rest[0] != "1" or not is_name_safe(spelling) or declared(scope, spelling, reserved):
        return []
    out: list[str] = []
    upper = _dimension(rest[1], scope, reserved, out)
    if upper is None or not isinstance(upper, sp.Symbol):
        return out
    scope.ctx.index(_name(spelling)[0], upper)
    scope.notation.names[canonical_name(spelling)] = next(s for s in scope.ctx.indices if s.name == _name(spelling)[0])
    return [*out, f"{spelling} runs over 1, …, {rest[1]}"]
