"""The pytest plugin loads with every pytest run where derivcheck is installed: it must not import SymPy."""

from __future__ import annotations

import subprocess
import sys


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_importing_the_plugin_does_not_import_sympy() -> None:
    loaded = _modules_after("import derivcheck_steps.pytest_plugin")
    assert "derivcheck_steps.pytest_plugin" in loaded
    assert not any(m == "sympy" or m.startswith("sympy.") for m in loaded)


def test_importing_the_plugin_does_not_import_the_engine() -> None:
    loaded = _modules_after("import derivcheck_steps.pytest_plugin")
    assert "derivcheck_steps.engine" not in loaded
    assert "numpy" not in loaded
