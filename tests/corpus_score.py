"""Score derivcheck against the blind corpus's answer keys (tests/corpus/*.key.json).

The corpus documents were written from the user documentation only, with planted mistakes; each
key lists every step (line, relation, "correct" or "wrong"). A document's steps are matched to the
report's steps by source line, in order. Run ``python tests/corpus_score.py`` for the table.

Categories of a keyed step:
- correct: PROVED, CHECKED, UNKNOWN (cause), or REFUTED (a false alarm);
- wrong: REFUTED, UNKNOWN (missed, but honest), or PROVED/CHECKED (unsound: never acceptable);
- unmatched: no step of the report sits on the key's line (a row that vanished).
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"


@dataclass
class DocumentScore:
    """How one document's keyed steps fared."""

    document: str
    exit_code: int
    counts: Counter = field(default_factory=Counter)  # (status, verdict or "unmatched") -> n
    unsound: list[str] = field(default_factory=list)  # "line 12: wrong step PROVED"
    false_alarms: list[str] = field(default_factory=list)
    unmatched: list[int] = field(default_factory=list)
    unreadable: int = 0  # keyed steps whose report step is UNKNOWN because the input could not be read
    misses: list[str] = field(default_factory=list)  # correct steps not PROVED, wrong steps not REFUTED


def keyed_documents() -> list[Path]:
    """Every corpus document that has an answer key beside it."""
    return sorted(p for p in CORPUS.glob("*.*") if p.suffix in (".tex", ".md") and _key_path(p).exists())


def _key_path(doc: Path) -> Path:
    return doc.with_name(doc.stem + ".key.json")


def run_report(doc: Path, workdir: Path) -> tuple[int, dict]:
    """``derivcheck check DOC --json`` in-process: the exit code and the JSON report."""
    from derivcheck_steps.cli import main

    out = workdir / (doc.stem + ".json")
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main(["check", str(doc), "--json", str(out), "--no-cache", "--no-timing", "-q"])
    if not out.exists():  # a crash: no report at all, so every keyed step is unmatched
        return code, {"derivations": []}
    return code, json.loads(out.read_text(encoding="utf-8"))


def score_document(doc: Path, workdir: Path) -> DocumentScore:
    """Match the report's steps to the key's by line, in order, and count the outcomes."""
    code, report = run_report(doc, workdir)
    key = json.loads(_key_path(doc).read_text(encoding="utf-8"))
    by_line: dict[int, list[dict]] = {}
    for d in report["derivations"]:
        for step in d["steps"]:
            loc = step.get("location") or {}
            if Path(str(loc.get("file", ""))).name == doc.name:
                by_line.setdefault(int(loc["line"]), []).append(step)
    score = DocumentScore(doc.name, code)
    for entry in key["steps"]:
        line, status = int(entry["line"]), entry["status"]
        candidates = by_line.get(line, [])
        if not candidates:
            score.unmatched.append(line)
            score.counts[(status, "unmatched")] += 1
            continue
        step = candidates.pop(0)
        verdict = step["verdict"]
        score.counts[(status, verdict)] += 1
        if verdict == "UNKNOWN" and step.get("cause") == "input":
            score.unreadable += 1
        if (status, verdict) not in (("correct", "PROVED"), ("wrong", "REFUTED")):
            why = step.get("reason", "") or ""
            score.misses.append(
                f"{doc.name}:{line}: {status} step {verdict}"
                + (f" [{step.get('cause')}]" if step.get("cause") else "")
                + f": {why[:300]}"
            )
        if status == "wrong" and verdict in ("PROVED", "CHECKED"):
            score.unsound.append(f"{doc.name}:{line}: wrong step {verdict} ({entry.get('why', '')})")
        if status == "correct" and verdict == "REFUTED":
            score.false_alarms.append(f"{doc.name}:{line}: correct step REFUTED ({step.get('reason', '')})")
    return score


def summarise(scores: list[DocumentScore]) -> dict:
    """Totals over the corpus: steps, read (%), verdicts by status, unsound, false alarms, unmatched."""
    total: Counter = Counter()
    for s in scores:
        total.update(s.counts)
    steps = sum(total.values())
    unreadable = sum(s.unreadable for s in scores)
    unmatched = sum(len(s.unmatched) for s in scores)
    return {
        "documents": len(scores),
        "steps": steps,
        "read_percent": round(100 * (steps - unreadable - unmatched) / steps, 1) if steps else 0.0,
        "correct": {v: n for (st, v), n in sorted(total.items()) if st == "correct"},
        "wrong": {v: n for (st, v), n in sorted(total.items()) if st == "wrong"},
        "unsound": [u for s in scores for u in s.unsound],
        "false_alarms": [f for s in scores for f in s.false_alarms],
        "unmatched": [f"{s.document}:{line}" for s in scores for line in s.unmatched],
        "exit_codes": dict(Counter(s.exit_code for s in scores)),
    }


def main(argv: list[str] | None = None) -> int:
    """Print the corpus score as JSON; ``--misses`` lists every step short of the ideal verdict;
    document-name prefixes (``01 02``) restrict the run."""
    args = sys.argv[1:] if argv is None else argv
    show_misses = "--misses" in args
    prefixes = [a for a in args if not a.startswith("--")]
    docs = [d for d in keyed_documents() if not prefixes or any(d.name.startswith(p) for p in prefixes)]
    with tempfile.TemporaryDirectory() as tmp:
        scores = [score_document(doc, Path(tmp)) for doc in docs]
    if show_misses:
        for s in scores:
            for m in s.misses:
                print(m)
    print(json.dumps(summarise(scores), indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
