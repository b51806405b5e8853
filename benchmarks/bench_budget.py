"""Benchmark: what the worker process that makes budgets bind costs, and how fast a budget stops a step.

1. CPU time (this process and its workers) of checking every built-in derivation with the budget
   on — one worker per derivation (check_derivation each) or one for all (check_derivations) —
   and off (in place), alternating, K rounds each; the difference per step is the workers' overhead.
2. Wall time of a step x^50000000 (x in (0, 1), so the exact value at x = 1/2 is computed) under a
   2 s budget.

Run: python benchmarks/bench_budget.py [--rounds K]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time


def _cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds of budget on / off")
    args = parser.parse_args()

    import sympy as sp

    from derivcheck_steps import Context, Settings, check_derivation, derivation
    from derivcheck_steps.discovery import collect
    from derivcheck_steps.engine import check_derivations

    found = collect()
    steps = sum(len(f.derivation.steps) for f in found)
    check_derivation(found[0].derivation, Settings(budget=float("inf")))  # imports and first compilations
    modes = {
        "one worker per derivation": lambda: [check_derivation(f.derivation, Settings()) for f in found],
        "one worker for all": lambda: check_derivations([f.derivation for f in found], Settings()),
        "in place (budget off)": lambda: [check_derivation(f.derivation, Settings(budget=float("inf"))) for f in found],
    }
    cpu: dict[str, list[float]] = {m: [] for m in modes}
    for _ in range(args.rounds):
        for mode, run in modes.items():
            start = _cpu()
            run()
            cpu[mode].append(round(_cpu() - start, 2))
    base = statistics.median(cpu["in place (budget off)"])
    print(f"built-in derivations: {len(found)} derivations, {steps} steps, {args.rounds} rounds (CPU s, median)")
    for mode, times in cpu.items():
        med = statistics.median(times)
        print(f"  {mode:28s} {med:6.2f} s  {times}  overhead {1000 * (med - base) / steps:+.1f} ms/step")

    ctx = Context("big")
    x = ctx.scalar("x", interval=(0, 1))
    d = derivation("huge power", ctx)
    big = sp.Pow(x, 50000000)
    d.chain(sp.Mul(big, x + 1, evaluate=False)).eq(sp.Add(sp.Pow(x, 50000001), big, evaluate=False), by="expand")
    start = time.perf_counter()
    res = check_derivation(d, Settings(budget=2)).steps[0]
    print(f"x^50000000 under a 2 s budget: {res.verdict.value} ({res.reason}), "
          f"wall {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
