"""Run a source tree of derivcheck without installing it: what to put on PYTHONPATH, which module is the CLI.

Since the package rename the repository's ``checks/`` is installed as ``derivcheck_steps`` (and
``derivations/`` as ``derivcheck_steps.derivations``), which a plain ``PYTHONPATH=tree`` cannot
import; older trees import as ``checks``. A renamed tree gets a shim folder whose
``derivcheck_steps`` holds links to the files of ``checks/`` and a link ``derivations``.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path


def is_renamed(tree: Path) -> bool:
    return "derivcheck_steps" in (tree / "pyproject.toml").read_text(encoding="utf-8")


def package(tree: Path) -> str:
    """The import name of the tree's engine package."""
    return "derivcheck_steps" if is_renamed(tree) else "checks"


def cli_module(tree: Path) -> str:
    return f"{package(tree)}.cli"


def builtin_package(tree: Path) -> str:
    return "derivcheck_steps.derivations" if is_renamed(tree) else "derivations"


_SHIMS_LOCK = threading.Lock()
_SHIMS: dict[Path, Path] = {}


def python_path(tree: Path) -> str:
    """The PYTHONPATH that imports the tree's code (a shim folder for a renamed tree, kept for the process)."""
    tree = tree.resolve()
    if not is_renamed(tree):
        return str(tree)
    with _SHIMS_LOCK:  # threads of one process share the shim (same_reports runs cases in threads)
        return _shim_path(tree)


def _shim_path(tree: Path) -> str:
    if tree not in _SHIMS:
        shim = Path(tempfile.mkdtemp(prefix="derivcheck-shim-"))
        pkg = shim / "derivcheck_steps"
        pkg.mkdir()
        for entry in (tree / "checks").iterdir():
            (pkg / entry.name).symlink_to(entry)
        (pkg / "derivations").symlink_to(tree / "derivations")
        _SHIMS[tree] = shim
    return f"{_SHIMS[tree]}{__import__('os').pathsep}{tree}"
