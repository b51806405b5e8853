"""Benchmark: reading LaTeX input — parse time per step, and checking the whole handwritten solution.

Run: python benchmarks/bench_reader.py
(Parsing runs in fresh processes: latex2sympy2_extended's ANTLR parser is slowest on first use,
and derivcheck caches parsed shapes within a process.)
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

SOLUTION = Path(__file__).resolve().parents[1] / "derivations" / "handwritten_solution.tex"

PROBE = textwrap.dedent(
    """
    import json, sys, time
    from checks import check_derivation
    from checks.latex.formulas import parse_formula
    import checks.latex.formulas as lm

    times = []
    original = lm.parse_formula
    def timed(src, notation):
        t0 = time.perf_counter()
        try:
            return original(src, notation)
        finally:
            times.append(time.perf_counter() - t0)
    import checks.latex.documents as reader
    reader.parse_formula = timed
    t0 = time.perf_counter()
    docs = reader.read_document(sys.argv[1])
    read_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    results = [check_derivation(d) for d in docs]
    check_s = time.perf_counter() - t0
    steps = [s for r in results for s in r.steps]
    decided = sum(1 for s in steps if s.verdict.value != "UNKNOWN")
    print(json.dumps({"parse": times, "read": read_s, "check": check_s, "steps": len(steps), "decided": decided}))
    """
)


def main() -> None:
    runs = []
    for _ in range(3):
        proc = subprocess.run([sys.executable, "-c", PROBE, str(SOLUTION)], capture_output=True, text=True, check=True)
        runs.append(json.loads(proc.stdout))
    parse = sorted(t for r in runs for t in r["parse"])
    last = runs[-1]
    print(f"handwritten solution: {last['steps']} steps read, {last['decided']} decided "
          f"({100 * last['decided'] / last['steps']:.0f}%)")
    print(f"parse time per formula (cold process, {len(parse) // len(runs)} formulas): median "
          f"{1000 * statistics.median(parse):.0f} ms, p95 {1000 * parse[int(0.95 * (len(parse) - 1))]:.0f} ms")
    print(f"read the document: median {statistics.median(r['read'] for r in runs):.2f} s; "
          f"check its steps: median {statistics.median(r['check'] for r in runs):.2f} s; "
          f"total {statistics.median(r['read'] + r['check'] for r in runs):.2f} s")


if __name__ == "__main__":
    main()
