"""Step results in the cache, keyed by the content of what is checked, so that a stale verdict cannot exist.

The key of a step is a hash of a canonical serialisation of everything its verdict is a function
of: the built expressions (SymPy's ``srepr``, with every symbol's and undefined function's
assumptions), the derivation's context (every declaration), the settings, the derivation id
(the step's seed derives from it) and the engine version (:func:`derivcheck_steps.cache.engine_version`).

The serialisation is strict: it knows SymPy objects from SymPy and derivcheck, derivcheck's own
data classes, and plain data. Anything else — a function (a numeric experiment, an implemented
function), a user-defined SymPy class whose methods are code, an object of unknown type — has no
content to key by, and the step is simply not cached. So nothing outside the key (a helper
module, a data file, an environment variable, state of a worker process) can influence a
cached verdict: whatever a derivation read is either in its built expressions or not cached.

The step's source location is left out of the key (moving a step does not change its verdict)
and re-attached from the current step when a result is loaded.
"""

from __future__ import annotations

import hashlib
from dataclasses import fields, is_dataclass
from enum import Enum
from fractions import Fraction

import sympy as sp
from sympy.core.function import AppliedUndef, UndefinedFunction

from derivcheck_steps import cache
from derivcheck_steps.model import Derivation, Step
from derivcheck_steps.numbers import long_int_text
from derivcheck_steps.settings import Settings
from derivcheck_steps.verdict import StepResult

_TRUSTED_MODULES = ("sympy.", "derivcheck_steps.")  # their code is in the engine version
# neither changes a result (written forms are printed from the Step)
_NOT_IN_KEY: dict[type, set[str]] = {Step: {"location", "written_form"}}
_MAX_DEPTH = 60


class Uncacheable(Exception):
    """An object with no content to key by (code, or a type the serialisation does not know)."""


def _trusted(cls: type) -> bool:
    return (cls.__module__ or "").startswith(_TRUSTED_MODULES)


def _function_class(f: type) -> str:
    """An undefined function (``Function('f', real=True)``): its name and assumptions, never code."""
    if "_imp_" in vars(f):  # implemented_function: a Python callable behind the name
        raise Uncacheable(f"implemented function {f.__name__}")
    return f"Function({f.__name__!r},{sorted(getattr(f, '_kwargs', {}).items())!r})"


def _sympy(expr: sp.Basic) -> str:
    extras = []
    for node in sp.preorder_traversal(expr):
        if isinstance(node, AppliedUndef):
            extras.append(_function_class(node.func))
        elif not _trusted(type(node)):
            raise Uncacheable(f"{type(node).__module__}.{type(node).__qualname__} (a SymPy class defined outside SymPy)")
    with long_int_text():  # exact values of any length (their size is bounded before any work)
        text = sp.srepr(expr)
    return text + ("|" + ";".join(sorted(set(extras))) if extras else "")


def canonical(obj: object, depth: int = 0) -> str:
    """A text that determines ``obj`` completely, or Uncacheable."""
    if depth > _MAX_DEPTH:
        raise Uncacheable("nested too deeply (a cycle?)")
    if obj is None or isinstance(obj, bool | int | float | str | Fraction):
        return f"{type(obj).__name__}:{obj!r}"
    if isinstance(obj, sp.Basic):
        return _sympy(obj)
    if isinstance(obj, UndefinedFunction):
        return _function_class(obj)
    if isinstance(obj, type):
        if not _trusted(obj):
            raise Uncacheable(f"class {obj.__qualname__}")
        return f"class:{obj.__module__}.{obj.__qualname__}"
    if isinstance(obj, Enum) and _trusted(type(obj)):
        return f"{type(obj).__qualname__}.{obj.name}"
    if isinstance(obj, dict):
        return "{" + ",".join(sorted(f"{canonical(k, depth + 1)}:{canonical(v, depth + 1)}" for k, v in obj.items())) + "}"
    if isinstance(obj, list | tuple):
        return "[" + ",".join(canonical(x, depth + 1) for x in obj) + "]"
    if isinstance(obj, set | frozenset):
        return "{" + ",".join(sorted(canonical(x, depth + 1) for x in obj)) + "}"
    if _trusted(type(obj)) and not callable(obj):
        # derivcheck's own data (Context, declarations, distributions, justifications): all its
        # instance state, so a field added later is in the key without anyone remembering to add it
        state = vars(obj) if hasattr(obj, "__dict__") else {f.name: getattr(obj, f.name) for f in fields(obj)} \
            if is_dataclass(obj) else None
        if state is None:
            raise Uncacheable(type(obj).__qualname__)
        skip = _NOT_IN_KEY.get(type(obj), set())
        inner = ",".join(f"{k}={canonical(v, depth + 1)}" for k, v in sorted(state.items()) if k not in skip)
        return f"{type(obj).__module__}.{type(obj).__qualname__}({inner})"
    raise Uncacheable(f"{type(obj).__module__}.{type(obj).__qualname__}")


def step_key(d: Derivation, step: Step, settings: Settings) -> str | None:
    """The cache key of a step's result, or None when the step cannot be cached (an experiment: code)."""
    if step.experiment is not None:
        return None
    try:
        parts = [canonical(d.id or d.title), canonical(settings), canonical(d.ctx), canonical(step)]
    except Uncacheable:
        return None
    h = hashlib.sha256(cache.engine_version().encode())
    for p in parts:
        h.update(b"\x00" + p.encode())
    return h.hexdigest()


def _path(key: str):  # noqa: ANN202 - a Path
    return cache.cache_dir() / "steps" / key[:2] / f"{key}.json"


def load_step(key: str, step: Step) -> StepResult | None:
    """The stored result of a step (its integrity checked), with the current step's location."""
    payload = cache.read_entry(_path(key), key)
    if payload is None:
        return None
    try:
        result = StepResult.from_dict(payload["result"])
        result.cause = payload.get("cause", "")
        if result.correction is not None:
            result.correction.cause = payload.get("correction_cause", "")
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    if not cache.storable(result) or result.index != step.index:
        return None
    result.location = step.location
    if result.correction is not None and payload.get("correction_located"):
        result.correction.location = step.location
    return result


def store_step(key: str, result: StepResult) -> None:
    """Store a step's result unless it depends on more than its key (time-out, internal error)."""
    if not cache.storable(result):
        return
    fix = result.correction
    cache.write_entry(_path(key), key, {
        "result": result.as_dict(), "cause": result.cause,
        "correction_cause": fix.cause if fix is not None else "",
        "correction_located": fix is not None and getattr(fix, "location", None) is not None,
    })
