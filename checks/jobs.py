"""How many processes a run uses: ``-j N``, or ``-j auto`` (the default) where parallelism pays.

``auto`` means one process per core when several derivations are selected and the machine has
at least two cores; otherwise one (a single derivation cannot be split across processes, and a
worker's start-up would only add to its time). ``-j 1`` forces a serial run.
"""

from __future__ import annotations

import argparse
import os

AUTO = "auto"


def parse_jobs(text: str) -> int | str:
    """The ``-j`` argument: ``auto`` or a positive number of processes."""
    if text.strip().lower() == AUTO:
        return AUTO
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected 'auto' or a positive number of processes, not {text!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError("-j needs a positive number of processes (or 'auto')")
    return jobs


def resolve_jobs(jobs: int | str, derivations: int, cores: int | None = None) -> int:
    """The number of processes for ``derivations`` selected derivations under ``-j jobs``."""
    if jobs != AUTO:
        return int(jobs)
    cores = os.cpu_count() if cores is None else cores
    if cores is None or cores < 2 or derivations < 2:
        return 1
    return min(cores, derivations)
