"""Run a computation under a wall-clock budget without signals (works off the main thread).

The computation runs in a daemon thread; if it does not finish in time the caller gets
``TimedOut`` and moves on. The abandoned thread cannot be killed in Python: it keeps running
in the background until it ends or the process exits, but its result is never used.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class TimedOut(Exception):
    """The computation did not finish within its budget."""


def run_with_budget(fn: Callable[[], T], seconds: float) -> T:
    """Return ``fn()``, or raise TimedOut after ``seconds``; exceptions from ``fn`` propagate."""
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=target, name="derivcheck-step", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise TimedOut(f"time budget of {seconds:g} s exceeded")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]
