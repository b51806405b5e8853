"""Benchmark: cold wall time of `derivcheck check` on the built-in derivations, and per-step times.

Run: python benchmarks/bench_check.py [--runs K]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="cold runs (fresh processes)")
    args = parser.parse_args()
    walls, steps = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            report = Path(tmp) / "r.json"
            start = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-m", "derivcheck_steps.cli", "check", "-q", "--json", str(report)],
                capture_output=True, text=True,
            )
            walls.append(time.perf_counter() - start)
            if proc.returncode != 0:
                sys.exit(f"derivcheck check failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
            doc = json.loads(report.read_text())
            steps = [s["seconds"] for d in doc["derivations"] for s in d["steps"]]
    steps.sort()
    p95 = steps[min(len(steps) - 1, round(0.95 * (len(steps) - 1)))]
    print(f"cold wall time of `derivcheck check` (all built-in derivations), {args.runs} runs:")
    print(f"  median {statistics.median(walls):.2f} s   min {min(walls):.2f} s   max {max(walls):.2f} s")
    print(f"per-step time over {len(steps)} steps (last run):")
    print(f"  median {statistics.median(steps) * 1000:.1f} ms   p95 {p95 * 1000:.1f} ms   max {steps[-1] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
