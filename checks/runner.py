"""One run of the command line: collect the selected derivations, check them, and stream their reports.

Each derivation's table is written as soon as its result is known, in the final order (with
``-j N`` the results arrive in order too); on a terminal a transient "checking …" line on
stderr says what is being worked on. A target that cannot be read is recorded as an input
problem and the others are still checked (the run then exits 2).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from derivcheck_steps.errors import InputError
from derivcheck_steps.settings import Settings


@dataclass
class Selection:
    """What a run checks: the derivations found, and the targets that could not be read."""

    found: list = field(default_factory=list)
    problems: list[tuple[str, InputError]] = field(default_factory=list)
    targets: list[str] | None = None  # the targets that gave derivations, folders expanded (None: the built-ins)


def select(targets: list[str] | None, keywords: list[str] | None) -> Selection:
    """The derivations of ``targets`` that ``keywords`` select; unreadable targets become problems."""
    from derivcheck_steps.discovery import collect, expand_targets

    expanded = expand_targets(targets)
    sel = Selection()
    used: list[str] = []
    sel.found = collect(targets, keywords, sel.problems, used)
    sel.targets = used if expanded is not None else None  # what -j's worker processes collect again
    if not sel.found and not sel.problems:
        raise InputError("no derivation matches the given targets and -k filters")
    return sel


def zero_times(results: list) -> None:
    """Drop every timing (steps, corrections, Monte Carlo runs) so that reports are byte-identical."""

    def zero(step: object) -> None:
        step.seconds = 0.0
        for mc in step.evidence.monte_carlo:
            mc["seconds"] = 0.0
        if step.correction is not None:
            zero(step.correction)

    for r in results:
        r.seconds = 0.0
        for s in r.steps:
            zero(s)


class Progress:
    """A transient "checking k/N: id" line on a terminal's stderr; nothing when stderr is not a terminal."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.total = total
        isatty = getattr(self.stream, "isatty", None)
        self.active = bool(isatty()) if callable(isatty) else False

    def show(self, k: int, name: str) -> None:
        if self.active:
            self.stream.write(f"\r\x1b[Kchecking {k}/{self.total}: {name}")
            self.stream.flush()

    def clear(self) -> None:
        if self.active:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def check_all(sel: Selection, settings: Settings, jobs: int, use_cache: bool,
              on_result: Callable[[object], None] | None = None, step_latex: bool = True) -> list:
    """DerivationResults of ``sel.found`` in order; ``on_result`` sees each as soon as it (and those before it) are known.

    ``step_latex=False``: the results carry no step LaTeX (a console report without JSON, cache or
    writeup never reads it); only without the cache, which would keep such results.
    """
    from derivcheck_steps.engine import STEP_LATEX, check_derivations

    progress = Progress(len(sel.found))
    results = []
    STEP_LATEX.on = step_latex or use_cache
    try:
        if jobs <= 1 or len(sel.found) <= 1:  # one worker process for all of them (warm caches)
            def seen(r: object) -> None:
                results.append(r)
                progress.clear()
                if on_result is not None:
                    on_result(r)
                if len(results) < len(sel.found):
                    progress.show(len(results) + 1, sel.found[len(results)].id)

            if sel.found:
                progress.show(1, sel.found[0].id)
            check_derivations([f.derivation for f in sel.found], settings, use_cache=use_cache, on_result=seen)
        else:
            from derivcheck_steps.parallel import check_in_processes

            def arrived(r: object) -> None:  # in order, each as soon as it and those before it are known
                results.append(r)
                progress.clear()
                if on_result is not None:
                    on_result(r)
                if len(results) < len(sel.found):
                    progress.show(len(results), f"{len(sel.found)} derivations in {jobs} processes")

            progress.show(0, f"{len(sel.found)} derivations in {jobs} processes")
            check_in_processes(sel.found, settings, jobs, sel.targets, use_cache, on_result=arrived)
    finally:
        progress.clear()
        STEP_LATEX.on = True
    return results
