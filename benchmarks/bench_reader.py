"""Benchmark: reading LaTeX formulas — the table-driven reader beside the previous ANTLR-based reader.

Run: python benchmarks/bench_reader.py

Both readers parse the same formulas, each in fresh processes (cold: nothing cached): every
formula of the handwritten solution as the document reader meets it, and every formula the
printer writes for the built-in derivations (read back with their declarations). The previous
reader (latex2sympy2_extended behind a notation adapter) is loaded from git at commit
``OLD_READER``; it is measured in the same run, on the same machine, so the two are comparable.
The script also times reading and checking the whole handwritten solution with the new reader.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "derivations" / "handwritten_solution.tex"
OLD_READER = "3e762ef"  # the last commit with the ANTLR-based checks/latex/formulas.py

PROBE = textwrap.dedent(
    """
    import importlib.util, json, sys, time
    which, solution, old_source = sys.argv[1], sys.argv[2], sys.argv[3]
    import derivcheck_steps.latex.documents as reader
    import derivcheck_steps.latex.formulas as new
    from derivcheck_steps.latex.printer import expr_latex
    from derivcheck_steps.discovery import BUILTIN_MODULES, collect

    seen = []
    original = new.parse_formula
    def recording(src, notation):
        seen.append((src, notation))
        return original(src, notation)
    reader.parse_formula = recording
    reader.read_document(solution)
    formulas = [(src, n.ctx, n.lets, n.identity, None) for src, n in seen]
    for found in collect(list(BUILTIN_MODULES)):
        d = found.derivation
        for step in d.steps:
            if step.experiment is not None or step.problem:
                continue
            for expr in (step.before, step.after):
                if expr is not None:
                    formulas.append((expr_latex(expr, d.ctx), d.ctx, [], {}, expr))
    if which == "old":
        spec = importlib.util.spec_from_file_location("old_formulas", old_source)
        module = importlib.util.module_from_spec(spec)
        sys.modules["old_formulas"] = module  # dataclasses look their module up
        spec.loader.exec_module(module)
    else:
        module = new
    times, failed = [], 0
    for src, ctx, lets, identity, expr in formulas:
        notation = module.notation_for(ctx, expr) if expr is not None else module.Notation(ctx, list(lets), dict(identity))
        t0 = time.process_time()
        try:
            module.parse_formula(src, notation)
        except module.LatexInputError:
            failed += 1
        times.append(time.process_time() - t0)
    print(json.dumps({"times": times, "failed": failed}))
    """
)

CHECK = textwrap.dedent(
    """
    import json, sys, time
    from derivcheck_steps import check_derivation
    import derivcheck_steps.latex.documents as reader
    t0 = time.perf_counter()
    docs = reader.read_document(sys.argv[1])
    read_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    steps = [s for d in docs for s in check_derivation(d).steps]
    check_s = time.perf_counter() - t0
    decided = sum(1 for s in steps if s.verdict.value != "UNKNOWN")
    print(json.dumps({"read": read_s, "check": check_s, "steps": len(steps), "decided": decided}))
    """
)


def _old_source() -> Path:
    path = Path("/tmp") / f"derivcheck_old_formulas_{OLD_READER}.py"
    text = subprocess.run(["git", "-C", str(ROOT), "show", f"{OLD_READER}:checks/latex/formulas.py"],
                          capture_output=True, text=True, check=True).stdout
    path.write_text(text, encoding="utf-8")
    return path


def _summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"median {1000 * statistics.median(ordered):5.1f} ms, p95 {1000 * p95:6.1f} ms"


def main() -> None:
    old_source = _old_source()
    results: dict[str, list[dict]] = {"new": [], "old": []}
    for _ in range(2):
        for which in ("new", "old"):
            proc = subprocess.run([sys.executable, "-c", PROBE, which, str(SOLUTION), str(old_source)],
                                  capture_output=True, text=True, check=True, cwd=ROOT)
            results[which].append(json.loads(proc.stdout.strip().splitlines()[-1]))
    count = len(results["new"][0]["times"])
    figures = {w: _summary([t for r in results[w] for t in r["times"]]) for w in results}
    # one line, the new reader first: benchmarks/run_all.py reads the first "median" of the "parse time" line
    print(f"parse time per formula (CPU, cold process, {count} formulas, 2 runs each): {figures['new']} "
          f"(table-driven reader, unreadable {results['new'][0]['failed']}); previous ANTLR reader ({OLD_READER}): "
          f"{figures['old']} (unreadable {results['old'][0]['failed']})")
    proc = subprocess.run([sys.executable, "-c", CHECK, str(SOLUTION)], capture_output=True, text=True, check=True,
                          cwd=ROOT)
    last = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"handwritten solution: {last['steps']} steps read, {last['decided']} decided; read {last['read']:.2f} s, "
          f"check {last['check']:.2f} s")


if __name__ == "__main__":
    main()
