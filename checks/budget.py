"""Run computations under a budget of CPU time that binds, even inside one long C-level operation.

A Python thread cannot be interrupted while SymPy or CPython's big integers compute
(``x**50000000`` at an exact point), so a budget enforced by waiting on a thread does not bind:
the abandoned thread keeps running and slows every later step. Here each computation runs in a
:class:`Worker`, a forked process that serves many calls (the per-call cost is one message each
way) and is killed with SIGKILL the moment a call overruns its budget; the next call forks a new
one. The worker knows its jobs by key: it is forked after they are registered, so it holds them
(with their closures, monkeypatches and hooks) without pickling anything but the results.

The budget counts the worker's CPU time, not the wall clock: the kernel ends the worker
(``ITIMER_PROF``, whose signal's default action terminates) when the step has used its seconds of
CPU, so a busy machine slows a step down but does not turn it into a time-out — the same input gives
the same report. A wall-clock backstop (:data:`WALL_FACTOR` times the budget, plus
:data:`WALL_SLACK` seconds) still ends a step that waits without computing.

Where ``fork`` is missing (Windows) :func:`run_with_budget` falls back to the old thread wait,
which reports the timeout but cannot stop the work.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Hashable
from multiprocessing import Pipe
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")

_IN_WORKER = False  # True inside a worker process: nested work runs in place, never forks again
WALL_FACTOR = 10.0  # a step that has not finished after this many times its CPU budget in wall time ...
WALL_SLACK = 5.0  # ... plus these seconds is ended anyway (it waits rather than computes, or the machine is starved)


class TimedOut(Exception):
    """The computation did not finish within its budget."""


class WorkerDied(Exception):
    """The worker process ended without answering (killed from outside, out of memory, a crash in C)."""


def budget_text(seconds: float) -> str:
    """The reason shown for a timeout, e.g. ``timed out after 2 s``."""
    return f"timed out after {seconds:g} s"


def can_fork() -> bool:
    """Whether budgets can be enforced by worker processes here (POSIX ``fork``, not inside a worker)."""
    return hasattr(os, "fork") and not _IN_WORKER


def budget_is_off(seconds: float | None) -> bool:
    """A budget of None, 0 or infinity means: no budget, run in place."""
    return seconds is None or seconds <= 0 or seconds == float("inf")


def run_with_budget(fn: Callable[[], T], seconds: float) -> T:
    """Return ``fn()`` or raise TimedOut after ``seconds``, waiting on a thread (the fallback without fork).

    The thread cannot be stopped: after a timeout it runs on in the background, its result unused.
    """
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
        raise TimedOut(budget_text(seconds))
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


class Worker:
    """A forked process that runs registered jobs one at a time, killed when one overruns its budget.

    >>> w = Worker()
    >>> w.register("two", lambda: 1 + 1)
    >>> w.call("two", 5.0)
    2
    >>> w.close()
    """

    def __init__(self) -> None:
        self.jobs: dict[Hashable, Callable[[], Any]] = {}
        self._pid: int | None = None
        self._conn: Connection | None = None
        self._known: set[Hashable] = set()  # the jobs the current process was forked with
        self.forks = 0  # processes started so far (a measure of the overhead)

    def register(self, key: Hashable, fn: Callable[[], Any]) -> None:
        """Make ``fn`` callable by ``key``; a running worker that lacks it is replaced at the next call."""
        self.jobs[key] = fn

    def call(self, key: Hashable, seconds: float) -> Any:
        """``self.jobs[key]()`` computed in the worker; TimedOut once it has used ``seconds`` of CPU
        (the worker is ended), or after the wall-clock backstop."""
        if _IN_WORKER:  # already inside a worker (whose own budget binds): never fork again
            return self.jobs[key]()
        if self._pid is None or key not in self._known:
            self._start()
        assert self._conn is not None
        self._conn.send((key, seconds))
        if not self._conn.poll(seconds * WALL_FACTOR + WALL_SLACK):
            self._kill()
            raise TimedOut(budget_text(seconds))
        try:
            status, payload = self._conn.recv()
        except (EOFError, OSError):
            code = self._kill()
            if _ended_by_cpu_budget(code):
                raise TimedOut(budget_text(seconds)) from None
            raise WorkerDied(_death_text(code)) from None
        if status == "ok":
            return payload
        raise payload

    def close(self) -> None:
        """End the worker process (if any) and wait for it."""
        if self._conn is not None:
            try:
                self._conn.send(None)
            except OSError:
                pass
        self._kill()

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> None:
        self._kill()
        for stream in (sys.stdout, sys.stderr):  # else buffered output could be written twice
            try:
                stream.flush()
            except (OSError, ValueError, AttributeError):
                pass
        ours, theirs = Pipe()
        pid = os.fork()
        if pid == 0:  # the child: serve, and never return into the parent's code
            code = 0
            try:
                ours.close()
                _serve(theirs, self.jobs)
            except BaseException:  # noqa: BLE001 - the parent sees EOF and reports it
                code = 1
            finally:
                os._exit(code)
        theirs.close()
        self._pid, self._conn, self._known = pid, ours, set(self.jobs)
        self.forks += 1

    def _kill(self) -> int | None:
        """Kill and reap the worker; its wait status (None if there was none)."""
        pid, conn = self._pid, self._conn
        self._pid = self._conn = None
        self._known = set()
        if conn is not None:
            conn.close()
        if pid is None:
            return None
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            return os.waitpid(pid, 0)[1]
        except ChildProcessError:
            return None


def _serve(conn: Connection, jobs: dict[Hashable, Callable[[], Any]]) -> None:
    """The worker's loop: run the job named by each message and send back ("ok", value) or ("error", exc)."""
    global _IN_WORKER
    _IN_WORKER = True
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it kills us
    if _CPU_SIGNAL is not None:
        signal.signal(_CPU_SIGNAL, signal.SIG_DFL)  # the CPU budget ends the process, whatever a profiler set
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        key, seconds = request
        if _CPU_TIMER is not None:  # the kernel ends this process once the job has used its CPU seconds
            signal.setitimer(_CPU_TIMER, seconds)
        try:
            message: tuple[str, object] = ("ok", jobs[key]())
        except BaseException as exc:  # noqa: BLE001 - sent to the parent, which decides
            message = ("error", exc)
        finally:
            if _CPU_TIMER is not None:
                signal.setitimer(_CPU_TIMER, 0)
        try:
            conn.send(message)
        except Exception as exc:  # noqa: BLE001 - a result or exception that cannot be pickled
            conn.send(("error", RuntimeError(f"the result could not be sent back: {type(exc).__name__}: {exc}")))


_CPU_TIMER = getattr(signal, "ITIMER_PROF", None)  # CPU time of the process (user + system)
_CPU_SIGNAL = getattr(signal, "SIGPROF", None)


def _ended_by_cpu_budget(status: int | None) -> bool:
    """Whether a worker's wait status says the CPU timer ended it (SIGPROF's default action)."""
    return status is not None and _CPU_SIGNAL is not None and os.WIFSIGNALED(status) and os.WTERMSIG(status) == _CPU_SIGNAL


def _death_text(status: int | None) -> str:
    if status is not None and os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        hint = " (killed from outside, perhaps for lack of memory)" if sig == signal.SIGKILL else ""
        return f"the worker process checking this step ended by signal {signal.Signals(sig).name}{hint}"
    code = os.WEXITSTATUS(status) if status is not None and os.WIFEXITED(status) else "unknown"
    return f"the worker process checking this step ended unexpectedly (exit status {code})"
