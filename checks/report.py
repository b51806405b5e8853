"""Reports of checked derivations: the terminal table, the failure story, and the JSON document."""

from __future__ import annotations

import json
from collections.abc import Sequence

from checks.verdict import DerivationResult, StepResult, Verdict

WIDTH = 44


def _short(text: str, width: int = WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _detail_lines(step: StepResult) -> list[str]:
    lines = []
    if step.verdict == Verdict.REFUTED:
        if step.counterexample:
            point = ", ".join(f"{k} = {v}" for k, v in step.counterexample.items())
            lines.append(f"counterexample: {point}")
        if step.residual:
            lines.append(f"residual lhs − rhs: {step.residual}")
        for inputs, lhs, rhs in step.evidence.table:
            lines.append(f"inputs | lhs | rhs:  {inputs} | {lhs} | {rhs}")
    if step.reason and step.verdict != Verdict.PROVED:
        lines.append(f"why: {step.reason}")
    if step.expected is not None and step.expected != step.verdict:
        lines.append(f"expected {step.expected.value}, got {step.verdict.value}")
    return lines


def derivation_table(result: DerivationResult, strict: bool = False) -> str:
    """One derivation as a table: step, relation, justification, verdict, time, and details."""
    kind = "review of the handwritten solution" if result.review else "derivation"
    section = f" §{result.section}" if result.section else ""
    head = f"{result.title}{section}  [{kind}]  ({result.id})"
    lines = [head, "-" * min(len(head), 100)]
    for s in result.steps:
        flag = "  ✗ UNEXPECTED" if s.is_failure(strict) else ""
        expect = f" (expected {s.expected.value})" if s.expected is not None and s.expected == s.verdict else ""
        lines.append(
            f" {s.index:>2}  {s.relation:<2} {_short(s.justification):<{WIDTH}}  {s.verdict.mark} "
            f"{s.verdict.value:<8}{expect}  {s.seconds * 1000:7.1f} ms{flag}"
        )
        for d in _detail_lines(s):
            lines.append(f"          {d}")
        if s.correction is not None:
            c = s.correction
            lines.append(f" {str(s.index) + chr(39):>3} {s.relation:<2} {_short('corrected'):<{WIDTH}}  {c.verdict.mark} "
                         f"{c.verdict.value:<8}  {c.seconds * 1000:7.1f} ms{'  ✗ UNEXPECTED' if c.is_failure(strict) else ''}")
            for d in _detail_lines(c):
                lines.append(f"          {d}")
    return "\n".join(lines)


def summary_counts(results: Sequence[DerivationResult], strict: bool = False) -> dict[str, float | int]:
    """Counts of each verdict, of unexpected verdicts, and the total seconds."""
    counts: dict[str, float | int] = {v.value: 0 for v in Verdict}
    unexpected = 0
    for r in results:
        for s in r.steps:
            counts[s.verdict.value] += 1
            unexpected += s.is_failure(strict)
    counts["unexpected"] = unexpected
    counts["seconds"] = round(sum(r.seconds for r in results), 3)
    return counts


def summary_line(results: Sequence[DerivationResult], strict: bool = False) -> str:
    """``N derivations, K steps: a PROVED, b CHECKED, ...; u unexpected``."""
    c = summary_counts(results, strict)
    steps = sum(len(r.steps) for r in results)
    parts = ", ".join(f"{c[v.value]} {v.value}" for v in Verdict)
    return f"{len(results)} derivations, {steps} steps: {parts}; {c['unexpected']} unexpected"


def failure_story(result: DerivationResult, strict: bool = False) -> str:
    """The numbered chain with ✓/~/✗/? marks and, for each failing step, residual and table."""
    lines = [f"derivation {result.id!r} ({result.title}) has steps with unexpected verdicts:", ""]
    for s in result.steps:
        bad = s.is_failure(strict)
        lines.append(f"{'>' if bad else ' '} {s.index:>2}. {s.verdict.mark} {s.relation} {s.latex}    [{s.justification}]")
        if bad:
            for d in _detail_lines(s):
                lines.append(f"        {d}")
            if s.evidence.seed is not None:
                lines.append(f"        reproduce: derivcheck check -k {result.id.split('::')[-1]} --seed <base seed>"
                             f" (this step's seed: {s.evidence.seed})")
    return "\n".join(lines)


def json_report(results: Sequence[DerivationResult], strict: bool = False) -> str:
    """The JSON document described in the README (stable keys, sorted output)."""
    doc = {
        "derivations": [r.as_dict() for r in results],
        "summary": summary_counts(results, strict),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True)
