"""derivcheck: check each step of a derivation symbolically (SymPy) and numerically (numpy).

The whole public API is listed in ``__all__``. Names are imported on first use, so that the
command line can answer from its cache without loading SymPy.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_WHERE = {
    "Context": "checks.context",
    "Derivation": "checks.model",
    "Justification": "checks.model",
    "derivation": "checks.model",
    "differentiate": "checks.model",
    "solve": "checks.model",
    "Settings": "checks.settings",
    "check_derivation": "checks.engine",
    "check_step": "checks.engine",
    "DeclarationError": "checks.errors",
    "DerivationFailure": "checks.errors",
    "DerivcheckError": "checks.errors",
    "EvaluationError": "checks.errors",
    "InputError": "checks.errors",
    "Bernoulli": "checks.randomness",
    "Cov": "checks.randomness",
    "E": "checks.randomness",
    "Moments": "checks.randomness",
    "Normal": "checks.randomness",
    "Var": "checks.randomness",
    "DerivationResult": "checks.verdict",
    "Evidence": "checks.verdict",
    "StepResult": "checks.verdict",
    "Verdict": "checks.verdict",
}

__all__ = sorted([*_WHERE, "__version__"])


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'checks' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
