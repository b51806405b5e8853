"""A step's fingerprint: everything its result depends on, as text (the result cache hashes it).

The text names functions by module and qualified name (never a memory address), writes SymPy
objects with their assumptions (``srepr``), replaces numbers too long to print by a hash of their
digits (``str(int)`` refuses more than 4,300 digits) and leaves out where a step was written:
moving a step to another line keeps its cached result, which the engine relocates.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import sympy as sp

from derivcheck_steps import cache
from derivcheck_steps.numbers import digest_big_numbers

if TYPE_CHECKING:
    from derivcheck_steps.model import Derivation, Step
    from derivcheck_steps.settings import Settings


def _canon(obj: object) -> str:
    """A text that determines ``obj`` completely (SymPy objects with their assumptions, via srepr)."""
    if isinstance(obj, sp.Basic):
        return sp.srepr(digest_big_numbers(obj))
    if isinstance(obj, dict):
        return "{" + ",".join(sorted(f"{_canon(k)}:{_canon(v)}" for k, v in obj.items())) + "}"
    if isinstance(obj, list | tuple):
        return "[" + ",".join(_canon(x) for x in obj) + "]"
    if isinstance(obj, set | frozenset):
        return "{" + ",".join(sorted(_canon(x) for x in obj)) + "}"
    if callable(obj) and hasattr(obj, "__qualname__"):  # a function: its name (the key also holds its source)
        return f"{getattr(obj, '__module__', '')}.{obj.__qualname__}"
    if hasattr(obj, "__dataclass_fields__"):
        fields = [k for k in obj.__dataclass_fields__ if k != "location"]
        return type(obj).__name__ + "(" + ",".join(f"{k}={_canon(getattr(obj, k))}" for k in fields) + ")"
    return repr(obj)


def step_fingerprint(d: Derivation, step: Step, settings: Settings) -> list[str]:
    """Everything a step's result depends on, as text (the cache key is its hash with the engine version)."""
    parts = [d.id or d.title, _canon(settings), _canon(d.ctx), _canon(step)]
    if step.experiment is not None:  # code: the key holds its module's source
        module = sys.modules.get(getattr(step.experiment, "__module__", ""), None)
        path = getattr(module, "__file__", None)
        parts.append(cache.file_digest(path) or "unknown source" if path else "unknown source")
        parts.append(_canon(getattr(step.experiment, "__code__", None) and step.experiment.__code__.co_code))
    return parts
