"""One benchmark suite: prints one table of derivcheck's figures and writes them as JSON.

Figures: cold full check of all built-in derivations (fresh process, no cache); warm re-run from the
cache; per-step median and 95th percentile; Monte Carlo draws per second; LaTeX parse time per
formula; the mutation audit's time (a sample by default, --full-audit for all of it).

Run: python benchmarks/run_all.py [--json FILE] [--full-audit]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _timed(cmd: list[str], env: dict) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    return time.perf_counter() - start, proc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", default="benchmarks.json", help="where to write the figures (default benchmarks.json)")
    parser.add_argument("--full-audit", action="store_true", help="run the whole mutation audit (minutes)")
    args = parser.parse_args()
    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, DERIVCHECK_CACHE_DIR=str(Path(tmp) / "cache"))
        report = Path(tmp) / "report.json"
        cli = [sys.executable, "-m", "derivcheck_steps.cli", "check", "-q"]
        cold, proc = _timed([*cli, "--json", str(report)], env)
        if proc.returncode not in (0, 1):
            sys.exit(proc.stderr)
        figures["cold full check (s)"] = round(cold, 2)
        steps = sorted(s["seconds"] for d in json.loads(report.read_text())["derivations"] for s in d["steps"])
        figures["steps"] = len(steps)
        figures["step median (ms)"] = round(1000 * statistics.median(steps), 1)
        figures["step p95 (ms)"] = round(1000 * steps[round(0.95 * (len(steps) - 1))], 1)
        warm = [_timed([*cli, "--json", str(report)], env)[0] for _ in range(3)]
        figures["warm re-run from the cache (s)"] = round(statistics.median(warm), 3)
    probe = ("import numpy as np, time; from derivcheck_steps.derivations import dropout; "
             "from derivcheck_steps.montecarlo import check; "
             "from derivcheck_steps.randomness import Var; from derivcheck_steps.sampling import draw_instance; "
             "inst = draw_instance(dropout.ctx, np.random.default_rng(7), simple=False).floats; "
             "rhs = (1 - dropout.p) / dropout.p * __import__('sympy').Sum(dropout.w[dropout.j] ** 2 * "
             "dropout.x[dropout.i, dropout.j] ** 2, (dropout.j, 1, dropout.n)); "
             "r = check(Var(dropout.y), rhs, dropout.ctx, inst, 1); "
             "print(r.samples * int(inst[dropout.N]) * int(inst[dropout.n]) / r.seconds, r.seconds)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True).stdout.split()
    figures["Monte Carlo draws per second"] = float(f"{float(out[0]):.3g}")
    figures["Monte Carlo time to a decision (ms)"] = round(1000 * float(out[1]), 1)
    reader = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_reader.py")], capture_output=True,
                            text=True, cwd=ROOT, check=True).stdout
    line = next(x for x in reader.splitlines() if x.startswith("parse time"))
    figures["LaTeX parse time per formula, median (ms)"] = float(line.split("median ")[1].split(" ms")[0])
    audit_cmd = [sys.executable, str(ROOT / "benchmarks" / "mutation_audit.py"), "--json", os.devnull]
    if not args.full_audit:
        audit_cmd += ["--per-step", "3"]
    seconds, proc = _timed(audit_cmd, dict(os.environ))
    rows = [x for x in proc.stdout.splitlines() if x and not x.startswith(("truly wrong mutants", "UNSOUND"))]
    table = {k.strip(): v for k, v in (x.rsplit(None, 1) for x in rows)}
    figures["mutation audit (s)" + ("" if args.full_audit else ", 3 mutants per step")] = round(seconds, 1)
    figures["mutation audit: truly wrong / REFUTED / unsound"] = (
        f"{table.get('truly wrong', '?')} / {table.get('REFUTED', '?')} / {table.get('unsound (PROVED or CHECKED)', '?')}")
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")
    Path(args.json).write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
