"""derivcheck: check each step of a derivation symbolically (SymPy) and numerically (numpy).

The whole public API is listed in ``__all__``.
"""

from checks.context import Context
from checks.derivation import Derivation, Justification, derivation, differentiate, solve
from checks.engine import Settings, check_derivation, check_step
from checks.errors import DeclarationError, DerivationFailure, DerivcheckError, EvaluationError, InputError
from checks.randomness import Bernoulli, Cov, E, Moments, Normal, Var
from checks.verdict import DerivationResult, Evidence, StepResult, Verdict

__version__ = "0.1.0"

__all__ = [
    "Bernoulli",
    "Cov",
    "E",
    "Moments",
    "Normal",
    "Var",
    "Context",
    "DeclarationError",
    "Derivation",
    "DerivationFailure",
    "DerivationResult",
    "DerivcheckError",
    "EvaluationError",
    "Evidence",
    "InputError",
    "Justification",
    "Settings",
    "StepResult",
    "Verdict",
    "__version__",
    "check_derivation",
    "check_step",
    "derivation",
    "differentiate",
    "solve",
]
