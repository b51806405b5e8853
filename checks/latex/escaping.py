"""Text from the input made inert for each output format: writeups carry no payloads.

Whatever a derivation's author wrote — section titles, docstrings, justifications, comments,
experiment descriptions, symbol names — reaches a writeup only through this module:

- **LaTeX prose** (:func:`tex_prose`): every TeX special is escaped (:func:`~derivcheck_steps.latex.printer.text_latex`),
  so ``\\input``, ``\\write18``, ``\\catcode`` or ``\\def`` print as text, never run. ``$…$``
  maths passes through *only* when :func:`math_is_safe` accepts it: every control word in a
  whitelist of mathematical commands, balanced braces, no ``^^`` (TeX's character-code escape,
  which could spell any command), no ``%``, ``#``, ``&`` or ``\\\\``. Otherwise the dollars and
  all are escaped as text.
- **Markdown** (:func:`md_prose`, :func:`md_text`): HTML is inert (``&``, ``<``, ``>`` become
  entities, so ``<script>`` and ``<img onerror=…>`` are text), Markdown syntax is escaped
  (backslashes, backticks, ``*``, ``_``, brackets, braces, ``|``, ``#``, ``~``, ``$``), so no link, image, code
  span or table cell can be opened by the input; maths as above, with ``<``, ``>`` spelled
  ``\\lt``, ``\\gt`` and ``](`` broken, so nothing in it reads as HTML or a link either.
- **Formulas** printed from expressions (:func:`tex_formula`, :func:`md_formula`): a symbol name
  or ``latex=`` spelling is input too, so a printed formula is checked against the same
  whitelist (with the environments the printer uses) and withheld, with a note, if it fails.
"""

from __future__ import annotations

import re

from derivcheck_steps.latex.printer import text_latex

GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota",
    "kappa", "lambda", "mu", "nu", "xi", "pi", "varpi", "rho", "varrho", "sigma", "varsigma", "tau", "upsilon",
    "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon",
    "Phi", "Psi", "Omega",
}
SAFE_MATH_COMMANDS = frozenset(GREEK | {
    # structure
    "frac", "dfrac", "tfrac", "sqrt", "binom", "left", "right", "middle", "big", "Big", "bigg", "Bigg", "bigl",
    "bigr", "Bigl", "Bigr", "text", "mathrm", "mathbf", "mathit", "mathsf", "mathtt", "mathbb", "mathcal",
    "boldsymbol", "operatorname", "displaystyle", "textstyle", "boxed", "underbrace", "overbrace", "overline",
    "underline", "hat", "widehat", "tilde", "widetilde", "bar", "dot", "ddot", "vec", "prime", "limits",
    "quad", "qquad", "ensuremath", "begin", "end",
    # operators and functions
    "sum", "prod", "int", "lim", "min", "max", "arg", "argmin", "argmax", "sup", "inf", "det", "log", "ln", "exp",
    "sin", "cos", "tan", "tanh", "sigmoid", "cdot", "times", "div", "pm", "mp", "ast", "star", "circ", "odot",
    "otimes", "oplus", "nabla", "partial", "infty", "ell", "top", "intercal", "dagger", "T",
    # relations and arrows
    "le", "leq", "ge", "geq", "ne", "neq", "leqslant", "geqslant", "approx", "sim", "simeq", "equiv", "propto",
    "ll", "gg", "in", "notin", "subset", "subseteq", "cap", "cup", "setminus", "emptyset", "forall", "exists",
    "mid", "perp", "parallel", "to", "mapsto", "leftarrow", "rightarrow", "Rightarrow", "Leftarrow",
    "Leftrightarrow", "iff", "implies", "xrightarrow", "not",
    # delimiters and dots
    "langle", "rangle", "lfloor", "rfloor", "lceil", "rceil", "lvert", "rvert", "lVert", "rVert", "vert", "Vert",
    "lbrack", "rbrack", "ldots", "cdots", "dots", "vdots", "ddots", "checkmark", "backslash",
})
SAFE_ENVIRONMENTS = frozenset({"matrix", "pmatrix", "bmatrix", "vmatrix", "cases", "aligned", "array"})
_CONTROL_SYMBOLS = set(",;:! {}|_%#&")  # \, \; … \{ \} \| \_ \% \# \& (spacing and escaped characters)
_PROSE_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 \t+-*/=()[]<>,.;:!'|{}_^")
_FORMULA_CHARS = _PROSE_CHARS | set("&")  # a printed matrix aligns its entries
_TOKEN = re.compile(r"\\([A-Za-z]+)|\\(.)|(.)", re.S)


def math_is_safe(tex: str, formula: bool = False) -> bool:
    """Whether ``tex`` (math-mode content) uses only whitelisted commands and characters.

    ``formula``: the printer's own output, which may also hold ``&`` and ``\\\\`` (matrix rows).
    """
    if "^^" in tex:
        return False
    allowed = _FORMULA_CHARS if formula else _PROSE_CHARS
    depth = 0
    expect_environment = False
    for m in _TOKEN.finditer(tex):
        word, symbol, char = m.groups()
        if word is not None:
            if word not in SAFE_MATH_COMMANDS:
                return False
            expect_environment = word in ("begin", "end")
            if expect_environment:
                env = re.match(r"\{([A-Za-z]+\*?)\}", tex[m.end():])
                if env is None or env.group(1) not in SAFE_ENVIRONMENTS:
                    return False
            continue
        if symbol is not None:
            if symbol not in _CONTROL_SYMBOLS and not (formula and symbol == "\\"):
                return False
            continue
        if char not in allowed and not (char == "\n" and formula):
            return False
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


_MATH_SPAN = re.compile(r"(?<!\\)\$([^$]+?)(?<!\\)\$")


def _segments(text: str) -> list[tuple[bool, str]]:
    """(is_math, piece) of prose: a ``$…$`` span is maths only when it is safe; anything else is text."""
    out: list[tuple[bool, str]] = []
    last = 0
    for m in _MATH_SPAN.finditer(text):
        if m.group(1).strip() and math_is_safe(m.group(1)):
            out.append((False, text[last:m.start()]))
            out.append((True, m.group(1)))
            last = m.end()
    out.append((False, text[last:]))
    return [(is_math, piece) for is_math, piece in out if piece]


_TEX_ESCAPED = re.compile(r"\\([&%$#_{}])")  # \& \% \$ … written in a .tex title mean the character


def _single_line(text: str) -> str:
    """Runs of whitespace (newlines too: a new line could start a heading or an HTML block) as one space."""
    return re.sub(r"\s+", " ", text)


def tex_prose(text: str) -> str:
    """Author's prose as LaTeX text: everything escaped but whitelisted ``$…$`` maths."""
    text = _single_line(text).strip()
    return "".join(f"${piece}$" if is_math else text_latex(_TEX_ESCAPED.sub(r"\1", piece))
                   for is_math, piece in _segments(text))


# One pass over the text: HTML inert (entities; a backslash as one too, so no TeX command survives
# as text in the source), Markdown syntax escaped with a backslash.
_MD_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\\": "&#92;", **{c: "\\" + c for c in "`*_[]{}|#~$"}}
_MD_SPECIAL = re.compile("[" + re.escape("".join(_MD_ESCAPES)) + "]")


def md_text(text: str) -> str:
    """Plain text for Markdown: HTML inert, Markdown syntax escaped, on one line."""
    return _MD_SPECIAL.sub(lambda m: _MD_ESCAPES[m.group(0)], _single_line(text))


def _md_math(tex: str) -> str:
    """Maths for a Markdown renderer: nothing in it reads as HTML, a link or a table cell's end."""
    tex = tex.replace(r"\|", r"\Vert ").replace("|", r"\vert ")
    return tex.replace("<", r"\lt ").replace(">", r"\gt ").replace("](", "] (")


def md_prose(text: str) -> str:
    """Author's prose for Markdown: escaped text, and whitelisted ``$…$`` maths."""
    text = _single_line(text).strip()
    return "".join(f"${_md_math(piece)}$" if is_math else md_text(_TEX_ESCAPED.sub(r"\1", piece))
                   for is_math, piece in _segments(text))


WITHHELD = "formula not shown: it uses a command outside the writeup's whitelist"


def tex_formula(tex: str) -> str:
    """A printed formula for LaTeX maths, or a note in its place if it holds a command that is not maths."""
    return tex if math_is_safe(tex, formula=True) else rf"\text{{({text_latex(WITHHELD)})}}"


def md_formula(tex: str) -> str:
    """A printed formula for a Markdown ``$$`` block (see :func:`tex_formula`)."""
    return _md_math(tex) if math_is_safe(tex, formula=True) else rf"\text{{({WITHHELD})}}"


def math_text(text: str) -> str:
    """Prose for ``\\text{…}`` inside MathJax/KaTeX maths (notebooks): no command, no HTML, no link."""
    text = _single_line(text).strip().replace("\\", "/")
    text = re.sub(r"[{}$#%&_^~]", lambda m: "\\" + m.group(0) if m.group(0) in "{}$#%&_" else " ", text)
    text = text.replace("](", "] (")
    return re.sub(r"[<>]", lambda m: "}" + (r"\lt " if m.group(0) == "<" else r"\gt ") + r"\text{", text)
