"""What the LaTeX and Markdown writeups share: the checked items, figures, and formulas laid out in lines.

A long sum is broken before its terms (estimated printed width); every formula goes through
:func:`derivcheck_steps.latex.escaping.tex_formula`, so a symbol spelled as a TeX command never reaches a
writeup as TeX.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sympy as sp

from derivcheck_steps.figures import can_draw, draw
from derivcheck_steps.latex.escaping import math_is_safe, tex_formula
from derivcheck_steps.latex.printer import expr_latex
from derivcheck_steps.model import Chain, Derivation, Differentiate, Step
from derivcheck_steps.verdict import DerivationResult, StepResult, Verdict

LEGEND = [
    (Verdict.PROVED, "a symbolic argument holds under the declared assumptions"),
    (Verdict.CHECKED, "no symbolic proof; exact or Monte Carlo numeric evidence agrees"),
    (Verdict.REFUTED, "a counterexample, confirmed in exact arithmetic (shown with the residual)"),
    (Verdict.UNKNOWN, "undecided; the reason is given"),
]

RELATION_TEX = {"=": "=", "⇒": r"\Rightarrow", "⇔": r"\Leftrightarrow"}
QUAD = r"\quad "
LINE_WIDTH = 95  # estimated printed width (characters of visible math) before an Add is broken


@dataclass(frozen=True)
class Checked:
    """A derivation together with the result of checking it."""

    derivation: Derivation
    result: DerivationResult


@dataclass
class FigureSink:
    """Where the figures of numeric experiments go: drawn next to the output file, referenced by a relative path."""

    folder: Path | None = None  # None: no output file, figures are not drawn
    relative: str = ""  # how the document refers to the folder
    suffix: str = ".pdf"

    def name(self, result: DerivationResult, step: StepResult) -> str:
        return f"{slug(result.id)}-{step.index}{self.suffix}"

    def draw(self, result: DerivationResult, step: StepResult) -> tuple[str | None, str]:
        """(path for the document or None, a note when no figure could be drawn)."""
        if step.figure is None:
            return None, ""
        if self.folder is None:
            return None, "figure drawn only when the writeup is written to a file (-o FILE)"
        if not can_draw():
            return None, "figure not drawn: matplotlib is not installed (pip install 'derivcheck[plots]')"
        name = self.name(result, step)
        draw(step.figure, self.folder / name)
        return f"{self.relative}/{name}" if self.relative else name, ""


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()


def expected_note(res: StepResult) -> str:
    if res.expected is not None and res.expected != Verdict.PROVED:
        return "as expected" if res.verdict == res.expected else f"unexpected: wanted {res.expected.value}"
    if res.is_failure():
        return "unexpected"
    return ""


def relation_tex(step: Step) -> str:
    if isinstance(step.by, Differentiate):
        return rf"\xrightarrow{{\nabla_{{{tex_formula(expr_latex(step.by.var))}}}}}"
    return RELATION_TEX.get(step.relation, step.relation)


def _visible_width(tex: str) -> int:
    """A rough printed width: LaTeX commands and braces do not take room."""
    stripped = re.sub(r"\\(left|right|operatorname|mathbb|frac|tfrac|top)\b", "", tex)
    stripped = re.sub(r"\\[a-zA-Z]+", "x", stripped)
    return len(re.sub(r"[{}^_ ]", "", stripped))


def source_tex(source: str) -> str | None:
    """A row's LaTeX source as a writeup formula: labels, tags, alignment and closing punctuation dropped.

    None when it uses anything beyond the whitelisted mathematical commands (a macro of the
    document's own preamble would not compile in the writeup): then the expression is printed.
    """
    tex = _outside_environments(source or "", lambda part: re.sub(
        r"\\(?:label|tag\*?)\{[^{}]*\}|\\(?:nonumber|notag)\b|&|\\\\", " ", part))  # a pmatrix keeps its & and \\
    tex = re.sub(r"(?<!\\)[.,;]\s*$", "", " ".join(tex.split())).strip()
    # what is left of & and \\ lies inside a matrix environment: allowed as in the printer's own matrices
    if not tex or not math_is_safe(tex, formula="\\begin{" in tex) or not _balanced(tex) or re.search(r"[\^_]\s*$", tex):
        return None
    return tex


def _outside_environments(tex: str, change: Callable[[str], str]) -> str:
    """``tex`` with ``change`` applied to the text outside its ``\\begin{…} … \\end{…}`` environments."""
    out, depth, start = [], 0, 0
    for m in re.finditer(r"\\(begin|end)\{[^{}]*\}", tex):
        if m.group(1) == "begin":
            if depth == 0:
                out.append(change(tex[start:m.start()]))
                start = m.start()
            depth += 1
        elif depth > 0:
            depth -= 1
            if depth == 0:
                out.append(tex[start:m.end()])
                start = m.end()
    out.append(change(tex[start:]) if depth == 0 else tex[start:])
    return "".join(out)


def _balanced(tex: str) -> bool:
    """Braces, ``\\left``/``\\right`` and environments close within the row (a row split inside ``\\left( … \\right)`` does not)."""
    depth = 0
    for c in re.sub(r"\\[{}]", "", tex):
        depth += {"{": 1, "}": -1}.get(c, 0)
        if depth < 0:
            return False
    lefts, rights = len(re.findall(r"\\left\b", tex)), len(re.findall(r"\\right\b", tex))
    return depth == 0 and lefts == rights and tex.count("\\begin{") == tex.count("\\end{")


def shown_lines(obj: Step | Chain, derivation: Derivation) -> list[str]:
    """What a writeup prints for a step (or a chain's start): the row's source, the written form, or the printed expression.

    The check always uses the evaluated expression; this is for reading only (``Step.source``, ``Step.written``).
    """
    source = source_tex(obj.source)
    if source is not None:
        return [source]
    if obj.written is not None:
        return formula_lines(obj.written, derivation, written=True)
    return formula_lines(obj.shown, derivation)


def shown_latex(obj: Step | Chain, derivation: Derivation) -> str:
    """:func:`shown_lines` on one line."""
    return " ".join(shown_lines(obj, derivation))


def formula_lines(expr: sp.Basic, derivation: Derivation, written: bool = False) -> list[str]:
    """The expression as one or more lines: a long sum is broken before its terms (``written``: in their order)."""
    tex = expr_latex(expr, derivation.ctx, written)
    if _visible_width(tex) <= LINE_WIDTH or tex_formula(tex) != tex:
        return [tex_formula(tex)]  # a formula withheld (not maths) is one line
    if isinstance(expr, sp.Equality | sp.Rel) and isinstance(expr.rhs, sp.Add):
        rel = {sp.Equality: "=", sp.StrictGreaterThan: ">", sp.StrictLessThan: "<", sp.GreaterThan: r"\geq",
               sp.LessThan: r"\leq"}.get(type(expr), "=")
        head = expr_latex(expr.lhs, derivation.ctx, written) + f" {rel} "
        terms = _terms(expr.rhs, derivation, written)
        return [tex_formula(line) for line in [head + terms[0], *terms[1:]]]
    if isinstance(expr, sp.Add):
        return [tex_formula(line) for line in _terms(expr, derivation, written)]
    return [tex]


def _terms(expr: sp.Add, derivation: Derivation, written: bool = False) -> list[str]:
    """The terms of a sum in the printer's order, each but the first with its sign."""
    whole = expr_latex(expr, derivation.ctx, written)
    printed = [expr_latex(t, derivation.ctx, written) for t in (expr.args if written else expr.as_ordered_terms())]
    # follow the printer's own order: sort the terms by where they occur in the whole
    printed.sort(key=lambda t: whole.find(t.lstrip("- ")) if whole.find(t.lstrip("- ")) >= 0 else len(whole))
    lines, current = [], ""
    for k, t in enumerate(printed):
        piece = t if k == 0 else (t if t.startswith("-") else "+ " + t)
        if current and _visible_width(current + piece) > LINE_WIDTH:
            lines.append(current)
            current = piece
        else:
            current = f"{current} {piece}".strip()
    lines.append(current)
    return lines


def symbol_tex(name: str) -> str:
    return expr_latex(sp.Symbol(name))


def not_proved(r: DerivationResult) -> list[tuple[str, StepResult]]:
    """(step number, result) of every step and correction that is not PROVED, in order."""
    out = []
    for s in r.steps:
        if s.verdict != Verdict.PROVED:
            out.append((str(s.index), s))
        if s.correction is not None and s.correction.verdict != Verdict.PROVED:
            out.append((f"{s.index}'", s.correction))
    return out


def paragraphs(doc: str) -> list[str]:
    paras = [" ".join(line.strip() for line in block.splitlines()).strip() for block in doc.strip().split("\n\n")]
    return [p for p in paras if p]


def verdict_counts(r: DerivationResult) -> dict[Verdict, int]:
    return {v: sum(1 for s in r.steps if s.verdict == v) for v in Verdict}


def monte_carlo_refutation(res: object) -> str | None:
    """The writeups' note on a REFUTED step that Monte Carlo also contradicts (the same words in .tex and .md)."""
    mc = [m for m in res.evidence.monte_carlo if m.get("status") == "disagree"]  # type: ignore[attr-defined]
    if not mc:
        return None
    m = mc[0]
    return f"Monte Carlo agrees that it is wrong: $t = {m['z']:.1f}$ over {m['samples']} samples (seed {m['seed']})."
