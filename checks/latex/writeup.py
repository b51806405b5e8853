"""Writeups of checked derivations: a standalone LaTeX document (and, from :mod:`derivcheck_steps.latex.markdown`, Markdown).

Every mathematical expression comes from :mod:`derivcheck_steps.latex.printer` (the one printer); this module lays
out the document: title, legend, a summary table, one section per derivation with its docstring
as prose, each chain as an aligned calculation with the justification and verdict of every step
beside it, and notes under each derivation for steps that are not PROVED (counterexample and
residual for REFUTED, the numeric evidence for CHECKED, the reason for UNKNOWN). A reviewed step
that is wrong is followed by its correction and the correction's own verdict.

Output is deterministic: no dates, no timings, no environment-dependent text. Text from the
input reaches the output only through :mod:`derivcheck_steps.latex.escaping` (no payloads: no raw TeX,
HTML or Markdown links), and so does every printed formula (a symbol name is input too).
"""

from __future__ import annotations

from collections.abc import Sequence

from derivcheck_steps import __version__
from derivcheck_steps.latex.escaping import tex_formula, tex_prose
from derivcheck_steps.latex.layout import (
    LEGEND,
    QUAD,
    Checked,
    FigureSink,
    expected_note,
    formula_lines,
    monte_carlo_refutation,
    not_proved,
    paragraphs,
    relation_tex,
    shown_lines,
    source_tex,
    symbol_tex,
    verdict_counts,
)
from derivcheck_steps.latex.markdown import derivation_aligned_latex, derivation_markdown, render_markdown
from derivcheck_steps.latex.printer import expr_latex, text_latex, value_latex
from derivcheck_steps.model import Chain, Derivation, Step
from derivcheck_steps.verdict import StepResult, Verdict

__all__ = ["Checked", "FigureSink", "derivation_aligned_latex", "derivation_markdown", "render_markdown", "render_tex"]

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


def _mark_tex(verdict: Verdict) -> str:
    return rf"\dc{verdict.value}{{}}"


def _tag(number: str, res: StepResult) -> str:
    extra = expected_note(res)
    extra = rf" \textsf{{\small ({text_latex(extra)})}}" if extra else ""
    return rf"\tag*{{({number})~\dcjust{{{tex_prose(res.justification)}}}\quad {_mark_tex(res.verdict)}{extra}}}"


def _chain_tex(chain: Chain, d: Derivation, results: dict[int, StepResult]) -> list[str]:
    rows = [r"\begin{align*}"]
    start_lines = shown_lines(chain, d)
    for k, line in enumerate(start_lines):
        rows.append(rf"  &{'' if k == 0 else QUAD}{line} \\")
    for step in chain.steps:
        res = results[step.index]
        rows.extend(_step_rows(relation_tex(step), shown_lines(step, d), str(step.index), res))
        if res.correction is not None and step.correction is not None:
            rows.extend(_step_rows(relation_tex(step), formula_lines(step.correction, d), f"{step.index}'", res.correction))
    rows[-1] = rows[-1].removesuffix(r" \\")
    rows.append(r"\end{align*}")
    return rows


def _step_rows(relation: str, lines: list[str], number: str, res: StepResult) -> list[str]:
    rows = []
    for k, line in enumerate(lines):
        lead = rf"{relation} {{}}" if k == 0 else ""
        indent = "" if k == 0 else r"\quad "
        tag = " " + _tag(number, res) if k == len(lines) - 1 else r" \notag"
        rows.append(rf"  {lead}&{indent}{line}{tag} \\")
    return rows


def _claim_tex(step: Step, d: Derivation, res: StepResult, figure: tuple[str | None, str] = (None, "")) -> list[str]:
    rows = []
    approximation = source_tex(step.source) if getattr(step, "unchecked", "") else None
    if approximation is not None:  # a ≈ row of a document: its maths, not an "experiment"
        return [rf"\textbf{{Approximation ({step.index}).}} ${{}}\approx {approximation}$\quad {_mark_tex(res.verdict)} "
                rf"{{\small ({text_latex(step.unchecked)})}}"]
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
    body = [rf"  &{line} \notag \\" for line in shown_lines(step, d)]
    body[-1] = body[-1].replace(r" \notag \\", " " + _tag(str(step.index), res) + r" \\")
    if res.correction is not None and step.correction is not None:
        fixed = formula_lines(step.correction, d)
        body.extend(rf"  &{line} \notag \\" for line in fixed)
        body[-1] = body[-1].replace(r" \notag \\", " " + _tag(f"{step.index}'", res.correction) + r" \\")
    body[-1] = body[-1].removesuffix(r" \\")
    rows.extend(body)
    rows.append(r"\end{align*}")
    return rows


def _counterexample_tex(res: StepResult) -> str:
    pairs = sorted((res.counterexample or {}).items())
    return ", ".join(rf"${text_latex(k) if not k.isidentifier() else tex_formula(symbol_tex(k))} = "
                     rf"{tex_formula(value_latex(v))}$" for k, v in pairs)


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
        note = monte_carlo_refutation(res)
        if note:
            out.append(note)
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
    for para in paragraphs(d.doc):
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
    notes = [line for number, res in not_proved(r) for line in _note_tex(number, res)]
    if notes:
        out.append(r"\paragraph{Notes on the steps not proved.}")
        out.append(r"\begin{itemize}")
        out.extend(notes)
        out.append(r"\end{itemize}")
        out.append("")
    return out


def _summary_tex(items: Sequence[Checked]) -> list[str]:
    out = [r"\begin{center}", r"\small", r"\begin{tabular}{llrrrrrl}", r"\toprule",
           r"Derivation & \S & Steps & \textcolor{dcgreen}{$\checkmark$} & \textcolor{dcblue}{$\sim$} & "
           r"\textcolor{dcred}{$\times$} & \textcolor{dcgray}{?} & As expected \\",
           r"\midrule"]
    for c in items:
        r = c.result
        counts = verdict_counts(r)
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
