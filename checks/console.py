"""How a report is shown on one output stream: Unicode or ASCII marks, with or without colour.

Colour only on a terminal, never when ``NO_COLOR`` is set (https://no-color.org) and never in
a pipe or file; ASCII marks (``+ ~ x ?``) and ASCII mathematics when the stream's encoding
cannot show ``✓`` (a cp1252 console), so a report never ends in a ``UnicodeEncodeError``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import TextIO

from derivcheck_steps.verdict import Verdict

_COLOURS = {"green": "32", "cyan": "36", "red": "31", "yellow": "33", "bold red": "1;31", "dim": "2"}
VERDICT_COLOUR = {Verdict.PROVED: "green", Verdict.CHECKED: "cyan", Verdict.REFUTED: "red", Verdict.UNKNOWN: "yellow"}

# What a console without Unicode gets instead (report prose, titles, justifications).
_ASCII = {
    "✓": "+", "✗": "x", "−": "-", "·": "*", "…": "...", "‖": "||", "≠": "!=", "≤": "<=", "≥": ">=", "⇒": "=>",
    "⇔": "<=>", "⊢": "|-", "≈": "~", "→": "->", "←": "<-", "∈": " in ", "×": "x", "Σ": "sum", "√": "sqrt",
    "ᵀ": "^T", "′": "'", "§": "S", "–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "±": "+/-",
    "∇": "grad ", "∂": "d", "⊙": ".*",
    # sets (checks/set_text.py): (0, ∞), ℝ \ {0}, [0, 1] ∪ [2, 3], ∅
    "∞": "inf", "ℝ": "R", "ℤ": "Z", "ℕ": "N", "∪": "U", "∩": "cap", "∅": "{}",
}
_GREEK = dict(zip("αβγδεζηθικλμνξπρστυφχψωΓΔΘΛΞΠΦΨΩ",
                  ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda",
                   "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega", "Gamma",
                   "Delta", "Theta", "Lambda", "Xi", "Pi", "Phi", "Psi", "Omega"], strict=True))
_SCRIPTS = {**dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱʲᵏᴺ", "0123456789+-=()nijkN", strict=True)),
            **dict(zip("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", "0123456789+-=()aehijklmnoprstuvx", strict=True))}
_SUPERS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱʲᵏᴺ"


def can_encode(stream: TextIO, sample: str = "✓✗−λΣᵀ²‖") -> bool:
    """Whether ``stream`` can write the report's Unicode marks and mathematics."""
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        sample.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def to_ascii(text: str) -> str:
    """``text`` with the report's Unicode spelled in ASCII (``λ`` → ``lambda``, ``x²`` → ``x^2``)."""
    def scripts(m: re.Match[str]) -> str:
        run = m.group(0)
        inner = "".join(_SCRIPTS[c] for c in run)
        mark = "^" if run[0] in _SUPERS else "_"
        return f"{mark}{inner}" if len(inner) == 1 else f"{mark}({inner})"

    text = re.sub(f"[{''.join(_SCRIPTS)}]+", scripts, text)
    out = []
    for c in text:
        if ord(c) < 128:
            out.append(c)
        else:
            out.append(_ASCII.get(c) or _GREEK.get(c) or "?")
    return "".join(out)


@dataclass(frozen=True)
class Style:
    """Unicode or ASCII, colour or not: everything a report needs to know about its output."""

    unicode: bool = True
    colour: bool = False

    @classmethod
    def for_stream(cls, stream: TextIO, colour: str = "auto") -> Style:
        """The style for ``stream``: colour "auto" means a terminal without ``NO_COLOR``."""
        isatty = getattr(stream, "isatty", None)
        tty = bool(isatty()) if callable(isatty) else False
        wants = {"always": True, "never": False}.get(colour, tty and not os.environ.get("NO_COLOR"))
        return cls(unicode=can_encode(stream), colour=wants)

    def mark(self, verdict: Verdict) -> str:
        """The verdict's mark: ``✓ ~ ✗ ?``, or ``+ ~ x ?`` in ASCII."""
        return verdict.mark if self.unicode else verdict.ascii_mark

    def paint(self, text: str, colour: str) -> str:
        """``text`` in ``colour`` on a colour terminal, unchanged otherwise."""
        if not self.colour or colour not in _COLOURS:
            return text
        return f"\x1b[{_COLOURS[colour]}m{text}\x1b[0m"

    def verdict(self, verdict: Verdict, text: str) -> str:
        """``text`` in the colour of ``verdict``."""
        return self.paint(text, VERDICT_COLOUR[verdict])

    def text(self, text: str) -> str:
        """Prose for this stream: unchanged in Unicode, spelled in ASCII otherwise."""
        return text if self.unicode else to_ascii(text)


PLAIN = Style()  # Unicode, no colour: what goes to files, the cache and pytest
