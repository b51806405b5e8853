"""Benchmark: the exact expectation engine against sympy.stats, and Monte Carlo throughput.

Prints three tables:
1. derivcheck's symbolic-n proofs (dropout and Gaussian-noise variance, E_m[J], minibatch variance);
2. Var[(1/p) Σ_j m_j w_j x_j] on explicit n = 1, 2, 4, 8 features: sympy.stats.variance against
   derivcheck's engine on the same explicit sums (the cost curve side by side);
3. Monte Carlo: random draws per second, and the time to a decision (agree / refute).

Run: python benchmarks/bench_expectation.py [--repeats K] [--max-n N]
(sympy.stats grows about ×5 per feature; --stats-timeout stops it.)
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import time
from collections.abc import Callable

import numpy as np
import sympy as sp
from sympy import stats

from derivcheck_steps import Context
from derivcheck_steps.expectation import prove_equal_in_expectation
from derivcheck_steps.montecarlo import check as monte_carlo
from derivcheck_steps.randomness import Bernoulli, E, Var
from derivcheck_steps.sampling import draw_instance


def _median_ms(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def _symbolic_proofs(repeats: int) -> None:
    from derivcheck_steps.derivations import dropout, gaussian_noise

    cases = [
        ("dropout Var[ỹ], symbolic n", dropout.ctx, Var(dropout.y),
         (1 - dropout.p) / dropout.p * sp.Sum(dropout.w[dropout.j] ** 2 * dropout.x[dropout.i, dropout.j] ** 2,
                                               (dropout.j, 1, dropout.n))),
        ("dropout E_m[J], symbolic n, N", dropout.ctx, E(dropout.loss), dropout.fit + dropout.penalty),
        ("Gaussian noise Var[ỹ], symbolic n", gaussian_noise.ctx, Var(gaussian_noise.y),
         gaussian_noise.sigma**2 * sp.Sum(gaussian_noise.w[gaussian_noise.j] ** 2
                                          * gaussian_noise.x[gaussian_noise.i, gaussian_noise.j] ** 2,
                                          (gaussian_noise.j, 1, gaussian_noise.n))),
        ("minibatch Var[g_B], symbolic B", gaussian_noise.bctx, Var(gaussian_noise.g_B),
         gaussian_noise.bsigma**2 / gaussian_noise.B),
    ]
    print("1. exact proofs for symbolic sizes (derivcheck's expectation engine)")
    print(f"   {'identity':<36} {'median ms':>10}")
    for name, ctx, lhs, rhs in cases:
        assert prove_equal_in_expectation(lhs, rhs, ctx).proved, name
        print(f"   {name:<36} {_median_ms(lambda a=lhs, b=rhs, c=ctx: prove_equal_in_expectation(a, b, c), repeats):>10.1f}")


def _sympy_stats_variance(n: int) -> tuple[float, bool]:
    """Time sympy.stats.variance alone; then (untimed) confirm its answer by expansion."""
    p = sp.Symbol("p", positive=True)
    w, x = sp.symbols(f"w1:{n + 1}"), sp.symbols(f"x1:{n + 1}")
    masks = [stats.Bernoulli(f"m{k}", p) for k in range(1, n + 1)]
    y = sum(m * wk * xk for m, wk, xk in zip(masks, w, x, strict=True)) / p
    start = time.perf_counter()
    got = stats.variance(y)
    seconds = time.perf_counter() - start
    want = (1 - p) / p * sum(wk**2 * xk**2 for wk, xk in zip(w, x, strict=True))
    return seconds, sp.expand(sp.cancel(got - want)) == 0


def _stats_worker(n: int, out: multiprocessing.Queue) -> None:
    out.put(_sympy_stats_variance(n))


def _stats_with_timeout(n: int, timeout: float) -> tuple[float | None, bool | None]:
    """sympy.stats in a child process, stopped after ``timeout`` seconds (its cost grows ~×5 per term)."""
    out: multiprocessing.Queue = multiprocessing.Queue()
    proc = multiprocessing.Process(target=_stats_worker, args=(n, out))
    proc.start()
    proc.join(timeout)
    if proc.is_alive():
        proc.terminate()
        proc.join()
        return None, None
    return out.get()


def _engine_explicit(n: int) -> None:
    ctx = Context(f"explicit n={n}")
    (size,) = ctx.dims("n")
    j = ctx.index("j", size)
    w, x = ctx.indexed("w", j), ctx.indexed("x", j)
    p = ctx.scalar("p", interval=(0, 1))
    m = ctx.random("m", j, dist=Bernoulli(p))
    y = sum(m[k] * w[k] * x[k] for k in range(1, n + 1)) / p
    want = (1 - p) / p * sum(w[k] ** 2 * x[k] ** 2 for k in range(1, n + 1))
    assert prove_equal_in_expectation(Var(y), want, ctx).proved


def _explicit_curve(max_n: int, timeout: float) -> None:
    print("\n2. Var[(1/p) Σ_j m_j w_j x_j] on explicit n features (one run each, ms)")
    print(f"   {'n':>3} {'sympy.stats.variance':>22} {'(answer right)':>15} {'derivcheck engine':>19}")
    n = 1
    while n <= max_n:
        seconds, right = _stats_with_timeout(n, timeout)
        engine_ms = _median_ms(lambda k=n: _engine_explicit(k), 1)
        stats_ms = f"{1000 * seconds:.0f}" if seconds is not None else f"> {1000 * timeout:.0f} (stopped)"
        print(f"   {n:>3} {stats_ms:>22} {str(right if right is not None else '-'):>15} {engine_ms:>19.0f}", flush=True)
        n *= 2
    print("   (sympy.stats cannot take a symbolic n: a Sum over Bernoulli variables fails or models one shared mask)")


def _monte_carlo(repeats: int) -> None:
    from derivcheck_steps.derivations import dropout

    ctx = dropout.ctx
    inst = draw_instance(ctx, np.random.default_rng(7), simple=False)
    env = inst.floats
    variables = int(env[dropout.n])  # masks drawn per sample (one example i)
    right = (1 - dropout.p) / dropout.p * sp.Sum(dropout.w[dropout.j] ** 2 * dropout.x[dropout.i, dropout.j] ** 2,
                                                 (dropout.j, 1, dropout.n))
    wrong = dropout.p / (1 - dropout.p) * sp.Sum(dropout.w[dropout.j] ** 2 * dropout.x[dropout.i, dropout.j] ** 2,
                                                 (dropout.j, 1, dropout.n))
    print("\n3. Monte Carlo (dropout Var[ỹ] at one random instance, "
          f"N = {int(env[dropout.N])}, n = {variables}; 20 batches × 4000 samples per round)")
    print(f"   {'claim':<28} {'decision':<10} {'|t|':>7} {'samples':>9} {'draws':>10} {'ms':>8} {'draws/s':>12}")
    for name, rhs in (("Var = (1−p)/p Σ w²x² (true)", right), ("Var = p/(1−p) Σ w²x² (slip)", wrong)):
        times, res = [], None
        for _ in range(repeats):
            res = monte_carlo(Var(dropout.y), rhs, ctx, env, seed=20261127)
            times.append(res.seconds)
        seconds = statistics.median(times)
        draws = res.samples * int(env[dropout.N]) * variables  # every mask of the family is drawn per sample
        print(f"   {name:<28} {res.status:<10} {abs(res.t):>7.1f} {res.samples:>9} {draws:>10} "
              f"{1000 * seconds:>8.1f} {draws / seconds:>12.3g}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5, help="repeats per timed figure (median reported)")
    parser.add_argument("--max-n", type=int, default=8, help="largest explicit n for the sympy.stats curve")
    parser.add_argument("--stats-timeout", type=float, default=600.0, help="seconds allowed to sympy.stats per n")
    args = parser.parse_args()
    _symbolic_proofs(args.repeats)
    _explicit_curve(args.max_n, args.stats_timeout)
    _monte_carlo(args.repeats)


if __name__ == "__main__":
    main()
