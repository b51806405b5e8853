"""Load ``sympy.physics.units`` only when something really uses it (``simplify`` only asks for its class).

Every ``sympy.simplify`` call runs ``from sympy.physics.units import Quantity`` to test
``expr.has(Quantity)``, and ``checksol`` imports ``Unit`` (the same class). Importing the package
executes its ``__init__``, which builds every unit system (SI, MKSA, …): about 0.2 s of CPU in
each process, for a class that derivcheck's expressions never contain.

:func:`defer_units` registers the real package module, created from its real spec but not yet
executed, with a module ``__getattr__``: asking it for ``Quantity`` (or ``Unit``) imports the real
submodule ``sympy.physics.units.quantities`` (one class, loaded once under its own name); asking
for any other name executes the package's own ``__init__`` into that same module object, which
then finds ``quantities`` already imported. No class is ever loaded twice, so ``isinstance`` and
``has`` see the same ``Quantity`` whichever way it was reached.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import sys
from types import ModuleType
from typing import Any

NAME = "sympy.physics.units"
_LIGHT = {"Quantity": "Quantity", "Unit": "Quantity"}  # names served from the quantities submodule alone
_LIGHT_MODULES = {"quantities", "dimensions", "prefixes"}  # what the quantities submodule imports


def _load_all(module: ModuleType) -> None:
    """Execute the package's real ``__init__`` into ``module`` (once)."""
    module.__dict__.pop("__getattr__", None)
    spec = module.__spec__
    assert spec is not None and spec.loader is not None
    spec.loader.exec_module(module)


def _lazy_getattr(module: ModuleType) -> Any:
    def __getattr__(name: str) -> Any:  # noqa: N807 - the module-level hook of PEP 562
        if name.startswith("__"):
            raise AttributeError(name)
        if name in _LIGHT and "__getattr__" in module.__dict__:
            value = getattr(importlib.import_module(f"{NAME}.quantities"), _LIGHT[name])
            setattr(module, name, value)
            return value
        if "__getattr__" in module.__dict__:
            _load_all(module)
        try:
            return module.__dict__[name]
        except KeyError:
            raise AttributeError(f"module {NAME!r} has no attribute {name!r}") from None

    return __getattr__


class _FullLoadFirst:
    """A meta path finder: importing any other submodule of the package runs the package's ``__init__`` first,
    so that submodules which import names from the package (``systems``, ``util``) see it complete."""

    @staticmethod
    def find_spec(name: str, path: object = None, target: object = None) -> None:
        if name.startswith(f"{NAME}.") and name.split(".")[3] not in _LIGHT_MODULES and is_deferred():
            _load_all(sys.modules[NAME])
        return None  # the ordinary finders import it


def defer_units() -> bool:
    """Register ``sympy.physics.units`` as a lazily executed package; False when it is already imported."""
    if NAME in sys.modules or "sympy.physics" in sys.modules:
        return False
    physics = importlib.util.find_spec("sympy.physics")  # imports sympy only, not sympy.physics
    if physics is None or not physics.submodule_search_locations:
        return False
    spec = importlib.machinery.PathFinder.find_spec(NAME, list(physics.submodule_search_locations))
    if spec is None or spec.loader is None or not spec.submodule_search_locations:
        return False
    module = importlib.util.module_from_spec(spec)  # __path__, __spec__ set: its submodules import normally
    module.__getattr__ = _lazy_getattr(module)  # type: ignore[method-assign]
    sys.modules[NAME] = module
    if not any(isinstance(f, _FullLoadFirst) for f in sys.meta_path):
        sys.meta_path.insert(0, _FullLoadFirst())
    importlib.import_module("sympy.physics")  # its __init__ binds the deferred units; `import sympy.physics.…` works
    return True


def is_deferred() -> bool:
    """Whether ``sympy.physics.units`` is registered but its ``__init__`` has not run."""
    module = sys.modules.get(NAME)
    return module is not None and "__getattr__" in module.__dict__
