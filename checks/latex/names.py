"""Names in formulas: one canonical spelling per name, and the Context name a LaTeX name declares.

A name is a letter or a Greek letter (``x``, ``\\theta``), possibly styled (``\\mathbf{x}``,
``\\boldsymbol\\theta``, ``\\mathrm{x}``, ``\\mathit{x}``: the same name), accented (``\\hat\\theta``,
``\\bar x``, ``\\tilde{y}``), calligraphic (``\\mathcal{L}``), ``\\ell``, with primes (``x'``), a
subscript (``\\sigma_w``, ``\\theta_0``) and a star (``w^*``, ``x^\\star``). Its canonical key writes
every group in braces: ``\\hat{\\theta}``, ``\\sigma_{w}``, ``w^{*}``; the reader and the declarations
both use it, so ``\\sigma_w`` and ``\\sigma_{w}`` are one name.
"""

from __future__ import annotations

import re

from derivcheck_steps.latex.tokens import Tok, tokenize

GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota",
         "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "varphi", "chi", "psi",
         "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega", "varrho",
         "varsigma", "Upsilon", "varpi", "varkappa"}
#: commands that are one letter-like name on their own
LETTERS = {f"\\{g}" for g in GREEK} | {r"\ell", r"\imath", r"\jmath", r"\hbar", r"\aleph"}
#: accents: part of the name they decorate
ACCENTS = {r"\hat", r"\bar", r"\tilde", r"\widehat", r"\widetilde", r"\overline", r"\dot", r"\ddot", r"\vec",
           r"\check", r"\breve", r"\acute", r"\grave", r"\mathring"}
#: styles: the same name written in another font
STYLES = {r"\mathbf", r"\boldsymbol", r"\mathrm", r"\mathit", r"\mathsf", r"\mathnormal", r"\bf", r"\rm"}
#: fonts that make a different name (\mathcal{L} is not L)
FONTS = {r"\mathcal", r"\mathscr", r"\mathfrak"}
STARS = {"*", r"\star", r"\ast"}


def _braced(toks: list[Tok], k: int) -> tuple[list[Tok], int] | None:
    """The tokens of the argument at ``k`` (a ``{…}`` group or one token) and the index after it."""
    if k >= len(toks):
        return None
    if toks[k].text != "{":
        return [toks[k]], k + 1
    depth = 0
    for m in range(k, len(toks)):
        depth += {"{": 1, "}": -1}.get(toks[m].text, 0)
        if depth == 0:
            return toks[k + 1:m], m + 1
    return None


def join(toks: list[Tok]) -> str:
    """Token texts joined as LaTeX (a space only where a command would run into a letter)."""
    out = ""
    for t in toks:
        if out and re.search(r"\\[A-Za-z]+$", out) and t.text[:1].isalpha():
            out += " "
        out += t.text
    return out


def read_base(toks: list[Tok], k: int) -> tuple[str, int] | None:
    """The canonical key of the name's base at ``k`` (letter, Greek, accented, styled), or None."""
    if k >= len(toks):
        return None
    text = toks[k].text
    if len(text) == 1 and text.isalpha():
        return text, k + 1
    if text in LETTERS:
        return text, k + 1
    if text in ACCENTS | STYLES | FONTS:
        arg = _braced(toks, k + 1)
        if arg is None or not arg[0]:
            return None
        inner = read_base(arg[0], 0)
        if inner is None or inner[1] != len(arg[0]):
            if text in FONTS and len(arg[0]) == 1:
                return f"{text}{{{arg[0][0].text}}}", arg[1]
            return None
        if text in STYLES:
            return inner[0], arg[1]
        return f"{text}{{{inner[0]}}}", arg[1]
    return None


def _name_key(toks: list[Tok]) -> str | None:
    """The canonical key if ``toks`` are exactly one name, else None."""
    base = read_base(toks, 0)
    if base is None:
        return None
    key, k = base
    while k < len(toks) and toks[k].text == "'":
        key, k = key + "'", k + 1
    sub = star = None
    while k < len(toks) and toks[k].text in ("_", "^"):
        arg = _braced(toks, k + 1)
        if arg is None:
            break
        if toks[k].text == "_" and sub is None:
            sub, k = join(arg[0]), arg[1]
        elif toks[k].text == "^" and star is None and len(arg[0]) == 1 and arg[0][0].text in STARS:
            star, k = arg[0][0].text, arg[1]
        else:
            break
    if k != len(toks):
        return None
    return key + (f"_{{{sub}}}" if sub is not None else "") + (f"^{{{star}}}" if star is not None else "")


def _tokens(spelling: str) -> list[Tok] | None:
    try:
        return tokenize(spelling)
    except ValueError:
        return None


def canonical_name(spelling: str) -> str:
    """The canonical key of a name written in LaTeX (``\\sigma_w`` -> ``\\sigma_{w}``); else the text itself."""
    toks = _tokens(spelling)
    if toks is None:
        return spelling.strip()
    key = _name_key(toks)
    return key if key is not None else join(toks)


def is_name(spelling: str) -> bool:
    """Whether ``spelling`` is exactly one name (``\\sigma_w`` yes, ``\\nabla\\mathcal{L}`` no)."""
    toks = _tokens(spelling)
    return toks is not None and _name_key(toks) is not None


def latex_key(name: str, latex: str | None = None) -> str:
    """The canonical key of a Context name (``lambda`` -> ``\\lambda``, ``sigma_w`` -> ``\\sigma_{w}``)."""
    if latex and "{0}" not in latex and "{1}" not in latex:
        return canonical_name(latex)
    base, _, sub = name.partition("_")
    primes = ""
    while base.endswith("'"):
        base, primes = base[:-1], primes + "'"
    base = "\\" + base if base in GREEK else base
    if sub:
        sub = "\\" + sub if sub in GREEK else sub
        return f"{base}{primes}_{{{sub}}}"
    return base + primes


def context_name(key: str) -> str:
    """A Context name for a canonical key (``\\hat{\\theta}`` -> ``hat_theta``; ``\\sigma_{w}`` -> ``sigma_w``)."""
    name = key.replace("^{*}", "_star").replace(r"^{\star}", "_star").replace(r"^{\ast}", "_star")
    name = re.sub(r"\\(math)?(cal|scr|frak)\{", "cal_", name)
    name = re.sub(r"\\(text|mathrm|operatorname)\{", "", name)
    name = re.sub(r"\\([A-Za-z]+)\{", r"\1_", name)
    name = name.replace("\\", "").replace("{", "").replace("}", "").replace(" ", "")
    return re.sub(r"[^A-Za-z0-9_']", "_", name).strip("_") or "name"


def declare_hint(spelling: str) -> str:
    """What to write to declare a name that is used but not declared."""
    return f"`{spelling}` is not declared: add `% derivcheck: scalar {spelling}`"
