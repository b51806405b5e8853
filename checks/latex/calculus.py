"""Notation entries for names, functions and calculus, registered in :mod:`derivcheck_steps.latex.notation`'s
table: functions (:mod:`derivcheck_steps.latex.functions`: elementary functions, ``\\max_x f``, ``\\det``,
operator words), names and declared functions (:mod:`derivcheck_steps.latex.name_lookup`), and sums and
derivatives (``\\frac{d}{dz}``, ``\\frac{\\partial f}{\\partial z}``, ``f'(z)``, ``\\nabla_x``:
:mod:`derivcheck_steps.latex.derivatives`). Importing this module registers them all, in that order;
their builders are importable from here.
"""

from derivcheck_steps.latex.functions import function_argument  # noqa: F401,I001  (first: registers the functions)
from derivcheck_steps.latex.name_lookup import apply_declared, declared_function, name_or_application, resolve_name
import derivcheck_steps.latex.derivatives  # noqa: F401  (last: sums, derivatives, gradients)
from derivcheck_steps.latex.derivatives import fraction_derivative

__all__ = ["apply_declared", "declared_function", "fraction_derivative", "name_or_application", "resolve_name"]
