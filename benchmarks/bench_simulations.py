"""Benchmark: the run time of each simulation of section 2 (target: all together under 10 s).

Run: python benchmarks/bench_simulations.py [--repeats K]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from derivcheck_steps.derivations import batch_size, compute_optimal
from derivcheck_steps.discovery import collect
from derivcheck_steps.engine import step_seed
from derivcheck_steps.settings import DEFAULT_SEED


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3, help="timed repeats (median reported)")
    args = parser.parse_args()
    collect(["derivations.batch_size", "derivations.compute_optimal"])  # sets the ids the seeds derive from
    cases = [(d, s) for d in (batch_size.learning_rate, batch_size.tradeoff, compute_optimal.model_size)
             for s in d.steps if s.experiment is not None]
    total = 0.0
    for d, step in cases:
        times = []
        for _ in range(args.repeats):
            rng = np.random.default_rng(step_seed(DEFAULT_SEED, d.id or d.title, step.index))
            start = time.perf_counter()
            ok, detail, _figure = step.experiment(rng)
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        total += median
        print(f"{median:7.2f} s  {'agrees' if ok else 'DISAGREES'}  {d.title}: {step.by.label}")
    print(f"{total:7.2f} s  all simulations together (target < 10 s)")


if __name__ == "__main__":
    main()
