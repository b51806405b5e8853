"""LaTeX source of one formula -> tokens with positions, and located errors for unmatched delimiters.

A token is a command (``\\frac``), a control symbol (``\\|``, ``\\{``), a letter, a number (``12``,
``2.5``, ``.4``) or one character. Spacing (``\\, \\; \\quad``…), sizing (``\\big``, ``\\Bigl``…) and
style switches (``\\displaystyle``…) and alignment points ``&`` are dropped (inside an environment
such as ``pmatrix`` a ``&`` separates entries and is kept); ``\\left X`` and ``\\right X`` become the delimiter
``X`` itself (``\\left.`` disappears), checked to pair up. Braces must match: an unmatched one is a
:class:`TokenError` that says where it was opened ("unclosed '{' opened at column 7").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from derivcheck_steps.errors import InputError

_TOKEN = re.compile(r"\\[a-zA-Z]+\*?|\\.|\d+(?:\.\d+)?|\.\d+|[A-Za-z]|\s+|.", re.S)

#: commands that only change spacing, size or style: they carry no mathematics
DROPPED = frozenset({
    r"\,", r"\;", r"\!", r"\:", r"\>", r"\ ", "\\\t", "\\\n", r"\quad", r"\qquad", r"\thinspace", r"\medspace",
    r"\thickspace", r"\negthinspace", r"\negmedspace", r"\negthickspace", r"\enspace", r"\displaystyle",
    r"\textstyle", r"\scriptstyle", r"\scriptscriptstyle", r"\limits", r"\nolimits", r"\big", r"\Big", r"\bigg",
    r"\Bigg", r"\bigl", r"\bigr", r"\Bigl", r"\Bigr", r"\biggl", r"\biggr", r"\Biggl", r"\Biggr", r"\bigm",
    r"\Bigm", r"\middle", r"\nonumber", r"\notag", "~",
})
#: spellings of one delimiter
ALIASES = {r"\lVert": r"\|", r"\rVert": r"\|", r"\Vert": r"\|", r"\lvert": "|", r"\rvert": "|", r"\vert": "|",
           r"\lbrack": "[", r"\rbrack": "]", r"\lbrace": r"\{", r"\rbrace": r"\}", r"\langle": "(", r"\rangle": ")",
           r"\dfrac": r"\frac", r"\tfrac": r"\frac", r"\cfrac": r"\frac", r"\leq": r"\le", r"\geq": r"\ge",
           r"\ne": r"\neq", r"\leqslant": r"\le", r"\geqslant": r"\ge", r"\intercal": r"\top", r"\sgn": r"\sign",
           r"\lnot": r"\neg", r"\mathbold": r"\boldsymbol", r"\bm": r"\boldsymbol", r"\dots": r"\ldots",
           r"\cdots": r"\ldots"}


class TokenError(InputError):
    """A formula whose delimiters do not match; the message says which one and where."""


@dataclass(frozen=True, slots=True)
class Tok:
    """One token: its text (aliases resolved), offset in the source, and whether ``\\left``/``\\right`` sized it."""

    text: str
    pos: int
    sized: str = ""  # "left" or "right" for a delimiter written \left( / \right)

    @property
    def column(self) -> int:
        """1-based column of the token in its formula."""
        return self.pos + 1


def tokenize(src: str) -> list[Tok]:
    """The tokens of ``src``; raises :class:`TokenError` for an unmatched ``{``/``}`` or ``\\left``/``\\right``."""
    out: list[Tok] = []
    braces: list[Tok] = []
    sized: list[Tok] = []
    pending, pending_at = "", 0
    environments = 0  # inside \begin{pmatrix}…\end{pmatrix} a '&' separates entries; elsewhere an alignment point
    for m in _TOKEN.finditer(src):
        text = m.group(0)
        if text.isspace() or text in DROPPED or (text == "&" and not environments):
            continue
        environments += (text == r"\begin") - (text == r"\end" and environments > 0)
        if text == "%":  # a comment runs to the end of the line
            break
        text = ALIASES.get(text, text)
        if text in (r"\left", r"\right"):
            pending, pending_at = text, m.start()
            continue
        tok = Tok(text, pending_at if pending else m.start(), pending[1:])
        if pending:
            pending = ""
            if tok.sized == "left":
                sized.append(tok)
            elif not sized:
                raise TokenError(f"'\\right{text}' at column {tok.column} has no matching '\\left'")
            else:
                sized.pop()
            if text == ".":
                continue  # \left. and \right. are invisible
        if text == "{":
            braces.append(tok)
        elif text == "}":
            if not braces:
                raise TokenError(f"'}}' at column {tok.column} closes nothing")
            braces.pop()
        out.append(tok)
    if pending:
        raise TokenError(f"'{pending}' at the end of the formula needs a delimiter after it")
    if braces:
        raise TokenError(f"unclosed '{{' opened at column {braces[-1].column}")
    if sized:
        raise TokenError(f"'\\left{sized[-1].text}' opened at column {sized[-1].column} has no '\\right'")
    return out


def source_slice(src: str, toks: list[Tok]) -> str:
    """The source text the tokens ``toks`` were read from, whitespace removed (a name's canonical spelling)."""
    if not toks:
        return ""
    end = toks[-1].pos + len(toks[-1].text)
    return re.sub(r"(?<=[A-Za-z])\s+(?=[A-Za-z])", "\x00", src[toks[0].pos:end]).replace(" ", "").replace("\x00", " ")
