"""A row's LaTeX source as one line of plain mathematics, for terminal reports of .tex/.md input.

The report shows each step as its author wrote it, not as SymPy evaluated it: the row
``(xw - t)^T (xw - t) + \\lambda w^T w`` prints as ``(xw − t)ᵀ(xw − t) + λwᵀw``, where the evaluated
form would read ``λwᵀw + (−tᵀ + wᵀxᵀ)(−t + xw)`` — the same as the line before a "transpose of a
difference" step.

>>> source_plain(r"\\frac{1}{2} \\|Ax - b\\|_2^2 + \\lambda w^\\top w")
'1/2 ‖Ax − b‖₂² + λwᵀw'

A command this small converter does not know (a macro of the document's preamble) gives None:
the report then prints the expression that was checked.
"""

from __future__ import annotations

import re

from derivcheck_steps.plain import _SUB, _SUP, GREEK, VULGAR, script

_DROP = {
    "left",
    "right",
    "big",
    "Big",
    "bigg",
    "Bigg",
    "bigl",
    "bigr",
    "Bigl",
    "Bigr",
    "displaystyle",
    "textstyle",
    "limits",
    "nonumber",
    "notag",
    "middle",
}
_SYMBOLS = {
    "cdot": "·",
    "times": "×",
    "le": "≤",
    "leq": "≤",
    "leqslant": "≤",
    "ge": "≥",
    "geq": "≥",
    "geqslant": "≥",
    "ne": "≠",
    "neq": "≠",
    "approx": "≈",
    "in": "∈",
    "infty": "∞",
    "partial": "∂",
    "nabla": "∇",
    "top": "ᵀ",
    "intercal": "ᵀ",
    "to": "→",
    "rightarrow": "→",
    "leftarrow": "←",
    "Rightarrow": "⇒",
    "implies": "⇒",
    "iff": "⇔",
    "Leftrightarrow": "⇔",
    "sim": "∼",
    "pm": "±",
    "odot": "⊙",
    "otimes": "⊗",
    "circ": "∘",
    "ldots": "…",
    "cdots": "⋯",
    "dots": "…",
    "lVert": "‖",
    "rVert": "‖",
    "Vert": "‖",
    "lvert": "|",
    "rvert": "|",
    "vert": "|",
    "mid": "|",
    "langle": "⟨",
    "rangle": "⟩",
    "prime": "′",
    "ell": "ℓ",
    "star": "*",
    "ast": "*",
    "propto": "∝",
    "equiv": "≡",
    "quad": " ",
    "qquad": " ",
    "sum": "Σ",
    "prod": "Π",
    "int": "∫",
    "emptyset": "∅",
}
_NAMED = {
    "log",
    "exp",
    "ln",
    "min",
    "max",
    "arg",
    "argmin",
    "argmax",
    "det",
    "sin",
    "cos",
    "tan",
    "tanh",
    "sup",
    "inf",
    "lim",
    "sigmoid",
}
_TEXT = {"text", "textrm", "mbox", "mathrm", "mathit", "mathbf", "mathsf", "mathtt", "boldsymbol", "operatorname", "mathcal", "bm"}
_ACCENT = {
    "hat": "\u0302",
    "widehat": "\u0302",
    "tilde": "\u0303",
    "widetilde": "\u0303",
    "bar": "\u0304",
    "overline": "\u0304",
    "dot": "\u0307",
    "vec": "\u20d7",
}
_SPACE = "\x03"  # a space that stays (after Σ, log …): other spaces between atoms are dropped
_OPS = "+−=<>≤≥≠≈⇒⇔→←∈±×,;∼∝≡"
_BLACKBOARD = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "E": "E", "P": "P"}


#: matrix environments and the brackets they print with
_MATRICES = {"pmatrix": "()", "bmatrix": "[]", "Bmatrix": "{}", "vmatrix": "||", "Vmatrix": "‖‖", "matrix": "[]",
             "smallmatrix": "[]", "array": "[]"}


class _Unknown(Exception):
    pass


class _Reader:
    def __init__(self, tex: str) -> None:
        self.tex, self.i = tex, 0

    def group(self) -> str:
        """The next argument: ``{…}``, a command, or one character."""
        while self.i < len(self.tex) and self.tex[self.i].isspace():
            self.i += 1
        if self.i >= len(self.tex):
            raise _Unknown("missing argument")
        if self.tex[self.i] == "{":
            return self.until_close()
        if self.tex[self.i] == "\\":
            return self.command()
        self.i += 1
        return self.tex[self.i - 1]

    def raw_group(self) -> str:
        """The next ``{…}`` as text, unconverted (\\text{…})."""
        while self.i < len(self.tex) and self.tex[self.i].isspace():
            self.i += 1
        if self.i >= len(self.tex) or self.tex[self.i] != "{":
            return self.group()
        depth, start = 0, self.i
        for j in range(self.i, len(self.tex)):
            depth += {"{": 1, "}": -1}.get(self.tex[j], 0)
            if depth == 0:
                self.i = j + 1
                return self.tex[start + 1 : j]
        raise _Unknown("unbalanced braces")

    def until_close(self) -> str:
        self.i += 1  # "{"
        out = self.sequence(closing=True)
        return out

    def sequence(self, closing: bool = False) -> str:
        out: list[str] = []
        while self.i < len(self.tex):
            c = self.tex[self.i]
            if c == "}":
                if not closing:
                    raise _Unknown("unbalanced braces")
                self.i += 1
                return "".join(out)
            if c == "{":
                out.append(self.until_close())
            elif c == "\\":
                out.append(self.command())
            elif c in "^_":
                self.i += 1
                scripted = self._script(self.group(), c)
                if out and out[-1].endswith(_SPACE):  # Σ_{i=1}^{N} x: the scripts before the space
                    out[-1] = out[-1][:-1] + scripted + _SPACE
                else:
                    out.append(scripted)
            elif c == "-":
                self.i += 1
                out.append("−")
            elif c in "&%$#~":
                self.i += 1
                if c in "%#":
                    raise _Unknown(c)
            else:
                self.i += 1
                out.append(" " if c.isspace() else c)
        if closing:
            raise _Unknown("unbalanced braces")
        return "".join(out)

    def command(self) -> str:  # noqa: C901 - one case per kind of command
        m = re.compile(r"\\([A-Za-z]+|.)").match(self.tex, self.i)
        if m is None:
            raise _Unknown("\\")
        self.i = m.end()
        name = m.group(1)
        if name in _DROP:
            return ""
        if name in (",", ";", ":", " ", "!"):
            return " " if name != "!" else ""
        if name in ("{", "}", "_", "&", "%", "#"):
            return name
        if name in ("|",):
            return "‖"
        if name in ("frac", "dfrac", "tfrac"):
            num, den = self.group(), self.group()
            vulgar = VULGAR.get((int(num), int(den))) if num.isdigit() and den.isdigit() else None
            return (vulgar or f"{_wrap(num)}/{_wrap(den)}") + _SPACE
        if name == "sqrt":
            return "√" + _wrap(self.group())
        if name in _TEXT:
            inner = self.raw_group() if name in ("text", "textrm", "mbox") else self.group()
            return inner
        if name == "mathbb":
            inner = self.group()
            return _BLACKBOARD.get(inner, inner)
        if name == "boxed":
            return self.group()
        if name in _ACCENT:
            inner = self.group()
            return inner + _ACCENT[name] if len(inner) == 1 else f"{inner}{_ACCENT[name]}"
        if name in GREEK:
            return GREEK[name]
        if name in _SYMBOLS:
            return _SYMBOLS[name] + (_SPACE if name in ("sum", "prod", "int") else "")
        if name in _NAMED:
            return name + _SPACE
        if name == "begin":
            return self.environment()
        raise _Unknown(name)

    def environment(self) -> str:
        """``\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}`` as ``(a, b; c, d)``: rows at ``;``, entries at ``,``."""
        env = self.raw_group().strip()
        if env not in _MATRICES:
            raise _Unknown(env)
        if env == "array":
            self.raw_group()  # the column specification
        pattern = re.compile(r"\\(begin|end)\{[^{}]*\}")
        depth, start = 1, self.i
        for m in pattern.finditer(self.tex, self.i):
            depth += 1 if m.group(1) == "begin" else -1
            if depth == 0:
                body, self.i = self.tex[start:m.start()], m.end()
                break
        else:
            raise _Unknown("unclosed environment")
        rows = [r for r in re.split(r"\\\\(?:\[[^\]]*\])?", body) if r.strip()]
        if any("\\begin" in r for r in rows):
            raise _Unknown("nested environment")
        cells = "; ".join(", ".join(_Reader(c).sequence().strip().strip(_SPACE) for c in r.split("&")) for r in rows)
        opener, closer = _MATRICES[env][0], _MATRICES[env][-1]
        return f"{opener}{cells}{closer}"

    @staticmethod
    def _script(body: str, mark: str) -> str:
        body = body.replace(_SPACE, "").strip()
        if mark == "^" and body in ("T", "ᵀ", "⊤", "\\top"):
            return "ᵀ"
        if mark == "^" and body == "−1":
            return "⁻¹"
        table = _SUP if mark == "^" else _SUB
        return script(body.replace("−", "-").replace(" ", ""), table, mark).replace("-", "−")


def _wrap(text: str) -> str:
    """``text`` in parentheses when it is more than one atom (for a/b and √)."""
    text = text.replace(_SPACE, " ").strip()
    scripts = "".join(sorted(set(_SUP.values()) | set(_SUB.values()))) + "ᵀ′"
    atom = rf"(\d+(\.\d+)?|[A-Za-z\u0370-\u03ff][\u0300-\u036f]?[{scripts}]*)"
    return text if re.fullmatch(atom, text) else f"({text})"


def _spaced(text: str) -> str:
    """Spaces around binary operators only: ``x − εw``, ``2xᵀxw``, ``(xw − t)ᵀ(xw − t)``."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(" +", " ", re.sub(rf"\s*([{_OPS}])\s*", r" \1 ", text))
    text = re.sub(rf"(?<=[^\s{_OPS}]) (?=[^\s{_OPS}])", "", text)
    text = re.sub(r"([(\[{]|^) ?− ", r"\1−", text)  # unary minus
    text = re.sub(rf"([{_OPS}]) − ", lambda m: f"{m.group(1)} −" if m.group(1) != "−" else m.group(0), text)
    text = text.replace(" , ", ", ").replace(" ; ", "; ").replace(_SPACE, " ")
    return re.sub(r" +", " ", text).strip()


def source_plain(tex: str) -> str | None:
    """The LaTeX source of a row as plain one-line mathematics, or None if it uses a command not known here."""
    tex = re.sub(r"\\(?:label|tag\*?)\{[^{}]*\}", " ", tex or "")
    tex = re.sub(r"(?<!\\)[.,;]\s*$", "", tex.strip())
    if not tex:
        return None
    try:
        return _spaced(_Reader(tex).sequence()) or None
    except (_Unknown, RecursionError):
        return None
