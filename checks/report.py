"""Reports of checked derivations: the terminal table, the short summary, the failure story, the JSON.

Every step is one line: ``file:line``, number, mark and verdict, (time), relation and the step's
expression in plain mathematics (:mod:`derivcheck_steps.plain`), and its justification; the chain's start
expression stands on its own line above its first step. Under a step that is not PROVED come
its counterexample, residual, ``inputs | lhs | rhs`` table and reason.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence

from derivcheck_steps.console import PLAIN, Style
from derivcheck_steps.location import Location
from derivcheck_steps.verdict import DerivationResult, StepResult, Verdict, exit_code

INDENT = 8  # detail lines under a step


def where(location: Location | None) -> str:
    """``file:line`` of a step, the file relative to the working folder when it is inside it."""
    if location is None:
        return ""
    path = location.file
    try:
        rel = os.path.relpath(path)
        if not rel.startswith(".."):
            path = rel
    except ValueError:  # another drive (Windows)
        pass
    return f"{path}:{location.line}"


def one_line(text: str) -> str:
    """``text`` on one line (a reason may quote a piece of the input across lines)."""
    return " ".join(text.split())


def value_text(value: str) -> str:
    """A reported value in the one matrix notation of reports: rows split by ``;`` (``[a, b]ᵀ`` → ``[a; b]``)."""
    return re.sub(r"\[([^\[\];]*)\]ᵀ", lambda m: "[" + "; ".join(p.strip() for p in m.group(1).split(",")) + "]", value)


def fill_locations(result: DerivationResult) -> None:
    """Give a result without a location the one its step was written at (results checked before steps had one)."""
    steps = {t.index: t for t in getattr(result.derivation, "steps", [])}
    for s in result.steps:
        if s.location is None and getattr(steps.get(s.index), "location", None) is not None:
            s.location = steps[s.index].location


def step_texts(result: DerivationResult, unicode: bool = True) -> dict[int, tuple[str | None, str]]:
    """Step number -> (the chain's start, if the step opens a chain; the step's expression), in plain maths."""

    d = result.derivation
    if d is None:
        return {}
    starts = {id(c.steps[0]): c for c in getattr(d, "chains", []) if c.steps}
    out: dict[int, tuple[str | None, str]] = {}
    for step in d.steps:
        start = starts.get(id(step))
        if step.experiment is not None:  # an experiment is its description; a ≈ row of a document its maths
            text = _shown(step, d.ctx, unicode) if getattr(step, "unchecked", "") and step.source else ""
        elif step.problem:
            text = "(not read)"
        else:
            text = _shown(step, d.ctx, unicode)
        out[step.index] = (_shown(start, d.ctx, unicode) if start is not None else None, text)
    return out


def _shown(obj: object, ctx: object, unicode: bool) -> str:
    """A step's (or chain start's) expression as written: its row's source (.tex/.md) or written form (Python)."""
    from derivcheck_steps.plain import plain
    from derivcheck_steps.plain_latex import source_plain

    source = source_plain(getattr(obj, "source", "")) if unicode else None  # .tex/.md: the row as written
    if source is not None:
        return source
    written = getattr(obj, "written", None)
    if written is not None:
        return plain(written, ctx, unicode, written=True)
    return plain(getattr(obj, "after", None) if hasattr(obj, "after") else getattr(obj, "start", None), ctx, unicode)


def _gradient_lines(s: StepResult) -> list[str]:
    """For a gradient step that is not proved: the claimed and the true gradient, simplified and labelled."""
    g = s.evidence.gradient
    if not g.get("claimed") or not g.get("true"):
        return []
    return [f"claimed gradient: {g['claimed']}",
            f"true gradient:    {g['true']}  (SymPy's, confirmed by finite differences)"]


def detail_lines(s: StepResult, result: DerivationResult | None = None, unicode: bool = True) -> list[str]:
    """What a step that is not PROVED rests on: counterexample, residual, table, reason, expectation."""
    lines = []
    gradients = _gradient_lines(s) if s.verdict != Verdict.PROVED else []
    lines += gradients
    if s.verdict == Verdict.REFUTED:
        if s.counterexample:
            from derivcheck_steps.plain import symbol_name

            point = ", ".join(f"{symbol_name(k, unicode)} = {value_text(v)}" for k, v in s.counterexample.items())
            lines.append(f"counterexample: {point}")
        if s.residual:
            lines.append(f"residual lhs − rhs: {value_text(s.residual)}")
        for inputs, lhs, rhs in s.evidence.table:
            if unicode:  # the inputs name symbols as SymPy does (epsilon=…): as the rest of the report does
                from derivcheck_steps.plain import symbol_name

                inputs = re.sub(r"(?<![\w'])([A-Za-z_][\w']*)=", lambda m: symbol_name(m.group(1)) + "=", inputs)
            lines.append(f"inputs | lhs | rhs:  {value_text(inputs)} | {value_text(lhs)} | {value_text(rhs)}")
    if s.reason and s.verdict != Verdict.PROVED and not (gradients and s.reason.startswith("SymPy's gradient is")):
        label = {"input": "input problem", "internal": "internal error"}.get(s.cause, "why")
        lines.append(f"{label}: {value_text(one_line(s.reason))}")
    if s.verdict == Verdict.UNKNOWN and s.cause == "internal":
        lines.append("this is a bug in derivcheck: please report it with the input that caused it")
    if s.expected is not None and s.expected != s.verdict:
        lines.append(f"expected {s.expected.value}, got {s.verdict.value}")
    return lines


def _flag(s: StepResult, strict: bool, style: Style) -> str:
    if s.verdict == Verdict.UNKNOWN and s.cause == "internal":
        return "  " + style.paint("INTERNAL ERROR", "bold red")
    if s.is_problem:
        return "  " + style.paint("INPUT PROBLEM", "bold red")
    if s.is_failure(strict):
        return "  " + style.paint(f"{style.mark(Verdict.REFUTED)} UNEXPECTED", "bold red")
    if s.is_skip:
        return "  " + style.paint("(undecided)", "yellow")
    return ""


def step_lines(result: DerivationResult, strict: bool = False, style: Style = PLAIN, timing: bool = True,
               pointer: bool = False) -> list[str]:
    """The derivation's steps, one line each (with detail lines), in the layout of the module docstring."""
    fill_locations(result)
    texts = step_texts(result, style.unicode)
    width = max((len(where(s.location)) for s in result.steps), default=0)
    lines = []

    def row(s: StepResult, number: str, text: str, just: str) -> None:
        bad = pointer and s.is_failure(strict)
        lead = (">" if bad else " ") + " " + (f"{where(s.location):<{width}}  " if width else "")
        verdict = style.verdict(s.verdict, f"{style.mark(s.verdict)} {s.verdict.value:<8}")
        secs = f"{s.seconds * 1000:7.1f} ms  " if timing else ""
        body = f"{s.relation} {text or just}"
        by = f"   [{just}]" if text and just and just != "as written" else ""
        expect = f"  (expected {s.expected.value})" if s.expected is not None and s.expected == s.verdict else ""
        lines.append(style.text(f"{lead}{number:>3} ") + verdict + style.text(f" {secs}{body}{by}{expect}")
                     + _flag(s, strict, style))
        for d in detail_lines(s, result, style.unicode) if s.verdict != Verdict.PROVED else []:
            lines.append(style.text(" " * INDENT + d))

    pad = " " * (2 + (width + 2 if width else 0) + 4 + 10 + 1 + (12 if timing else 0) + 2)
    for s in result.steps:
        start, text = texts.get(s.index, (None, ""))
        if start is not None:
            lines.append(style.text(pad + start))
        row(s, str(s.index), text, s.justification)
        if s.correction is not None:
            row(s.correction, f"{s.index}'", _corrected_text(result, s, style.unicode), "corrected")
    return lines


def _corrected_text(result: DerivationResult, s: StepResult, unicode: bool) -> str:
    from derivcheck_steps.plain import plain

    d = result.derivation
    if d is None:
        return ""
    step = next((t for t in d.steps if t.index == s.index), None)
    return plain(step.correction, d.ctx, unicode) if step is not None and step.correction is not None else ""


def header(result: DerivationResult, style: Style = PLAIN) -> str:
    """``Title §section  [kind]  (id)``."""
    kind = "review of the handwritten solution" if result.review else "derivation"
    section = f" §{result.section}" if result.section and result.section not in result.title else ""
    return style.text(f"{result.title}{section}  [{kind}]  ({result.id})")


def derivation_table(result: DerivationResult, strict: bool = False, style: Style = PLAIN, timing: bool = True) -> str:
    """One derivation: its header and a line per step (with details under steps that are not PROVED)."""
    head = header(result, style)
    return "\n".join([head, "-" * min(len(head), 100), *stated_lines(result, style),
                      *step_lines(result, strict, style, timing)])


def stated_lines(result: DerivationResult, style: Style = PLAIN) -> list[str]:
    """The declarations read from the document's text, one line each ("declared by the text: line 12: …")."""
    return [style.text(f"  declared by the text: {s}") for s in getattr(result.derivation, "stated", None) or []]


def summary_counts(results: Sequence[DerivationResult], strict: bool = False) -> dict[str, float | int]:
    """Counts of each verdict, of unexpected verdicts, input problems, internal errors, undecided steps, seconds."""
    counts: dict[str, float | int] = {v.value: 0 for v in Verdict}
    counts.update(unexpected=0, input_problems=0, internal_errors=0, undecided=0)
    for r in results:
        for s in r.steps:
            counts[s.verdict.value] += 1
            counts["unexpected"] += s.is_failure(strict) and not s.is_problem
            counts["input_problems"] += s.is_problem and s.cause == "input"
            counts["internal_errors"] += s.is_problem and s.cause == "internal"
            counts["undecided"] += s.is_skip
    counts["exit_status"] = exit_code(list(results), strict)
    counts["seconds"] = round(sum(r.seconds for r in results), 3)
    return counts


def summary_line(results: Sequence[DerivationResult], strict: bool = False) -> str:
    """``N derivations, K steps: a PROVED, b CHECKED, ...; u unexpected`` (then problems, if any)."""
    c = summary_counts(results, strict)
    steps = sum(len(r.steps) for r in results)
    parts = ", ".join(f"{c[v.value]} {v.value}" for v in Verdict)
    names = {"input_problems": "input problem", "internal_errors": "internal error", "undecided": "undecided"}
    extra = "".join(f", {c[k]} {v}{'s' if c[k] > 1 and k != 'undecided' else ''}" for k, v in names.items() if c[k])
    return (f"{len(results)} derivation{'' if len(results) == 1 else 's'}, {steps} step{'' if steps == 1 else 's'}: "
            f"{parts}; {c['unexpected']} unexpected{extra}")


def short_summary(results: Sequence[DerivationResult], strict: bool = False, style: Style = PLAIN) -> list[str]:
    """One line per step that fails, is an input problem or is undecided (pytest's ``-r`` summary)."""
    lines = []
    for r in results:
        fill_locations(r)
        for s in r.steps:
            if s.is_problem:
                label = "INTERNAL" if s.cause == "internal" else "INPUT"
            elif s.is_failure(strict):
                label = "FAILED"
            elif s.is_skip:
                label = "UNDECIDED"
            else:
                continue
            colour = "yellow" if label == "UNDECIDED" else "bold red"
            place = f"{where(s.location)} " if s.location is not None else ""
            why = one_line(s.reason) or (f"expected {s.expected.value}" if s.expected else s.verdict.value)
            lines.append(style.paint(f"{label:<9}", colour)
                         + style.text(f" {place}{r.id} step {s.index} {s.verdict.value}: {why}"))
    return ["short summary:", *lines] if lines else []


def failure_story(result: DerivationResult, strict: bool = False, reproduce: str | None = None,
                  style: Style = PLAIN) -> str:
    """The failure text of a derivation (pytest, ``--json``-less CI logs): it starts with the failing step's file:line."""
    fill_locations(result)
    failing = result.failures(strict)
    first = failing[0] if failing else (result.steps[0] if result.steps else None)
    place = where(first.location) if first is not None else ""
    what = f"step {first.index} {first.verdict.value}" if first is not None else "no steps"
    if first is not None and first.expected is not None and first.expected != first.verdict:
        what += f" (expected {first.expected.value})"
    elif first is not None and first.is_problem:
        what += f" ({'internal error' if first.cause == 'internal' else 'input problem'})"
    lines = [f"{place + ': ' if place else ''}{what} in {result.id!r} ({result.title})", ""]
    lines += step_lines(result, strict, style, timing=False, pointer=True)
    if reproduce:
        lines += ["", f"reproduce: {reproduce}"]
    seeds = [f"step {s.index}: {s.evidence.seed}" for s in failing if s.evidence.seed is not None]
    if seeds:
        lines.append(f"seeds of the failing steps (derived from the base seed): {', '.join(seeds)}")
    return "\n".join(lines)


def json_report(results: Sequence[DerivationResult], strict: bool = False) -> str:
    """The JSON document described in the README (stable keys, sorted output)."""
    derivations = []
    for r in results:
        fill_locations(r)
        d = r.as_dict()
        stated = getattr(r.derivation, "stated", None)
        if stated:
            d["stated"] = list(stated)  # declarations read from the text, with their lines
        texts = step_texts(r)
        for step in d["steps"]:
            step["text"] = texts.get(step["index"], (None, None))[1] or None
        derivations.append(d)
    doc = {"derivations": derivations, "summary": summary_counts(results, strict)}
    return json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True)

