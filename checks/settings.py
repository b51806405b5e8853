"""How hard to check: the base seed, the per-step time budget and the numbers of instances."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_SEED = 20261127
DEFAULT_BUDGET = 20.0  # seconds per step


@dataclass(frozen=True)
class Settings:
    """How hard to check: base seed, per-step time budget, numbers of instances."""

    seed: int = DEFAULT_SEED
    budget: float = DEFAULT_BUDGET
    instances: int = 6
    simple_instances: int = 3
