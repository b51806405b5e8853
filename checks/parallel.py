"""Check derivations in several processes (``-j N``), with the same results and order as serially.

Where processes are forked (POSIX), the workers inherit the derivations the parent has already
collected, so no worker reads the documents or imports the modules again; elsewhere (``spawn``)
each worker collects the targets once. Results come back in order, each handed to ``on_result``
as soon as it and every one before it are known.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import cache

from derivcheck_steps.settings import Settings

_INHERITED: dict | None = None  # the parent's derivations by id, seen by forked workers


@cache
def _collected(targets: tuple[str, ...] | None) -> dict:
    from derivcheck_steps.discovery import collect

    return {f.id: f for f in collect(list(targets) if targets else None)}  # once per worker process


def _found(targets: tuple[str, ...] | None) -> dict:
    return _INHERITED if _INHERITED is not None else _collected(targets)


_RUNNERS: dict = {}  # this worker's step runner, one for every derivation it checks (by settings)


def _runner_for(found: dict, settings: Settings):  # noqa: ANN202 - a StepRunner
    """This worker process's step runner: every derivation registered before its budget process is
    forked, so that one budget process (with warm caches) serves all the derivations this worker gets."""
    if settings not in _RUNNERS:
        from multiprocessing.util import Finalize

        from derivcheck_steps.engine import register_all, step_runner

        runner = step_runner()
        register_all(runner, [f.derivation for f in found.values()], settings)
        Finalize(runner, runner.close, exitpriority=10)  # reaped before this worker exits (its CPU counted)
        _RUNNERS[settings] = runner
    return _RUNNERS[settings]


def _check_one(job: tuple[tuple[str, ...] | None, str, Settings, bool]):  # noqa: ANN202 - a DerivationResult
    from derivcheck_steps.engine import check_derivation, sharing

    targets, derivation_id, settings, use_cache = job
    found = _found(targets)
    with sharing(_runner_for(found, settings)):
        result = check_derivation(found[derivation_id].derivation, settings, use_cache=use_cache)
    result.derivation = None  # the derivation holds closures: the parent process reattaches its own copy
    return result


def _expected_cost(found_item: object) -> float:
    """A derivation's expected share of the work: its steps, corrections and experiments (an
    experiment, a simulation, weighs as several steps)."""
    steps = getattr(getattr(found_item, "derivation", None), "steps", ())
    return sum(1 + (s.correction is not None) + 4 * (s.experiment is not None) for s in steps)


def check_in_processes(found: list, settings: Settings, jobs: int, targets: list[str] | None,
                       use_cache: bool = False, on_result: Callable[[object], None] | None = None) -> list:
    """DerivationResults for ``found``, in order; ``jobs`` > 1 spreads them over processes.

    ``on_result`` sees each result as soon as it and all those before it are known.
    """
    global _INHERITED
    from derivcheck_steps.engine import check_derivations

    if jobs <= 1 or len(found) <= 1:  # one worker process for all of them (budgets bind, caches stay warm)
        return check_derivations([f.derivation for f in found], settings, use_cache=use_cache, on_result=on_result)
    key = tuple(targets) if targets else None
    context = multiprocessing.get_context()
    if context.get_start_method() == "fork":
        _INHERITED = {f.id: f for f in found}
    results = []
    try:
        with ProcessPoolExecutor(min(jobs, len(found)), mp_context=context) as pool:
            # the longest first (a long one started last leaves the other workers idle at the end);
            # results are still taken, and reported, in the derivations' own order
            futures = {i: pool.submit(_check_one, (key, found[i].id, settings, use_cache))
                       for i in sorted(range(len(found)), key=lambda i: -_expected_cost(found[i]))}
            for i, f in enumerate(found):
                r = futures[i].result()
                r.derivation = f.derivation
                results.append(r)
                if on_result is not None:
                    on_result(r)
    finally:
        _INHERITED = None
    return results
