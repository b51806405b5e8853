"""Writeups of checked derivations: a standalone LaTeX document or Markdown with ``$$`` blocks.

Every mathematical expression comes from :mod:`checks.latex.printer` (the one printer); this module lays
out the document: title, legend, a summary table, one section per derivation with its docstring
as prose, each chain as an aligned calculation with the justification and verdict of every step
beside it, and notes under each derivation for steps that are not PROVED (counterexample and
residual for REFUTED, the numeric evidence for CHECKED, the reason for UNKNOWN). A reviewed step
that is wrong is followed by its correction and the correction's own verdict.

Output is deterministic: no dates, no timings, no environment-dependent text. Text from the
input reaches the output only through :mod:`checks.latex.escaping` (no payloads: no raw TeX,
HTML or Markdown links), and so does every printed formula (a symbol name is input too).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import sympy as sp

from checks import __version__
from checks.figures import can_draw, draw
from checks.latex.escaping import math_text, md_formula, md_prose, md_text, tex_formula, tex_prose
from checks.latex.printer import expr_latex, text_latex, value_latex
from checks.model import Chain, Derivation, Differentiate, Step
from checks.verdict import DerivationResult, StepResult, Verdict

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[utf8]{inputenc}
\usepackage[margin=2cm]{geometry}
\usepackage{amsmath,amssymb}
\usepackage{xcolor}
\usepackage{booktabs}
\usepackage{graphicx}
\definecolor{dcgreen}{rgb}{0.0,0.45,0.15}
\definecolor{dcblue}{rgb}{0.1,0.3,0.7}
\definecolor{dcred}{rgb}{0.75,0.0,0.0}
\definecolor{dcgray}{rgb}{0.4,0.4,0.4}
\newcommand{\dcPROVED}{\textcolor{dcgreen}{$\checkmark$\,\textsf{PROVED}}}
\newcommand{\dcCHECKED}{\textcolor{dcblue}{$\sim$\,\textsf{CHECKED}}}
\newcommand{\dcREFUTED}{\textcolor{dcred}{$\times$\,\textsf{\textbf{REFUTED}}}}
\newcommand{\dcUNKNOWN}{\textcolor{dcgray}{?\,\textsf{UNKNOWN}}}
\newcommand{\dcjust}[1]{\textit{\small #1}}
\allowdisplaybreaks
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5em}
"""

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
        return f"{_slug(result.id)}-{step.index}{self.suffix}"

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


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()


# -- shared pieces ------------------------------------------------------------------------------

def _mark_tex(verdict: Verdict) -> str:
    return rf"\dc{verdict.value}{{}}"


def _expected_note(res: StepResult) -> str:
    if res.expected is not None and res.expected != Verdict.PROVED:
        return "as expected" if res.verdict == res.expected else f"unexpected: wanted {res.expected.value}"
    if res.is_failure():
        return "unexpected"
    return ""


def _relation_tex(step: Step) -> str:
    if isinstance(step.by, Differentiate):
        return rf"\xrightarrow{{\nabla_{{{tex_formula(expr_latex(step.by.var))}}}}}"
    return RELATION_TEX.get(step.relation, step.relation)


def _visible_width(tex: str) -> int:
    """A rough printed width: LaTeX commands and braces do not take room."""
    stripped = re.sub(r"\\(left|right|operatorname|mathbb|frac|tfrac|top)\b", "", tex)
    stripped = re.sub(r"\\[a-zA-Z]+", "x", stripped)
    return len(re.sub(r"[{}^_ ]", "", stripped))


def _lines(expr: sp.Basic, derivation: Derivation) -> list[str]:
    """The expression as one or more lines: a long sum is broken before its terms."""
    tex = expr_latex(expr, derivation.ctx)
    if _visible_width(tex) <= LINE_WIDTH or tex_formula(tex) != tex:
        return [tex_formula(tex)]  # a formula withheld (not maths) is one line
    if isinstance(expr, sp.Equality | sp.Rel) and isinstance(expr.rhs, sp.Add):
        rel = {sp.Equality: "=", sp.StrictGreaterThan: ">", sp.StrictLessThan: "<", sp.GreaterThan: r"\geq",
               sp.LessThan: r"\leq"}.get(type(expr), "=")
        head = expr_latex(expr.lhs, derivation.ctx) + f" {rel} "
        terms = _terms(expr.rhs, derivation)
        return [tex_formula(line) for line in [head + terms[0], *terms[1:]]]
    if isinstance(expr, sp.Add):
        return [tex_formula(line) for line in _terms(expr, derivation)]
    return [tex]


def _terms(expr: sp.Add, derivation: Derivation) -> list[str]:
    """The terms of a sum in the printer's order, each but the first with its sign."""
    whole = expr_latex(expr, derivation.ctx)
    printed = [expr_latex(t, derivation.ctx) for t in expr.as_ordered_terms()]
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


# -- LaTeX ---------------------------------------------------------------------------------------

def _tag(number: str, res: StepResult) -> str:
    extra = _expected_note(res)
    extra = rf" \textsf{{\small ({text_latex(extra)})}}" if extra else ""
    return rf"\tag*{{({number})~\dcjust{{{tex_prose(res.justification)}}}\quad {_mark_tex(res.verdict)}{extra}}}"


def _chain_tex(chain: Chain, d: Derivation, results: dict[int, StepResult]) -> list[str]:
    rows = [r"\begin{align*}"]
    start_lines = _lines(chain.start, d)
    for k, line in enumerate(start_lines):
        rows.append(rf"  &{'' if k == 0 else QUAD}{line} \\")
    for step in chain.steps:
        res = results[step.index]
        rows.extend(_step_rows(_relation_tex(step), step.after, d, str(step.index), res))
        if res.correction is not None and step.correction is not None:
            rows.extend(_step_rows(_relation_tex(step), step.correction, d, f"{step.index}'", res.correction))
    rows[-1] = rows[-1].removesuffix(r" \\")
    rows.append(r"\end{align*}")
    return rows


def _step_rows(relation: str, expr: sp.Basic, d: Derivation, number: str, res: StepResult) -> list[str]:
    lines = _lines(expr, d)
    rows = []
    for k, line in enumerate(lines):
        lead = rf"{relation} {{}}" if k == 0 else ""
        indent = "" if k == 0 else r"\quad "
        tag = " " + _tag(number, res) if k == len(lines) - 1 else r" \notag"
        rows.append(rf"  {lead}&{indent}{line}{tag} \\")
    return rows


def _claim_tex(step: Step, d: Derivation, res: StepResult, figure: tuple[str | None, str] = (None, "")) -> list[str]:
    rows = []
    if step.experiment is not None:
        rows.append(rf"\textbf{{Experiment ({step.index}).}} {tex_prose(step.by.label)}\quad "
                    rf"{_mark_tex(res.verdict)}")
        path, note = figure
        if path is not None:
            rows += [r"\begin{center}", rf"\includegraphics[width=0.72\linewidth]{{{path}}}", r"\end{center}"]
        elif note:
            rows.append(rf"\\ {{\small\itshape ({text_latex(note)})}}")
        return rows
    if step.given:
        givens = ", ".join(f"${tex_formula(expr_latex(g, d.ctx))}$" for g in step.given)
        rows.append(rf"\textbf{{Claim ({step.index})}}, given {givens}:")
    else:
        rows.append(rf"\textbf{{Claim ({step.index}):}}")
    rows.append(r"\begin{align*}")
    body = [rf"  &{line} \notag \\" for line in _lines(step.after, d)]
    body[-1] = body[-1].replace(r" \notag \\", " " + _tag(str(step.index), res) + r" \\")
    if res.correction is not None and step.correction is not None:
        fixed = _lines(step.correction, d)
        body.extend(rf"  &{line} \notag \\" for line in fixed)
        body[-1] = body[-1].replace(r" \notag \\", " " + _tag(f"{step.index}'", res.correction) + r" \\")
    body[-1] = body[-1].removesuffix(r" \\")
    rows.extend(body)
    rows.append(r"\end{align*}")
    return rows


def _counterexample_tex(res: StepResult) -> str:
    pairs = sorted((res.counterexample or {}).items())
    return ", ".join(rf"${text_latex(k) if not k.isidentifier() else tex_formula(_symbol_tex(k))} = "
                     rf"{tex_formula(value_latex(v))}$" for k, v in pairs)


def _symbol_tex(name: str) -> str:
    return expr_latex(sp.Symbol(name))


def _note_tex(number: str, res: StepResult) -> list[str]:
    head = rf"\item[({number})] {_mark_tex(res.verdict)} \dcjust{{{tex_prose(res.justification)}}}."
    out = [head]
    if res.verdict == Verdict.REFUTED:
        if res.counterexample:
            out.append(rf"Counterexample: {_counterexample_tex(res)}.")
        if res.evidence.table:
            _inputs, lhs, rhs = res.evidence.table[0]
            out.append(rf"There the left side is ${tex_formula(value_latex(lhs))}$ and the right side "
                       rf"${tex_formula(value_latex(rhs))}$.")
        if res.residual_latex:
            out.append(r"Residual, left minus right:")
            out.append(rf"\[ {tex_formula(res.residual_latex)} \]")
        elif res.residual:
            out.append(rf"Residual, left minus right: ${tex_formula(value_latex(res.residual))}$.")
        mc = [m for m in res.evidence.monte_carlo if m.get("status") == "disagree"]
        if mc:
            m = mc[0]
            out.append(rf"Monte Carlo agrees that it is wrong: $t = {m['z']:.1f}$ over {m['samples']} samples "
                       rf"(seed {m['seed']}).")
    elif res.verdict == Verdict.CHECKED:
        out.append(rf"Numeric evidence only: {text_latex(res.evidence.numeric or res.reason)}.")
        if res.reason:
            out.append(rf"({text_latex(res.reason)})")
    elif res.verdict == Verdict.UNKNOWN:
        out.append(rf"Undecided: {text_latex(res.reason)}.")
    return out


def _derivation_tex(c: Checked, sink: FigureSink) -> list[str]:
    d, r = c.derivation, c.result
    section = rf" (\S{text_latex(d.section)})" if d.section else ""
    out = [rf"\section{{{tex_prose(d.title)}{section}}}"]
    kind = "Review of the handwritten solution, steps as written" if d.review else "Derivation"
    out.append(rf"\textsf{{\small {kind} --- \texttt{{{text_latex(r.id)}}}}}")
    out.append("")
    for para in _paragraphs(d.doc):
        out.append(tex_prose(para))
        out.append("")
    results = {s.index: s for s in r.steps}
    in_chain = {s.index for ch in d.chains for s in ch.steps}
    blocks: list[tuple[int, list[str]]] = [
        (ch.steps[0].index, _chain_tex(ch, d, results)) for ch in d.chains if ch.steps
    ]
    blocks += [(s.index, _claim_tex(s, d, results[s.index], sink.draw(r, results[s.index])))
               for s in d.steps if s.index not in in_chain]
    for _, rows in sorted(blocks, key=lambda b: b[0]):
        out.extend(rows)
        out.append("")
    notes = [line for number, res in _not_proved(r) for line in _note_tex(number, res)]
    if notes:
        out.append(r"\paragraph{Notes on the steps not proved.}")
        out.append(r"\begin{itemize}")
        out.extend(notes)
        out.append(r"\end{itemize}")
        out.append("")
    return out


def _not_proved(r: DerivationResult) -> list[tuple[str, StepResult]]:
    """(step number, result) of every step and correction that is not PROVED, in order."""
    out = []
    for s in r.steps:
        if s.verdict != Verdict.PROVED:
            out.append((str(s.index), s))
        if s.correction is not None and s.correction.verdict != Verdict.PROVED:
            out.append((f"{s.index}'", s.correction))
    return out


def _paragraphs(doc: str) -> list[str]:
    paras = [" ".join(line.strip() for line in block.splitlines()).strip() for block in doc.strip().split("\n\n")]
    return [p for p in paras if p]


def _counts(r: DerivationResult) -> dict[Verdict, int]:
    return {v: sum(1 for s in r.steps if s.verdict == v) for v in Verdict}


def _summary_tex(items: Sequence[Checked]) -> list[str]:
    out = [r"\begin{center}", r"\small", r"\begin{tabular}{llrrrrrl}", r"\toprule",
           r"Derivation & \S & Steps & \textcolor{dcgreen}{$\checkmark$} & \textcolor{dcblue}{$\sim$} & "
           r"\textcolor{dcred}{$\times$} & \textcolor{dcgray}{?} & As expected \\",
           r"\midrule"]
    for c in items:
        r = c.result
        counts = _counts(r)
        ok = "yes" if not r.failures() else rf"\textcolor{{dcred}}{{no ({len(r.failures())})}}"
        title = tex_prose(r.title) + (" (review)" if r.review else "")
        out.append(rf"{title} & {text_latex(r.section or '')} & {len(r.steps)} & "
                   + " & ".join(str(counts[v]) for v in Verdict) + rf" & {ok} \\")
    out += [r"\bottomrule", r"\end{tabular}", r"\end{center}"]
    return out


def render_tex(items: Sequence[Checked], title: str = "Checked derivations", figures: FigureSink | None = None) -> str:
    """A standalone LaTeX document (amsmath, amssymb, xcolor, booktabs, geometry, graphicx).

    ``figures`` says where to draw the figures of numeric experiments (none are drawn without it).
    """
    sink = figures or FigureSink()
    out = [PREAMBLE.rstrip(), "", rf"\title{{{text_latex(title)}}}",
           rf"\author{{checked by derivcheck {text_latex(__version__)}}}", r"\date{}", "",
           r"\begin{document}", r"\maketitle", ""]
    out.append(r"Every step of every derivation below was checked by derivcheck: proved symbolically with "
               r"SymPy where possible and cross-checked numerically with exact rational instances (and Monte "
               r"Carlo for expectations and variances). Each step carries its justification and its verdict:")
    out.append(r"\begin{itemize}")
    out.extend(rf"\item {_mark_tex(v)}: {text_latex(text)}." for v, text in LEGEND)
    out.append(r"\end{itemize}")
    out.append(r"Reviews record a handwritten solution as written; a wrong step there is expected to be "
               r"\dcREFUTED{} and is followed by its correction, numbered with a prime.")
    out.append("")
    out.extend(_summary_tex(items))
    out.append("")
    for c in items:
        out.extend(_derivation_tex(c, sink))
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


# -- Markdown ------------------------------------------------------------------------------------

_MD_MARK = {Verdict.PROVED: "✓ PROVED", Verdict.CHECKED: "~ CHECKED", Verdict.REFUTED: "✗ **REFUTED**",
            Verdict.UNKNOWN: "? UNKNOWN"}


def _md_chain(chain: Chain, d: Derivation, results: dict[int, StepResult]) -> list[str]:
    rows = ["$$", r"\begin{aligned}"]
    rows.extend(rf"&{'' if k == 0 else QUAD}{md_formula(line)} \\" for k, line in enumerate(_lines(chain.start, d)))
    table = ["| step | justification | verdict |", "|---|---|---|"]

    def add(relation: str, expr: sp.Basic, number: str, res: StepResult) -> None:
        lines = _lines(expr, d)
        for k, line in enumerate(lines):
            lead = rf"{relation} {{}}" if k == 0 else ""
            tail = rf" && \text{{({number})}}" if k == len(lines) - 1 else ""
            rows.append(rf"{lead}&{'' if k == 0 else QUAD}{md_formula(line)}{tail} \\")
        note = _expected_note(res)
        table.append(f"| ({number}) | {md_prose(res.justification)} | {_MD_MARK[res.verdict]}"
                     f"{f' ({note})' if note else ''} |")

    for step in chain.steps:
        res = results[step.index]
        add(_relation_tex(step), step.after, str(step.index), res)
        if res.correction is not None and step.correction is not None:
            add(_relation_tex(step), step.correction, f"{step.index}'", res.correction)
    rows[-1] = rows[-1].removesuffix(r" \\")
    rows += [r"\end{aligned}", "$$", ""]
    return rows + table + [""]


def _md_claim(step: Step, d: Derivation, res: StepResult, figure: tuple[str | None, str] = (None, "")) -> list[str]:
    note = _expected_note(res)
    verdict = f"{_MD_MARK[res.verdict]}{f' ({note})' if note else ''}"
    if step.experiment is not None:
        out = [f"**Experiment ({step.index}).** {md_prose(step.by.label)} — {verdict}", ""]
        if res.evidence.numeric:
            out += [f"> {md_text(res.evidence.numeric)}", ""]
        path, missing = figure
        if path is not None:
            out += [f"![{md_text(step.by.label)}]({path})", ""]
        elif missing:
            out += [f"*({missing})*", ""]
        return out
    given = (" given " + ", ".join(f"${md_formula(expr_latex(g, d.ctx))}$" for g in step.given)) if step.given else ""
    out = [f"**Claim ({step.index})**{given}: *{md_prose(step.by.label)}* — {verdict}", "", "$$",
           md_formula(expr_latex(step.after, d.ctx)), "$$", ""]
    if res.correction is not None and step.correction is not None:
        out += [f"**Corrected ({step.index}')** — {_MD_MARK[res.correction.verdict]}", "", "$$",
                md_formula(expr_latex(step.correction, d.ctx)), "$$", ""]
    return out


def _md_note(number: str, res: StepResult) -> list[str]:
    out = [f"- ({number}) {_MD_MARK[res.verdict]}, *{md_prose(res.justification)}*."]
    if res.verdict == Verdict.REFUTED:
        if res.counterexample:
            pairs = ", ".join(f"${md_formula(_symbol_tex(k))} = {md_formula(value_latex(v))}$"
                              for k, v in sorted(res.counterexample.items()))
            out.append(f"  Counterexample: {pairs}.")
        if res.evidence.table:
            _inputs, lhs, rhs = res.evidence.table[0]
            out.append(f"  There the left side is ${md_formula(value_latex(lhs))}$ and the right side "
                       f"${md_formula(value_latex(rhs))}$.")
        if res.residual_latex:
            out += ["  Residual, left minus right:", "", "  $$", f"  {md_formula(res.residual_latex)}", "  $$"]
    elif res.verdict == Verdict.CHECKED:
        out.append(f"  Numeric evidence only: {md_text(res.evidence.numeric or res.reason)}.")
    elif res.verdict == Verdict.UNKNOWN:
        out.append(f"  Undecided: {md_text(res.reason)}.")
    return out


def render_markdown(items: Sequence[Checked], title: str = "Checked derivations",
                    figures: FigureSink | None = None) -> str:
    """Markdown with ``$$`` blocks, for GitHub and Jupyter; figures as linked PNG files."""
    sink = figures or FigureSink(suffix=".png")
    out = [f"# {md_text(title)}", "", f"Checked by derivcheck {__version__}. Verdicts:", ""]
    out += [f"- {_MD_MARK[v]}: {text}." for v, text in LEGEND]
    out += ["", "| derivation | § | steps | ✓ | ~ | ✗ | ? | as expected |", "|---|---|---|---|---|---|---|---|"]
    for c in items:
        r = c.result
        counts = _counts(r)
        out.append(f"| {md_prose(r.title)}{' (review)' if r.review else ''} | {md_text(r.section or '')} | {len(r.steps)} | "
                   + " | ".join(str(counts[v]) for v in Verdict) + f" | {'yes' if not r.failures() else 'no'} |")
    out.append("")
    for c in items:
        out.extend(_md_derivation(c, sink))
    return "\n".join(out).rstrip() + "\n"


def _md_derivation(c: Checked, sink: FigureSink | None = None) -> list[str]:
    sink = sink or FigureSink(suffix=".png")
    d, r = c.derivation, c.result
    out = [_md_heading(d), ""]
    kind = "Review of the handwritten solution, steps as written" if d.review else "Derivation"
    out += [f"*{kind}* — {_md_id(r.id)}", ""]
    for para in _paragraphs(d.doc):
        out += [md_prose(para), ""]
    results = {s.index: s for s in r.steps}
    in_chain = {s.index for ch in d.chains for s in ch.steps}
    blocks = [(ch.steps[0].index, _md_chain(ch, d, results)) for ch in d.chains if ch.steps]
    blocks += [(s.index, _md_claim(s, d, results[s.index], sink.draw(r, results[s.index])))
               for s in d.steps if s.index not in in_chain]
    for _, rows in sorted(blocks, key=lambda b: b[0]):
        out.extend(rows)
    notes = [line for number, res in _not_proved(r) for line in _md_note(number, res)]
    if notes:
        out += ["**Notes on the steps not proved.**", "", *notes, ""]
    return out


def _md_heading(d: Derivation) -> str:
    return f"## {md_prose(d.title)}{f' (§{md_text(d.section)})' if d.section else ''}"


def _md_id(ident: str) -> str:
    """A derivation id as code when it is a plain dotted name (file names may hold anything)."""
    return f"`{ident}`" if re.fullmatch(r"[\w.:/-]+", ident) else md_text(ident)


# -- notebooks -----------------------------------------------------------------------------------

def derivation_markdown(d: Derivation, result: DerivationResult | None = None) -> str:
    """Markdown for one derivation: with verdicts when ``result`` is given, else the steps as written."""
    if result is not None:
        return "\n".join(_md_derivation(Checked(d, result))).rstrip() + "\n"
    out = [_md_heading(d), "", "*not checked yet*", ""]
    for chain in d.chains:
        rows = ["$$", r"\begin{aligned}", f"&{md_formula(expr_latex(chain.start, d.ctx))} \\\\"]
        rows += [rf"{_relation_tex(s)} {{}}&{md_formula(expr_latex(s.after, d.ctx))} && \text{{{math_text(s.by.label)}}} \\"
                 for s in chain.steps]
        rows[-1] = rows[-1].removesuffix(r" \\")
        out += [*rows, r"\end{aligned}", "$$", ""]
    out += [f"**Claim ({s.index})**: *{md_prose(s.by.label)}*\n\n$$\n{md_formula(expr_latex(s.after, d.ctx))}\n$$\n"
            for s in d.steps if s.relation == "⊢"]
    return "\n".join(out).rstrip() + "\n"


def derivation_aligned_latex(d: Derivation, result: DerivationResult) -> str:
    """One ``$$\\begin{aligned}…$$`` block of every chain with verdicts (for ``_repr_latex_``)."""
    results = {s.index: s for s in result.steps}
    rows = []
    for chain in d.chains:
        rows.append(f"&{tex_formula(expr_latex(chain.start, d.ctx))} \\\\")
        for s in chain.steps:
            res = results[s.index]
            rows.append(rf"{_relation_tex(s)} {{}}&{tex_formula(expr_latex(s.after, d.ctx))} && "
                        rf"\text{{({s.index}) {math_text(res.justification)} — {res.verdict.mark} {res.verdict.value}}} \\")
    for s in d.steps:
        if s.relation == "⊢" and s.experiment is None:
            res = results[s.index]
            rows.append(rf"&{tex_formula(expr_latex(s.after, d.ctx))} && \text{{({s.index}) {math_text(res.justification)} — "
                        rf"{res.verdict.mark} {res.verdict.value}}} \\")
    if rows:
        rows[-1] = rows[-1].removesuffix(r" \\")
    return "$$\\begin{aligned}\n" + "\n".join(rows) + "\n\\end{aligned}$$"
