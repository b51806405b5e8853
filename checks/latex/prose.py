"""The prose of a document as statements: its inline math, with the words around each formula.

"Let $X \\in \\mathbb{R}^{N\\times d}$ …", "where $m_j^{(i)}$ are i.i.d. …", "$A$ is symmetric",
"a symmetric positive definite matrix $A$", "$x^T x + \\lambda I$ is invertible". :func:`prose_formulas`
finds the inline formulas of a text whose displays, comments and headings are already blanked;
:func:`properties_around` reads the matrix properties the words give a formula; :func:`matrix_fact`
declares one property as the comment declaration :data:`PROPERTIES` names for it (what
``% derivcheck: …`` would say), or keeps it as an unread fact when it cannot be read, so that no
counterexample is trusted without it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from derivcheck_steps.errors import DeclarationError, InputError
from derivcheck_steps.latex.declarations import DeclarationScope, declare
from derivcheck_steps.latex.names import canonical_name, is_name

#: property -> (declaration word, its arguments with {0} the matrix): the comment a reader would write.
#: (the property words of :mod:`derivcheck_steps.properties`; a property no word can declare is an unread fact).
PROPERTIES = {
    "symmetric": ("assume", "{0} = {0}^T"),
    "positive definite": ("pd", "{0}"),
    "positive semidefinite": ("psd", "{0}"),
    "diagonal": ("diagonal", "{0}"),
    "orthogonal": ("orthogonal", "{0}"),
    "invertible": ("invertible", "{0}"),
}
_PROPERTY = r"(?:symmetric|diagonal|invertible|nonsingular|orthogonal|positive[\s-]+(?:semi-?)?definite)"
_PROPERTIES = rf"{_PROPERTY}(?:\s*(?:,|and|,\s*and)?\s*{_PROPERTY})*"
_AFTER = re.compile(rf"^\s*(?:is|be|are)?\s*(?:an?\s+)?(?:real\s+)?({_PROPERTIES})\b", re.I)
_BEFORE = re.compile(rf"\b({_PROPERTIES})\s+(?:(?:real\s+)?(?:square\s+)?matri(?:x|ces)\s*)?$", re.I)
_INLINE = re.compile(r"(?<![$\\])\$([^$]+)\$(?!\$)|\\\((.+?)\\\)", re.S)
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z])|\n\s*\n")
#: words before a formula that make it no statement ("if $A$ is symmetric", "nothing says $B$ is symmetric")
_UNSTATED = re.compile(r"\b(?:not|no|nothing|never|neither|nor|without|unless|if|whether)\b|n't\b", re.I)
#: words that make a formula about data entries a statement about some of them ("at least one $x_i \neq 0$")
_SOME_BEFORE = re.compile(r"\b(?:at\s+least\s+one|some|there\s+(?:is|are|exists?)|exists?|one\s+of)\b[^$]*$", re.I)
_SOME_AFTER = re.compile(r"^\s*(?:for|holds\s+for)\s+(?:some|at\s+least\s+one)\b", re.I)
_IID_WORDS = re.compile(r"\bi\.\s?i\.\s?d\.?|\biid\b|\bindependent(?:ly)?\b", re.I)


@dataclass(frozen=True)
class ProseFormula:
    """One inline formula of the prose: where its math starts, the math, and what the words around it say."""

    offset: int
    math: str
    properties: tuple[str, ...] = ()  # matrix properties the words give it ("symmetric", …)
    iid: bool = False  # its sentence says i.i.d. / independent
    some: bool = False  # its words say it holds for some entries only ("at least one", "for some i")


def blank_comments(text: str, markdown: bool) -> str:
    """``text`` with comments replaced by spaces (offsets kept)."""
    pattern = r"<!--.*?-->" if markdown else r"(?<!\\)%[^\n]*"
    return re.sub(pattern, lambda m: " " * len(m.group(0)), text, flags=re.S)


def prose_formulas(text: str) -> list[ProseFormula]:
    """The inline formulas of ``text`` (displays, comments and headings already blanked), in order."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    found = list(_INLINE.finditer(text))
    out = []
    for k, m in enumerate(found):
        group = 1 if m.group(1) is not None else 2
        start = max([e for e in ends if e <= m.start()], default=0)
        stop = min([e for e in ends if e >= m.end()], default=len(text))
        before = text[max(start, found[k - 1].end() if k else 0):m.start()]
        after = text[m.end():min(stop, found[k + 1].start() if k + 1 < len(found) else len(text))]
        if _UNSTATED.search(before):  # "if $A$ is symmetric", "nothing says $B$ is …"
            continue
        props = [*_split(_AFTER.match(after)), *_split(_BEFORE.search(before))]
        iid = bool(_IID_WORDS.search(text[start:stop]))
        some = bool(_SOME_BEFORE.search(before) or _SOME_AFTER.match(after))
        out.append(ProseFormula(m.start(group), m.group(group), tuple(dict.fromkeys(props)), iid, some))
    return out


def _split(m: re.Match | None) -> list[str]:
    if m is None:
        return []
    words = re.findall(_PROPERTY, m.group(1), re.I)
    out = []
    for w in words:
        w = re.sub(r"[\s-]+", " ", w.lower()).replace("semi definite", "semidefinite")
        out.append("invertible" if w == "nonsingular" else w)
    return out


def subjects(math: str) -> list[str]:
    """What a property in the words is about: the names before ``\\in``, a list of names, or the expression."""
    body = re.split(r"\\in(?![A-Za-z])", math)[0]
    parts = [p.strip() for p in body.split(",")]
    if all(is_name(p) for p in parts):
        return parts
    if "=" in body or "<" in body or ">" in body or "\\" + "le" in body:
        return []
    return [body.strip()]


#: ``M^{-1}``, ``M^\top``, ``M^T``, ``M^{-\top}``: the inverse or transpose of a named matrix
_DERIVED = re.compile(r"^\s*(\\?[A-Za-z]+(?:_\{?\w+\}?)?)\s*\^\s*\{?\s*(-1|\\top|T|-\\top|-T)\s*\}?\s*$")


def _follows(subject: str, prop: str, scope: DeclarationScope) -> str | None:
    """The matrix whose declared properties already give ``subject`` (its inverse or transpose) ``prop``, or None.

    Symmetric, diagonal, definite, semidefinite, orthogonal and invertible matrices have transposes
    with the same property, and (when invertible) inverses too: "D is diagonal and positive definite,
    so $D^{-1}$ is diagonal" states nothing new, and restricts nothing.
    """
    m = _DERIVED.match(subject)
    base = scope.notation.names.get(canonical_name(m.group(1))) if m else None
    if m is None or base is None:
        return None
    from derivcheck_steps.properties import PROPERTY_WORDS

    have = set(scope.ctx.properties.get(base, frozenset())) | ({"symmetric"} if base in scope.ctx.symmetric else set())
    if "pd" in have:
        have.add("psd")
    if m.group(2).startswith("-") and "invertible" not in have:
        return None  # the inverse of a matrix not known to be invertible: nothing follows
    word = PROPERTIES[prop][0]
    want = "symmetric" if prop == "symmetric" else PROPERTY_WORDS.get(word, word)
    return m.group(1) if want in have else None


def matrix_fact(subject: str, prop: str, scope: DeclarationScope, where: str) -> list[str]:
    """Declare that ``subject`` (a declared square matrix, or for invertible a matrix expression) has ``prop``."""
    word, template = PROPERTIES[prop]
    source = _follows(subject, prop, scope)
    if source is not None:
        return [f"{subject} is {prop} (follows from the declaration of {source})"]
    if is_name(subject) and canonical_name(subject) not in scope.notation.names:
        return []  # nothing declares the matrix (yet): nothing to say about it
    rest = template.format(subject)
    from derivcheck_steps.latex.declarations import WORDS
    from derivcheck_steps.properties import PROPERTY_WORDS

    if word not in WORDS and word not in PROPERTY_WORDS:  # a property the declarations cannot express yet: an unread fact
        return _unread(subject, prop, f"no '% derivcheck: {word}' declaration yet", scope, where)
    if prop == "symmetric" and scope.notation.names.get(canonical_name(subject)) in scope.ctx.symmetric:
        return []  # said before
    try:
        declare(scope, word, rest, where)
    except (InputError, DeclarationError) as exc:
        return _unread(subject, prop, getattr(exc, "message", str(exc)), scope, where)
    return [f"{subject} is {prop} (read as '% derivcheck: {word} {rest}')"]


def _unread(subject: str, prop: str, reason: str, scope: DeclarationScope, where: str) -> list[str]:
    """A stated property that cannot be used: kept as an unread fact (no counterexample is trusted without it)."""
    ctx = scope.ctx
    ctx.unread.append(f"{subject} is {prop}: {reason}")
    ctx.unread_text.append(f"assume {subject} is {prop}")
    ctx.unread_where.append(where)
    return [f"{subject} is {prop}: not used ({reason}); no counterexample is trusted without it"]


def comment_names(text: str) -> set[str]:
    """The Context names a ``% derivcheck: WORD …`` declaration declares (the text never redeclares them)."""
    from derivcheck_steps.latex.declarations import _name

    word, _, rest = text.strip().partition(" ")
    args = rest.split()
    if not args:
        return set()
    if word == "dims":
        return {_name(a)[0] for a in args}
    if word == "scalar":
        flags = [k for k, a in enumerate(args) if a in ("positive", "nonzero", "nonnegative", "interval")]
        return {_name(" ".join(args[:flags[0]] if flags else args))[0]}
    if word in ("matrix", "vector"):
        if len(args) > 2 and args[-2] == "per":  # vector x d per i
            args = args[:-2]
        sizes = 2 if word == "matrix" else 1
        return {_name(" ".join(args[:-sizes] or args[:1]))[0]}
    if word in ("index", "data", "random", "identity"):
        return {_name(args[0])[0]}
    if word == "function":
        return {_name(rest.partition("(")[0].partition("=")[0].strip())[0]}
    return set()
