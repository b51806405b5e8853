"""Check derivations in several processes (``-j N``), with the same results and order as serially."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from functools import cache

from checks.settings import Settings


@cache
def _found(targets: tuple[str, ...] | None) -> dict:
    from checks.discovery import collect

    return {f.id: f for f in collect(list(targets) if targets else None)}  # once per worker process


def _check_one(job: tuple[tuple[str, ...] | None, str, Settings, bool]):  # noqa: ANN202 - a DerivationResult
    from checks.engine import check_derivation

    targets, derivation_id, settings, use_cache = job
    result = check_derivation(_found(targets)[derivation_id].derivation, settings, use_cache=use_cache)
    result.derivation = None  # the derivation holds closures: the parent process reattaches its own copy
    return result


def check_in_processes(found: list, settings: Settings, jobs: int, targets: list[str] | None,
                       use_cache: bool = False) -> list:
    """DerivationResults for ``found``, in order; ``jobs`` > 1 spreads them over processes."""
    from checks.engine import check_derivations

    if jobs <= 1 or len(found) <= 1:  # one worker process for all of them (budgets bind, caches stay warm)
        return check_derivations([f.derivation for f in found], settings, use_cache=use_cache)
    key = tuple(targets) if targets else None
    with ProcessPoolExecutor(min(jobs, len(found))) as pool:
        results = list(pool.map(_check_one, [(key, f.id, settings, use_cache) for f in found]))
    for f, r in zip(found, results, strict=True):
        r.derivation = f.derivation
    return results
