"""Where a step is checked: in a worker process that its budget can end, or in place when there is no budget.

Experiments (the user's own numeric code) run in place; every other step runs in the derivation's
worker process (:class:`derivcheck_steps.budget.Worker`), which is killed when the step overruns its budget.
A step stopped that way is UNKNOWN with cause "timeout"; one whose worker died is an internal error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial

from derivcheck_steps.budget import TimedOut, Worker, WorkerDied, budget_is_off, can_fork, run_with_budget
from derivcheck_steps.evaluate import Hook
from derivcheck_steps.failures import INTERNAL, TIMEOUT, classify, internal_reason
from derivcheck_steps.model import Derivation, Step
from derivcheck_steps.settings import Settings
from derivcheck_steps.stepforms import printed
from derivcheck_steps.verdict import Evidence, StepResult, Verdict


def not_checked(d: Derivation, step: Step, settings: Settings, seed: int, cause: str, reason: str) -> StepResult:
    """The result of a step whose check was stopped (timeout) or lost (the worker died)."""
    return StepResult(step.index, step.relation, step.by.label, printed(step, d.ctx), Verdict.UNKNOWN, step.expect,
                      settings.budget, reason, Evidence(seed=seed), location=step.location, cause=cause)


class StepRunner:
    """Runs step checks for one derivation: in a worker process under the budget where it can fork.

    ``check_here(d, step, settings, hooks)`` checks a step in the current process (the engine's);
    ``seed_of(d, step, settings)`` is the step's seed, recorded in the evidence of a stopped step.
    """

    def __init__(self, check_here: Callable[..., StepResult], seed_of: Callable[..., int]) -> None:
        self.check_here, self.seed_of = check_here, seed_of
        self.worker = Worker() if can_fork() else None
        self._fixed: dict[int, tuple[Step, Step]] = {}

    def fixed(self, step: Step, make: Callable[[Step], Step]) -> Step:
        """The corrected form of a reviewed step, made once (the worker knows it by identity)."""
        if id(step) not in self._fixed:
            self._fixed[id(step)] = (step, make(step))
        return self._fixed[id(step)][1]

    @staticmethod
    def key(d: Derivation, step: Step, settings: Settings, hooks: object) -> tuple:
        return id(d), id(step), settings, id(hooks)

    def register(self, d: Derivation, step: Step, settings: Settings, hooks: Mapping[type, Hook] | None) -> None:
        """Make the step known to the worker, before it is forked (a later one costs a new fork)."""
        if self.worker is not None:
            self.worker.register(self.key(d, step, settings, hooks), partial(self.check_here, d, step, settings, hooks))

    def check(self, d: Derivation, step: Step, settings: Settings, hooks: Mapping[type, Hook] | None) -> StepResult:
        """The step's result: in the worker under the budget, in place without one, UNKNOWN if stopped."""
        if step.experiment is not None or budget_is_off(settings.budget):
            return self.check_here(d, step, settings, hooks)
        try:
            if self.worker is None:  # no fork here: a thread that reports the timeout but cannot stop the work
                return run_with_budget(partial(self.check_here, d, step, settings, hooks), settings.budget)
            self.register(d, step, settings, hooks)
            return self.worker.call(self.key(d, step, settings, hooks), settings.budget)
        except TimedOut as exc:
            return not_checked(d, step, settings, self.seed_of(d, step, settings), TIMEOUT, str(exc))
        except WorkerDied as exc:
            return not_checked(d, step, settings, self.seed_of(d, step, settings), INTERNAL, internal_reason(str(exc)))
        except Exception as exc:  # noqa: BLE001 - _check_here itself failed: still this step's UNKNOWN
            return not_checked(d, step, settings, self.seed_of(d, step, settings), *classify(exc))

    def close(self) -> None:
        """End the worker process, if one was started."""
        if self.worker is not None:
            self.worker.close()
