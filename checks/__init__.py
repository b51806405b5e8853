"""derivcheck: check each step of a derivation symbolically (SymPy) and numerically (numpy).

The whole public API is listed in ``__all__``. Names are imported on first use, so that the
command line can answer from its cache without loading SymPy.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_WHERE = {
    "Context": "derivcheck_steps.context",
    "Derivation": "derivcheck_steps.model",
    "Justification": "derivcheck_steps.model",
    "derivation": "derivcheck_steps.model",
    "differentiate": "derivcheck_steps.model",
    "solve": "derivcheck_steps.model",
    "Settings": "derivcheck_steps.settings",
    "check_derivation": "derivcheck_steps.engine",
    "check_step": "derivcheck_steps.engine",
    "DeclarationError": "derivcheck_steps.errors",
    "DerivationFailure": "derivcheck_steps.errors",
    "DerivcheckError": "derivcheck_steps.errors",
    "EvaluationError": "derivcheck_steps.errors",
    "InputError": "derivcheck_steps.errors",
    "Bernoulli": "derivcheck_steps.randomness",
    "Cov": "derivcheck_steps.randomness",
    "E": "derivcheck_steps.randomness",
    "Moments": "derivcheck_steps.randomness",
    "Normal": "derivcheck_steps.randomness",
    "Var": "derivcheck_steps.randomness",
    "DerivationResult": "derivcheck_steps.verdict",
    "Evidence": "derivcheck_steps.verdict",
    "StepResult": "derivcheck_steps.verdict",
    "Verdict": "derivcheck_steps.verdict",
}

__all__ = sorted([*_WHERE, "__version__"])


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'derivcheck_steps' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
