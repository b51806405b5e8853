"""The full soundness audit by mutation over every built-in derivation (Python and LaTeX) and every
mutant family of checks/audit_families.py (seed derivations with their own wrong variants).

Prints the table (mutants, truly wrong, REFUTED, UNKNOWN, unsound) and writes it as JSON.
Run: python benchmarks/mutation_audit.py [--per-step K] [-j N] [--json FILE]
"""

from __future__ import annotations

import argparse
import functools
import json
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

from derivcheck_steps.audit import audit_step, auditable, summary
from derivcheck_steps.audit_families import families
from derivcheck_steps.discovery import collect


@functools.cache
def _builtins() -> dict:
    return {f.id: f for f in collect()}  # once per worker process


def _audit_one(args: tuple[str, int, int]) -> list[dict]:
    derivation_id, index, per_step = args
    if derivation_id.startswith("family:"):  # a mutant family: its seed steps carry their own mutants
        rows = []
        for case in families()[derivation_id.removeprefix("family:")]():
            rows += audit_step(case.derivation, case.step, mutants=case.mutants)
    else:
        found = _builtins()[derivation_id]
        step = next(s for s in found.derivation.steps if s.index == index)
        rows = audit_step(found.derivation, step, limit=per_step)
    return [{"derivation": r.mutant.derivation, "step": r.mutant.step, "operator": r.mutant.operator,
             "truly_wrong": r.truly_wrong, "verdict": r.verdict.value if r.verdict else None,
             "reason": r.reason, "mutant": str(r.mutant.expr)} for r in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-step", type=int, default=20, help="mutants per step (default 20)")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="processes (default 2)")
    parser.add_argument("--json", default="audit.json", help="where to write the rows and the table")
    args = parser.parse_args()
    start = time.perf_counter()
    tasks = [(f.id, s.index, args.per_step) for f in collect() for s in f.derivation.steps if auditable(s)]
    tasks += [(f"family:{name}", 0, args.per_step) for name in families()]
    with ProcessPoolExecutor(args.jobs) as pool:
        rows = [row for chunk in pool.map(_audit_one, tasks) for row in chunk]
    seconds = time.perf_counter() - start

    class _Row:  # the summary reads these attributes
        def __init__(self, r: dict) -> None:
            from derivcheck_steps.verdict import Verdict

            self.truly_wrong = r["truly_wrong"]
            self.verdict = Verdict(r["verdict"]) if r["verdict"] else None

    table = summary([_Row(r) for r in rows])
    table["steps audited"] = len(tasks)
    table["seconds"] = round(seconds, 1)
    width = max(len(k) for k in table)
    for key, value in table.items():
        print(f"{key:<{width}}  {value}")
    by_operator = Counter(r["operator"] for r in rows if r["truly_wrong"])
    by_family = Counter(r["derivation"] for r in rows if r["truly_wrong"] and r["derivation"].startswith("family:"))
    print("truly wrong mutants by family:", dict(sorted(by_family.items())))
    print("truly wrong mutants by operator:", dict(sorted(by_operator.items())))
    unsound = [r for r in rows if r["truly_wrong"] and r["verdict"] in ("PROVED", "CHECKED")]
    for r in unsound:
        print("UNSOUND:", r)
    with open(args.json, "w", encoding="utf-8") as fh:
        json.dump({"table": table, "rows": rows}, fh, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
