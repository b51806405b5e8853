"""Markdown writeups (``$$`` blocks and a verdict table per chain) and notebook renderings of derivations.

Text from the input goes through :mod:`derivcheck_steps.latex.escaping` (``md_prose``/``md_text``: HTML inert,
Markdown syntax escaped), formulas through ``md_formula``; the layout is shared with the LaTeX
writeup (:mod:`derivcheck_steps.latex.layout`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from derivcheck_steps import __version__
from derivcheck_steps.latex.escaping import math_text, md_formula, md_prose, md_text, tex_formula
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
    shown_latex,
    shown_lines,
    source_tex,
    symbol_tex,
    verdict_counts,
)
from derivcheck_steps.latex.printer import expr_latex, value_latex
from derivcheck_steps.model import Chain, Derivation, Step
from derivcheck_steps.verdict import DerivationResult, StepResult, Verdict

_MD_MARK = {Verdict.PROVED: "✓ PROVED", Verdict.CHECKED: "~ CHECKED", Verdict.REFUTED: "✗ **REFUTED**",
            Verdict.UNKNOWN: "? UNKNOWN"}


def _md_chain(chain: Chain, d: Derivation, results: dict[int, StepResult]) -> list[str]:
    rows = ["$$", r"\begin{aligned}"]
    rows.extend(rf"&{'' if k == 0 else QUAD}{md_formula(line)} \\" for k, line in enumerate(shown_lines(chain, d)))
    table = ["| step | justification | verdict |", "|---|---|---|"]

    def add(relation: str, lines: list[str], number: str, res: StepResult) -> None:
        for k, line in enumerate(lines):
            lead = rf"{relation} {{}}" if k == 0 else ""
            tail = rf" && \text{{({number})}}" if k == len(lines) - 1 else ""
            rows.append(rf"{lead}&{'' if k == 0 else QUAD}{md_formula(line)}{tail} \\")
        note = expected_note(res)
        table.append(f"| ({number}) | {md_prose(res.justification)} | {_MD_MARK[res.verdict]}"
                     f"{f' ({note})' if note else ''} |")

    for step in chain.steps:
        res = results[step.index]
        add(relation_tex(step), shown_lines(step, d), str(step.index), res)
        if res.correction is not None and step.correction is not None:
            add(relation_tex(step), formula_lines(step.correction, d), f"{step.index}'", res.correction)
    rows[-1] = rows[-1].removesuffix(r" \\")
    rows += [r"\end{aligned}", "$$", ""]
    return rows + table + [""]


def _md_claim(step: Step, d: Derivation, res: StepResult, figure: tuple[str | None, str] = (None, "")) -> list[str]:
    note = expected_note(res)
    verdict = f"{_MD_MARK[res.verdict]}{f' ({note})' if note else ''}"
    approximation = source_tex(step.source) if getattr(step, "unchecked", "") else None
    if approximation is not None:  # a ≈ row of a document: its maths, not an "experiment"
        return [f"**Approximation ({step.index}).** ${{}}\\approx {md_formula(approximation)}$ — {verdict} "
                f"*({md_text(step.unchecked)})*", ""]
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
           md_formula(shown_latex(step, d)), "$$", ""]
    if res.correction is not None and step.correction is not None:
        out += [f"**Corrected ({step.index}')** — {_MD_MARK[res.correction.verdict]}", "", "$$",
                md_formula(expr_latex(step.correction, d.ctx)), "$$", ""]
    return out


def _md_note(number: str, res: StepResult) -> list[str]:
    out = [f"- ({number}) {_MD_MARK[res.verdict]}, *{md_prose(res.justification)}*."]
    if res.verdict == Verdict.REFUTED:
        if res.counterexample:
            pairs = ", ".join(f"${md_formula(symbol_tex(k))} = {md_formula(value_latex(v))}$"
                              for k, v in sorted(res.counterexample.items()))
            out.append(f"  Counterexample: {pairs}.")
        if res.evidence.table:
            _inputs, lhs, rhs = res.evidence.table[0]
            out.append(f"  There the left side is ${md_formula(value_latex(lhs))}$ and the right side "
                       f"${md_formula(value_latex(rhs))}$.")
        if res.residual_latex:
            out += ["  Residual, left minus right:", "", "  $$", f"  {md_formula(res.residual_latex)}", "  $$"]
        elif res.residual:
            out.append(f"  Residual, left minus right: ${md_formula(value_latex(res.residual))}$.")
        note = monte_carlo_refutation(res)
        if note:  # the same note as the PDF's
            out.append(f"  {note}")
    elif res.verdict == Verdict.CHECKED:
        out.append(f"  Numeric evidence only: {md_text(res.evidence.numeric or res.reason)}.")
        if res.reason:
            out.append(f"  ({md_text(res.reason)})")
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
        counts = verdict_counts(r)
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
    for para in paragraphs(d.doc):
        out += [md_prose(para), ""]
    results = {s.index: s for s in r.steps}
    in_chain = {s.index for ch in d.chains for s in ch.steps}
    blocks = [(ch.steps[0].index, _md_chain(ch, d, results)) for ch in d.chains if ch.steps]
    blocks += [(s.index, _md_claim(s, d, results[s.index], sink.draw(r, results[s.index])))
               for s in d.steps if s.index not in in_chain]
    for _, rows in sorted(blocks, key=lambda b: b[0]):
        out.extend(rows)
    notes = [line for number, res in not_proved(r) for line in _md_note(number, res)]
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
        rows = ["$$", r"\begin{aligned}", f"&{md_formula(shown_latex(chain, d))} \\\\"]
        rows += [rf"{relation_tex(s)} {{}}&{md_formula(shown_latex(s, d))} && \text{{{math_text(s.by.label)}}} \\"
                 for s in chain.steps]
        rows[-1] = rows[-1].removesuffix(r" \\")
        out += [*rows, r"\end{aligned}", "$$", ""]
    out += [f"**Claim ({s.index})**: *{md_prose(s.by.label)}*\n\n$$\n{md_formula(shown_latex(s, d))}\n$$\n"
            for s in d.steps if s.relation == "⊢"]
    return "\n".join(out).rstrip() + "\n"


def derivation_aligned_latex(d: Derivation, result: DerivationResult) -> str:
    """One ``$$\\begin{aligned}…$$`` block of every chain with verdicts (for ``_repr_latex_``)."""
    results = {s.index: s for s in result.steps}
    rows = []
    for chain in d.chains:
        rows.append(f"&{tex_formula(shown_latex(chain, d))} \\\\")
        for s in chain.steps:
            res = results[s.index]
            rows.append(rf"{relation_tex(s)} {{}}&{tex_formula(shown_latex(s, d))} && "
                        rf"\text{{({s.index}) {math_text(res.justification)} — {res.verdict.mark} {res.verdict.value}}} \\")
    for s in d.steps:
        if s.relation == "⊢" and s.experiment is None:
            res = results[s.index]
            rows.append(rf"&{tex_formula(shown_latex(s, d))} && \text{{({s.index}) {math_text(res.justification)} — "
                        rf"{res.verdict.mark} {res.verdict.value}}} \\")
    if rows:
        rows[-1] = rows[-1].removesuffix(r" \\")
    return "$$\\begin{aligned}\n" + "\n".join(rows) + "\n\\end{aligned}$$"
